"""``zonetrainer run``: one session in the terminal, then its summary; stored in the database.

Everything the user typed is checked (plan, profile) before the database is opened, so a bad
input writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any, Final, TextIO

from zonetrainer.cli import devices
from zonetrainer.cli.db import number_arg
from zonetrainer.cli.profile import threshold_text
from zonetrainer.core.clock import Clock, clock_for_speed
from zonetrainer.core.dfa import MAX_CORRECTED_SHARE
from zonetrainer.core.drift import FIGURES_WIDTH, describe, interval_figures
from zonetrainer.core.errors import UserError
from zonetrainer.core.imports import Recording, read_recording
from zonetrainer.core.model import SessionState, SessionSummary
from zonetrainer.core.plan import Plan, load_plan
from zonetrainer.core.profile import Profile, ProfileError
from zonetrainer.core.recorder import MemoryRecorder, Recorder
from zonetrainer.core.runner import SessionRunner, runner_for
from zonetrainer.core.sources.base import HeartRateSource
from zonetrainer.core.sources.replay import ReplaySource
from zonetrainer.core.store import Store
from zonetrainer.core.threshold import EXTRA_KEY, ThresholdResult

DEFAULT_PLAN = "fatmax-intervals"
#: Without a TTY the live line is printed once per this much session time.
PLAIN_LINE_EVERY_S = 60.0
BAR_WIDTH = 20
#: On a terminal the line is redrawn at most this often (wall time): at --speed 0 a session
#: produces thousands of states a second, more than anyone can read.
TTY_REDRAW_S = 0.1


def register(sub: Any) -> None:
    parser = sub.add_parser("run", help="run a session in the terminal (simulated strap by "
                                        "default) and store it")
    parser.add_argument("--simulate", action="store_true",
                        help="use the simulated athlete instead of a strap")
    parser.add_argument("--headless", action="store_true",
                        help="no window: the live line and the summary in the terminal")
    parser.add_argument("--plan", default=DEFAULT_PLAN, metavar="NAME|PATH",
                        help=f"a shipped plan (sessions/*.toml) or a TOML file "
                             f"(default: {DEFAULT_PLAN})")
    parser.add_argument("--speed", type=_speed, default=1.0, metavar="X",
                        help="time runs X times faster (simulation); 0 = as fast as possible")
    parser.add_argument("--seed", type=int, default=1, help="seed of the simulated athlete")
    parser.add_argument("--athlete", metavar="NAME", help="a stored athlete profile")
    add_quick_profile_options(parser)
    parser.add_argument("--no-save", action="store_true", help="do not store the session")
    parser.add_argument("--replay", metavar="FILE",
                        help="play a FIT, TCX or CSV recording as the heart-rate source "
                             "(instead of --simulate or --device); the session ends when the "
                             "recording does")
    parser.add_argument("--replay-speed", type=_replay_speed, metavar="X",
                        help="play the recording X times faster than it was recorded "
                             "(default 1); --speed still sets how fast the session clock runs")
    # The strap: --device (Bluetooth); neither it nor --simulate tries the remembered strap.
    devices.add_device_option(parser)
    parser.set_defaults(func=run_command)


_speed = number_arg(lambda v: 0 <= v <= 10_000,
                    "speed must be 0 (as fast as possible) to 10000")
_replay_speed = number_arg(lambda v: 0 < v <= 10_000,
                           "replay speed must be above 0 and at most 10000")


def build_profile(args: argparse.Namespace, stored: dict[str, str] | None = None) -> Profile:
    """The stored athlete (if named) with the quick-profile values on top; checked."""
    base = Profile()
    if args.athlete:
        if stored is None or args.athlete not in stored:
            known = ", ".join(sorted(stored or {})) or "none stored"
            raise UserError(f"no athlete profile named '{args.athlete}' (known: {known})")
        base = profile_from_json(stored[args.athlete], args.athlete)
    changes = quick_profile_values(args)
    return replace(base, **changes) if changes else base


#: The quick-profile options of ``run`` and ``import``: option -> Profile field.
QUICK_PROFILE_FIELDS: Final = {"age": "age_years", "rest_hr": "rest_hr_bpm",
                               "hrmax": "measured_hrmax_bpm"}


def add_quick_profile_options(parser: argparse.ArgumentParser) -> None:
    """--age, --rest-hr and --hrmax: a profile given on the command line."""
    parser.add_argument("--age", type=float, help="quick profile: age in years (HRmax, band)")
    parser.add_argument("--rest-hr", type=float, metavar="BPM", help="quick profile: resting HR")
    parser.add_argument("--hrmax", type=float, metavar="BPM", help="quick profile: measured HRmax")


def quick_profile_values(args: argparse.Namespace) -> dict[str, Any]:
    """The Profile fields the quick-profile options give (only those given)."""
    return {field: getattr(args, option) for option, field in QUICK_PROFILE_FIELDS.items()
            if getattr(args, option) is not None}


def profile_from_json(text: str, name: str) -> Profile:
    """A stored profile, its age brought up to today from the birth year if it has one."""
    try:
        return Profile.from_json(text, today=date.today())
    except ProfileError as exc:
        raise ProfileError(f"athlete '{name}': {exc}") from None


def simulated_source(profile: Profile, seed: int) -> HeartRateSource:
    try:
        from zonetrainer.core.sources.simulated import simulated_source_for
    except ImportError:
        raise UserError("the simulated strap is not installed in this build") from None
    source: HeartRateSource = simulated_source_for(profile, profile.band(), seed)
    return source


def run_command(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    recording = read_replay(args)  # before the database opens: a bad file writes nothing
    profile = build_profile(args) if not args.athlete else None
    store: Store | None = None
    if not args.no_save or args.athlete:
        store = Store.open(getattr(args, "db", None))
    try:
        if profile is None:
            assert store is not None
            profile = build_profile(args, dict(store.athletes()))
        recorder: Recorder = store.recorder() if store and not args.no_save else MemoryRecorder()
        clock = clock_for_speed(args.speed)
        source = (ReplaySource(recording, clock, speed=args.replay_speed or 1.0)
                  if recording is not None else _source(args, clock, profile))
        runner = _runner(plan, profile, source, clock, recorder, sys.stdout)
        interrupted = False
        try:
            asyncio.run(runner.run())
        except KeyboardInterrupt:
            interrupted = True
        if store is not None:
            store.flush()
    finally:
        if store is not None:
            store.close()
    if runner.summary is None:
        print("zonetrainer: interrupted before the session started", file=sys.stderr)
        return 130
    where = "not stored (--no-save)" if args.no_save or store is None else \
        f"stored as session {runner.session_id} in {store.describe}"
    print(summary_text(plan, profile, runner, where))
    if EXTRA_KEY in runner.extra:
        stored = None if args.no_save or store is None else runner.session_id
        print(ramp_text(ThresholdResult.from_json(runner.extra[EXTRA_KEY]), stored,
                        args.athlete))
    return 130 if interrupted else 0


def ramp_text(result: ThresholdResult, session_id: int | None, athlete: str | None) -> str:
    """The end of a ramp session: the threshold (or why none) and how to apply it."""
    lines = ["", threshold_text(result)]
    if result.ok:
        if session_id is None:
            lines.append("Not stored (--no-save), so it cannot be applied to a profile.")
        else:
            lines.append(f"To set the band of a stored profile from it ([AeT - 10, AeT]): "
                         f"zonetrainer ramp-result {session_id} --apply {athlete or 'NAME'}")
    return "\n".join(lines)


def read_replay(args: argparse.Namespace) -> Recording | None:
    """The recording ``--replay`` names (None without it), read and checked."""
    if args.replay is None:
        if args.replay_speed is not None:
            raise UserError("--replay-speed needs --replay FILE")
        return None
    for other, given in (("--simulate", args.simulate), ("--device", args.device)):
        if given:
            raise UserError(f"--replay and {other} exclude each other: choose one")
    recording = read_recording(args.replay)
    if recording.hr_count == 0:
        raise UserError(f"cannot replay {args.replay}: it holds no heart-rate values")
    return recording


def _source(args: argparse.Namespace, clock: Clock, profile: Profile) -> HeartRateSource:
    return devices.source_for_run(args, clock, lambda: simulated_source(profile, args.seed))


def _runner(plan: Plan, profile: Profile, source: HeartRateSource, clock: Clock,
            recorder: Recorder, out: TextIO) -> SessionRunner:
    line = LiveLine(out, out.isatty())
    return runner_for(plan, profile, source, clock, recorder, datetime.now(UTC),
                      on_state=line.show)


def mmss(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    s = max(0, round(seconds))
    return f"{s // 60}:{s % 60:02d}" if s < 3600 else f"{s // 3600}:{s % 3600 // 60:02d}:" \
                                                       f"{s % 60:02d}"


def live_text(state: SessionState) -> str:
    """One line: elapsed, phase, time left in the phase, HR, zone, a progress bar."""
    share = min(1.0, state.elapsed_s / state.session_duration_s) \
        if state.session_duration_s > 0 else 1.0
    filled = round(share * BAR_WIDTH)
    hr = "signal lost" if state.hr_bpm is None else f"HR {state.hr_bpm:3.0f}"
    zone = f"Z{state.zone}" if state.zone is not None else "Z-"
    band = " in band" if state.in_band else ""
    phase: str = "paused" if state.paused else state.phase
    if state.ramp_step is not None:
        phase += f" {state.ramp_step + 1}"
    cue = f"  {state.cue}" if state.cue else ""
    if state.exercise is not None and state.phase in ("work", "rest", "hold"):
        cue = (f"  next: {state.exercise.name}" if state.phase == "rest"
               else f"  {state.exercise.name}") + cue
    return (f"{mmss(state.elapsed_s):>7}  {phase:<9} {mmss(state.phase_remaining_s):>6} left  "
            f"{hr:<11} {zone}{band:<8} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] "
            f"{100 * share:3.0f}%{alpha1_text(state)}{cue}")


def alpha1_text(state: SessionState) -> str:
    """"  a1 0.82, 1.2 % corrected" once RR gave a DFA alpha1 reading, else nothing; a window
    with too many corrected beats is marked as not used for decisions."""
    if state.alpha1 is None:
        return ""
    text = f"  a1 {state.alpha1:.2f}"
    if state.corrected_share is not None:
        text += f", {100 * state.corrected_share:.1f} % corrected"
        if state.corrected_share > MAX_CORRECTED_SHARE:
            text += " (not used)"
    return text


class LiveLine:
    """On a TTY one line rewritten in place; otherwise a line per minute of session time."""

    def __init__(self, out: TextIO, tty: bool) -> None:
        self.out, self.tty = out, tty
        self._next_plain_s = 0.0
        self._width = 0
        self._ended = False
        self._drawn_at = -TTY_REDRAW_S
        self._phase = ""

    def show(self, state: SessionState) -> None:
        if self._ended:
            return
        self._ended = state.done
        if self.tty:
            now = time.monotonic()  # the terminal's own pace, not the session clock
            if not state.done and state.phase == self._phase and \
                    now - self._drawn_at < TTY_REDRAW_S:
                return
            self._drawn_at, self._phase = now, state.phase
            text = live_text(state)
            self.out.write("\r" + text.ljust(self._width) + ("\n" if state.done else ""))
            self._width = len(text)
            self.out.flush()
        elif state.done or state.elapsed_s >= self._next_plain_s:
            self.out.write(live_text(state) + "\n")
            self._next_plain_s = (state.elapsed_s // PLAIN_LINE_EVERY_S + 1) * PLAIN_LINE_EVERY_S


def _early_end(runner: SessionRunner) -> str | None:
    """Why the session stopped before its plan did, or None when the plan ran to its end.

    Rest-controlled blocks make a session longer or shorter than the plan's nominal length,
    so the length alone says nothing; an ``end`` event does (a user's end, a replay that ran
    out, an interruption).
    """
    ends = [event for event in runner.engine.events if event.kind == "end"]
    return ends[-1].detail if ends else None


def summary_text(plan: Plan, profile: Profile, runner: SessionRunner, where: str) -> str:
    s: SessionSummary | None = runner.summary
    assert s is not None
    band = runner.engine.band
    lines = [
        "",
        f"{plan.title} ({plan.name}) - {profile.name}; {where}",
        f"  Duration          {mmss(s.duration_s)}"
        + (f" (ended early: {ended_early})" if (ended_early := _early_end(runner)) else ""),
        f"  Band              {band.low_bpm:.0f}-{band.high_bpm:.0f} bpm ({band.method}, "
        f"+/- {band.uncertainty_bpm:.0f} bpm)",
        f"  Time in band      {mmss(s.time_in_band_s)} = {100 * s.band_share:.0f} % of the live "
        f"time since first reaching it ({_pct(s.time_in_band_s, s.duration_s)} of the session)",
        "  Time per zone     " + "  ".join(f"Z{i + 1} {mmss(z)}"
                                           for i, z in enumerate(s.time_in_zone_s)),
        f"  Average HR        {_bpm(s.avg_hr_bpm)}",
        f"  Max HR            {_bpm(s.max_hr_bpm)}",
        f"  Readings          {s.sample_count}",
        "",
        f"  {'#':>3}  {'interval':<9} {'planned':>7} {'actual':>7} {'avg HR':>6} {'max':>4}  "
        f"{'drift / recovery':<{FIGURES_WIDTH}}  ended because",
    ]
    engine = runner.engine
    figures = interval_figures(engine.samples, engine.intervals)
    for r, f in zip(engine.intervals, figures, strict=True):
        planned = mmss(r.planned_s) if r.planned_s else "-"
        lines.append(f"  {r.index + 1:>3}  {r.kind:<9} {planned:>7}"
                     f" {mmss(r.actual_s):>7} {_num(r.avg_hr_bpm):>6} {_num(r.max_hr_bpm):>4}  "
                     f"{describe(f) or '-':<{FIGURES_WIDTH}}  "
                     f"{r.end_reason}" + (f" [{r.exercise}]" if r.exercise else ""))
    return "\n".join(lines)


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f} %" if whole > 0 else "-"


def _bpm(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} bpm"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"
