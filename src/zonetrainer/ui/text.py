"""What the dashboard writes on screen, as pure functions of frozen values (no Qt: testable)."""

from __future__ import annotations

import math
from typing import Final

from zonetrainer.core.model import Band, Phase, SessionState, SourceStatus, Tempo
from zonetrainer.core.threshold import (
    BOOTSTRAP_RESAMPLES,
    MIN_UNCERTAINTY_BPM,
    ThresholdResult,
    ramp_uncertainty,
    uncertainty_words,
)

PHASE_TITLES: Final[dict[str, str]] = {
    "warmup": "WARM-UP", "work": "WORK", "rest": "REST", "cooldown": "COOL-DOWN",
    "hold": "HOLD", "done": "DONE",
}
LINK_TITLES: Final[dict[str, str]] = {
    "connecting": "connecting", "connected": "connected", "searching": "searching",
    "lost": "signal lost", "ended": "ended",
}
SIGNAL_LOST: Final = "signal lost"
#: Before a session's first reading: nothing was lost. Two lines, so the large type still fits.
WAITING: Final = "waiting for\nthe strap…"
#: The big number once the session is over, or when there is none.
NO_HR: Final = "–"


def clock_text(seconds: float | None) -> str:
    """``m:ss`` (or ``h:mm:ss``); a dash when there is no planned end."""
    if seconds is None or math.isnan(seconds):
        return "–:––"
    total = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def phase_title(phase: Phase | str | None) -> str:
    return PHASE_TITLES.get(phase or "", "")


def phase_label_text(state: SessionState) -> str:
    """``WORK``, ``WORK · STEP 3`` in a ramp, with ``· PAUSED`` while paused."""
    title = phase_title(state.phase)
    if state.ramp_step is not None and not state.done:
        title += f" · STEP {state.ramp_step + 1}"
    return title + (" · PAUSED" if state.paused else "")


def cue_text(state: SessionState) -> str:
    """The controller's cue; a forced safety rest says so first. An "ease off" while HR is
    still under the band says why: the loop predicts it (HR lags effort by 5-15 s), and a user
    saw a contradiction in "ease off" next to "below band"."""
    if state.safety_rest:
        return "SAFETY: heart rate above your ceiling: rest"
    if (state.cue == "ease off" and state.hr_bpm is not None and state.signal_live
            and state.hr_bpm < state.band.low_bpm):
        return "ease off: heart rate lags, this pace would overshoot the band"
    if state.phase == "hold" and not state.cue:  # the loop decides nothing without readings
        return "keep your pace until the strap reads again"
    return state.cue or ""


def hr_text(state: SessionState, seen_live: bool = True, ended: bool = False) -> str:
    """The big number: never a stale heart rate. Without a live reading 'signal lost', or
    'waiting for the strap…' before the session's first one (``seen_live`` false); once the
    session is over (``ended``) the last reading, said to be the last."""
    live = state.signal_live and state.hr_bpm is not None
    if ended:
        return f"last {state.hr_bpm:.0f} bpm" if live and state.hr_bpm is not None else NO_HR
    if not live or state.hr_bpm is None:
        return SIGNAL_LOST if seen_live else WAITING
    return f"{state.hr_bpm:.0f}"


def next_text(state: SessionState) -> str:
    if state.done:
        return "session finished"
    if state.paused:
        return "paused"
    return f"next: {phase_title(state.next_phase).lower()}" if state.next_phase else ""


def zone_text(state: SessionState, ended: bool = False) -> str:
    """Zone and where the heart rate is against the band; nothing without a live reading."""
    if state.zone is None or not state.signal_live or ended:
        return ""
    where = {True: "in band", False: "below band" if (state.hr_bpm or 0) < state.band.low_bpm
             else "above band", None: ""}[state.in_band]
    return f"zone {state.zone}" + (f" · {where}" if where else "")


def band_text(band: Band) -> str:
    """The band's numbers, how sure they are and where they come from, in one line."""
    unsure = f" ± {band.uncertainty_bpm:g}" if band.uncertainty_bpm else ""
    return f"band {band.low_bpm:.0f}–{band.high_bpm:.0f} bpm{unsure} · {band.source}"


def status_text(status: SourceStatus | None) -> str:
    """Strap line: name, link, battery, signal strength."""
    if status is None:
        return "strap: none"
    link = LINK_TITLES.get(status.link, status.link)
    parts = [f"strap {status.name or status.source_id}: {link}"]
    if status.battery_pct is not None:
        parts.append(f"battery {status.battery_pct} %")
    if status.rssi_dbm is not None:
        parts.append(f"signal {status.rssi_dbm} dBm")
    if status.detail:
        parts.append(status.detail)
    return " · ".join(parts)


