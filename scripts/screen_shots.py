"""The training screen's screenshots for scripts/screenshots.py ``--training``: work, rest, hold,
safety, the end summary, the strength circuit and the ramp result, at 1024x700, 1280x800 and
1920x1080 full screen, light and dark.

A real simulated session of each plan runs to its end first (as fast as possible) and is
stored, which gives the summary; the other screens replay that stored session's readings and
phases into the presenter up to a moment of each kind, so the plots hold real data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from zonetrainer.core.model import SessionRecord, SessionState, SourceStatus
from zonetrainer.core.sources.simulated import BATTERY_PCT

SIZES = ((1024, 700, False), (1280, 800, False), (1920, 1080, True))


def replay(record: SessionRecord, until_s: float, plan: Any) -> list[SessionState]:
    """States of the stored session up to ``until_s``, one per stored sample."""
    band, out = record.header.band, []
    intervals = list(record.intervals)
    for sample in record.samples:
        if sample.t_s > until_s:
            break
        current = next((i for i in intervals if i.start_s <= sample.t_s < i.end_s), intervals[-1])
        nxt = intervals.index(current) + 1
        hr = sample.hr_bpm
        out.append(SessionState(
            elapsed_s=sample.t_s, phase=current.kind, phase_elapsed_s=sample.t_s - current.start_s,
            phase_remaining_s=max(0.0, current.end_s - sample.t_s),
            next_phase=intervals[nxt].kind if nxt < len(intervals) else "done",
            block_index=next((b for b, block in enumerate(plan.blocks)
                              if block.kind == "intervals"), 0) if current.kind in (
                "work", "rest") else 0,
            interval_index=intervals.index(current), hr_bpm=hr, signal_live=hr is not None,
            zone=record.header.zones.zone_of(hr) if hr is not None else None,
            in_band=band.contains(hr) if hr is not None else None, band=band,
            session_duration_s=record.summary.duration_s if record.summary else 1800.0,
            time_in_band_s=0.0, block_kind="intervals" if current.kind in ("work", "rest")
            else current.kind))
    return out


def with_time_in_band(states: list[SessionState]) -> list[SessionState]:
    """The running totals a live session's states carry: time in band and in each zone."""
    total, out, last_t = 0.0, [], None
    zones = [0.0] * 5
    for s in states:
        if last_t is not None:
            dt = s.elapsed_s - last_t
            total += dt if s.in_band else 0.0
            if s.zone is not None and 1 <= s.zone <= 5:
                zones[s.zone - 1] += dt
        last_t = s.elapsed_s
        out.append(replace(s, time_in_band_s=total,
                           time_in_zone_s=(zones[0], zones[1], zones[2], zones[3], zones[4])))
    return out


#: The strap as a live simulated session shows it (ui.text.status_text of its status).
LIVE_STRAP: Final = SourceStatus("simulated", "connected", name="Simulated strap",
                                 battery_pct=BATTERY_PCT, body_location="Chest",
                                 detail="simulated athlete, seed 1")
LOST_STRAP: Final = replace(LIVE_STRAP, link="lost")