def _strap(name: str) -> str:
    return f"strap {name}" if name else "strap"


def strap_choice_text(name: str) -> str:
    """The strap line between sessions: the strap chosen, which is not connected now."""
    return f"{_strap(name)}: not connected until Start"


def strap_connecting_text(name: str) -> str:
    return f"{_strap(name)}: connecting…"


def strap_stopped_text(status: SourceStatus | None, chosen: str) -> str:
    """The strap line after a session: its source has stopped, whatever it last said; its
    battery and signal strength are not shown, as they are no longer read."""
    name = chosen if status is None else status.name or status.source_id
    return f"{_strap(name)}: stopped · session over"


def alpha_text(state: SessionState, ended: bool = False) -> str:
    """DFA alpha1 and the corrected-beat share, only when RR data gave a reading; while the
    signal is lost no value (it would be the one from before the loss), after the session the
    last one, said to be the last."""
    if state.alpha1 is None:
        return ""
    if not ended and not state.signal_live:
        return "DFA α1: no signal"
    text = ("last " if ended else "") + f"DFA α1 {state.alpha1:.2f}"
    if state.corrected_share is not None:
        text += f" · corrected beats {100 * state.corrected_share:.1f} %"
        if state.corrected_share > 0.05:
            text += " (unreliable)"
    return text


def tempo_position(tempo: Tempo, elapsed_s: float) -> tuple[str, float]:
    """Where in one repetition the athlete is: the part's name and its progress 0..1."""
    parts = (("lower", tempo.eccentric_s), ("pause", tempo.bottom_pause_s),
             ("lift", tempo.concentric_s), ("pause", tempo.top_pause_s))
    rep_s = tempo.rep_s
    if rep_s <= 0:
        return "", 0.0
    into = elapsed_s % rep_s
    for name, length in parts:
        if length <= 0:
            continue
        if into < length:
            return name, into / length
        into -= length
    return parts[-1][0], 1.0


def threshold_headline(result: ThresholdResult) -> str:
    """One line a ramp ends with: the aerobic threshold, or that there is none."""
    if not result.ok or result.aet_hr_bpm is None:
        return "No aerobic threshold from this session"
    unsure = uncertainty_words(result)  # the band's own figure, with what it is
    return (f"Aerobic threshold: {result.aet_hr_bpm:.0f} {unsure}" if unsure
            else f"Aerobic threshold: {result.aet_hr_bpm:.0f} bpm")


def threshold_details(result: ThresholdResult) -> str:
    """The fit behind a threshold result (or what there was of it), in plain words."""
    parts = [f"{result.readings_usable} usable DFA α1 readings of {result.readings_total}"]
    if result.hr_range_bpm is not None:
        low, high = result.hr_range_bpm
        parts.append(f"heart rate {low:.0f}–{high:.0f} bpm")
    lines = [" · ".join(parts)]
    if result.r2 is not None:
        lines.append(f"Fit: {result.readings_used} readings near the crossing, R² {result.r2:.2f}")
    if result.ok and result.uncertainty_bpm is not None:
        lines.append(
            f"Uncertainty: ± {ramp_uncertainty(result):.0f} bpm, as the band gets: the crossing's "
            f"SD over {BOOTSTRAP_RESAMPLES} block-bootstrap resamples "
            f"({result.uncertainty_bpm:.1f} bpm), never less than {MIN_UNCERTAINTY_BPM:.0f} bpm "
            "(resamples alone understate the error).")
    return "\n".join(lines) + f"\nMethod: {result.method}."


def skip_question(state: SessionState | None) -> tuple[str, str] | None:
    """The question Ctrl+N (skip one interval) asks first, as (title, text), or None when it
    asks none. In a ramp it skips one step; only the last step's skip ends the test early, so
    only that one is asked (a safety rest cannot be skipped: nothing to ask)."""
    if state is None or state.block_kind != "ramp" or state.ramp_step is None \
            or state.safety_rest:
        return None
    if state.ramp_steps is not None and state.ramp_step + 1 < state.ramp_steps:
        return None
    return ("End the ramp test?",
            "This is the ramp's last step: skipping it ends the test early. The session is "
            "stored as ended early and its threshold comes from the steps run so far. End the "
            "ramp now?")


def end_question(state: SessionState | None) -> tuple[str, str]:
    """The question Ctrl+E (end the session) asks, as (title, text); in a ramp it says that the
    test is cut short, as its result will."""
    if state is not None and state.block_kind == "ramp" and not state.done:
        return ("End the ramp test?",
                "Ending now cuts the ramp test short: the session is stored as ended early and "
                "its threshold comes only from the steps run so far, if at all. End it now?")
    return "End the session?", "End this session now? What was recorded is kept."


# the training screen ------------------------------------------------------------------------
#: After this long without a reading the hold says what usually helps.
HOLD_TIP_AFTER_S: Final = 10.0
HOLD_TIP: Final = "tip: wet or refit the strap"


def band_position(state: SessionState) -> str | None:
    """Where a live heart rate is against the band: "below", "in", "above", or "ceiling" in a
    safety rest; None without a live reading. Band.contains is the one edge rule."""
    hr = state.hr_bpm
    if hr is None or not state.signal_live:
        return None
    if state.safety_rest:
        return "ceiling"
    if state.band.contains(hr):
        return "in"
    return "below" if hr < state.band.low_bpm else "above"


POSITION_WORDS: Final = {"below": "below band", "in": "in band", "above": "above band",
                         "ceiling": "over your ceiling"}


def band_zone_text(state: SessionState, ended: bool = False) -> str:
    """The band first, the zone second: "in band · zone 2"; nothing without a live reading."""
    position = band_position(state)
    if position is None or ended:
        return ""
    zone = f" · zone {state.zone}" if state.zone is not None else ""
    return POSITION_WORDS[position] + zone


def countdown_text(seconds: float | None, forecast: bool) -> str:
    """The countdown; a forecast says "about", so a moving estimate is not read as a promise."""
    return ("about " if forecast and seconds is not None else "") + clock_text(seconds)


def hold_text(interrupted: str | None, hold_s: float) -> str:
    """What to do while the strap reads nothing: carry on with the phase the loss interrupted."""
    doing = "keep resting" if interrupted in ("rest", "cooldown") else "keep your pace"
    text = f"{doing} until the strap reads again"
    return text + (f" · {HOLD_TIP}" if hold_s >= HOLD_TIP_AFTER_S else "")


def count_text(word: str, count: int, total: int | None) -> str:
    """ "interval 3 of 5", "set 4 of 9", "step 2"; empty outside counted blocks."""
    if not word or count <= 0:
        return ""
    return f"{word} {count}" + (f" of {total}" if total else "")


def next_length_text(state: SessionState, length_s: float | None, forecast: bool) -> str:
    """The next phase and, when the plan says, its length: "next: rest 2:00"."""
    if state.done:
        return "session finished"
    if state.next_phase is None:
        return ""
    title = phase_title(state.next_phase).lower()
    if length_s is None or state.next_phase == "done":
        return f"next: {title}"
    return f"next: {title} {'about ' if forecast else ''}{clock_text(length_s)}"


def time_left_text(state: SessionState) -> str:
    return f"{clock_text(max(0.0, state.session_duration_s - state.elapsed_s))} left"


def in_band_tile_text(state: SessionState) -> str:
    """Live time in band, the product's key figure: minutes and share of the time so far."""
    share = state.time_in_band_s / state.elapsed_s if state.elapsed_s > 0 else 0.0
    return f"{clock_text(state.time_in_band_s)} in band · {100 * share:.0f} %"


def lap_text(number: int, length_s: float, mean_hr_bpm: float | None,
             in_band_share: float | None) -> str:
    mean = "–" if mean_hr_bpm is None else f"{mean_hr_bpm:.0f}"
    share = "–" if in_band_share is None else f"{100 * in_band_share:.0f} %"
    return f"bout {number}: {clock_text(length_s)} · mean {mean} bpm · in band {share}"


EFFORT_NAMES: Final = {"km/h": "belt", "W": "power"}


def effort_text(state: SessionState) -> str:
    """Actual and target effort in one line, "belt 9.4 km/h · target 9.6"; empty without."""
    unit = state.effort_unit
    if unit is None or (state.effort is None and state.target_effort is None):
        return ""
    digits = 1 if unit == "km/h" else 0
    parts = []
    if state.effort is not None:
        parts.append(f"{EFFORT_NAMES.get(unit, 'effort')} {state.effort:.{digits}f} {unit}")
    if state.target_effort is not None:
        parts.append(f"target {state.target_effort:.{digits}f}"
                     + ("" if state.effort is not None else f" {unit}"))
    return " · ".join(parts)