def shoot_training(out: Path, tmp: Path, store: Any, spin: Callable[..., None],
                   save: Callable[[Any, str], None]) -> None:
    from zonetrainer.core.plan import load_plan
    from zonetrainer.core.profile import Profile
    from zonetrainer.ui.app import build_window, settings_at
    from zonetrainer.ui.summary import load_with_previous

    ann = Profile(name="Ann", age_years=40.0, rest_hr_bpm=58.0)
    stored: dict[str, int] = {}
    for theme in ("light", "dark"):
        for width, height, full in SIZES:
            tag = f"{width}x{height}{'-full' if full else ''}-{theme}"
            window = build_window(store, settings_at(tmp / f"{tag}.ini"), theme, 0.0,
                                  confirm=lambda *_: True, export_dir=tmp, seed=1)
            window.resize(width, height)
            window.show()
            if full:
                window.toggle_fullscreen()
            spin(0.5)
            window.save_profile(ann)
            for plan_name in ("fatmax-intervals", "back-strength-circuit"):
                window.plans.select(plan_name)
                if plan_name not in stored:  # each plan's real session once, then replayed
                    window.start()
                    spin(120.0, lambda w=window: not w.presenter.running
                         and w.presenter.state is not None)
                    spin(1.0)
                    stored[plan_name] = store.list_sessions(plan=plan_name, limit=1)[0].id
                if plan_name == "fatmax-intervals":
                    window.training.show_summary(*load_with_previous(store, stored[plan_name]))
                    save(window, f"train-{tag}-summary")
                record = store.load(stored[plan_name])
                plan = load_plan(plan_name)
                window.presenter.reset(plan)
                window.training.show_running(True)
                window.training.prepare(record.header.band, record.header.zones)
                moments = _moments(record, plan_name)
                for name, (until_s, change) in moments.items():
                    window.presenter.reset(plan)
                    states = with_time_in_band(replay(record, until_s, plan))
                    for state in states[:-1]:
                        window.presenter.accept(_exercise(state, record, plan))
                    last = _exercise(states[-1], record, plan)
                    for k in range(14 if name == "hold" else 1):  # a hold 13 s long: its tip
                        window.presenter.accept(change(replace(last, elapsed_s=last.elapsed_s + k)))
                    # the strap as it would be now: live, or lost in a hold (not "connecting…")
                    window.training.show_status(LOST_STRAP if name == "hold" else LIVE_STRAP)
                    for button in (window.training.pause_button, window.training.skip_button):
                        button.setEnabled(True)  # as in a running session after a reading
                    window.message.setText(f"{plan.title} with Simulated strap")
                    window.training.plots.redraw(overview=True)
                    save(window, f"train-{tag}-{name}")
            if not full and width == 1280:
                window.plans.select("aerobic-threshold-ramp")
                window.start()
                spin(90.0, lambda w=window: w.ramp_dialog is not None)
                if window.ramp_dialog is not None:
                    save(window.ramp_dialog, f"ramp-result-{theme}")
                    window.ramp_dialog.close()
            window.close()
            spin(0.3)


def _exercise(state: SessionState, record: SessionRecord, plan: Any) -> SessionState:
    """The exercise of a strength set (the stored interval names it), the next one in a rest."""
    exercises = {e.name: e for b in plan.blocks for e in b.exercises}
    if not exercises:
        return state
    later = [i for i in record.intervals[state.interval_index:] if i.exercise]
    return replace(state, exercise=exercises.get(later[0].exercise or "") if later else None)


def _moments(record: SessionRecord, plan_name: str
             ) -> dict[str, tuple[float, Callable[[SessionState], SessionState]]]:
    works = [i for i in record.intervals if i.kind == "work"]
    rests = [i for i in record.intervals if i.kind == "rest"]
    if plan_name == "back-strength-circuit":
        return {"strength": (works[min(3, len(works) - 1)].start_s + 12, lambda s: s),
                "strength-rest": (rests[min(2, len(rests) - 1)].start_s + 8, lambda s: s)}
    work = works[min(2, len(works) - 1)]
    rest = rests[min(2, len(rests) - 1)]
    return {
        "work": (work.start_s + 90, lambda s: replace(s, cue="ease off a little", cue_level=1)),
        "rest": (rest.start_s + 30, lambda s: s),
        "hold": (rest.start_s + 45, lambda s: replace(s, phase="hold", hr_bpm=None,
                                                      signal_live=False, zone=None,
                                                      in_band=None)),
        "safety": (work.start_s + 150, lambda s: replace(
            s, phase="rest", hr_bpm=176.0, zone=5, in_band=False, safety_rest=True,
            cue="rest now", next_phase="work")),
    }
