"""What ``zonetrainer run`` prints: the live line while a session runs, the summary after it."""

from __future__ import annotations

import logging
import time
from typing import TextIO

from zonetrainer.cli.db import printable
from zonetrainer.cli.profile import threshold_text
from zonetrainer.core.model import SessionState, SessionSummary
from zonetrainer.core.plan import Plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.runner import SessionRunner
from zonetrainer.core.signal import FIGURES_WIDTH, MAX_CORRECTED_SHARE, describe, interval_figures
from zonetrainer.core.threshold import ThresholdResult

log = logging.getLogger(__name__)

#: Without a TTY the live line is printed once per this much session time.
PLAIN_LINE_EVERY_S = 60.0
BAR_WIDTH = 20
#: On a terminal the line is redrawn at most this often (wall time): at --speed 0 a session
#: produces thousands of states a second, more than anyone can read.
TTY_REDRAW_S = 0.1


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


def mmss(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    s = max(0, round(seconds))
    return f"{s // 60}:{s % 60:02d}" if s < 3600 else f"{s // 3600}:{s % 3600 // 60:02d}:" \
                                                       f"{s % 60:02d}"


def live_text(state: SessionState, waiting: bool = False) -> str:
    """One line: elapsed, phase, time left in the phase, HR, zone, a progress bar. ``waiting``:
    no reading has come yet, so the signal is not lost but awaited (as the dashboard says)."""
    share = min(1.0, state.elapsed_s / state.session_duration_s) \
        if state.session_duration_s > 0 else 1.0
    filled = round(share * BAR_WIDTH)
    hr = f"HR {state.hr_bpm:3.0f}" if state.hr_bpm is not None else (
        "waiting for the strap" if waiting else "signal lost")
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
            f"{100 * share:3.0f}%{effort_live_text(state)}{alpha1_text(state)}{cue}")


def effort_live_text(state: SessionState) -> str:
    """"  8.5/9.0 km/h" (measured / target) while a machine or sensor is in use, "  -/150 W"
    before a reading comes, "  142 W" for a sensor the loop does not steer; nothing without
    an effort source."""
    unit = state.effort_unit
    if unit is None or (state.effort is None and state.target_effort is None):
        return ""
    digits = 1 if unit == "km/h" else 0
    actual = "-" if state.effort is None else f"{state.effort:.{digits}f}"
    target = "" if state.target_effort is None else f"/{state.target_effort:.{digits}f}"
    return f"  {actual}{target} {unit}"


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
        self._waiting = True  # until the first live reading

    def show(self, state: SessionState) -> None:
        """Print the line; a terminal that goes away (a closed pipe, a hung-up SSH session)
        ends the printing, never the training: the session goes on and is stored."""
        if self._ended:
            return
        self._ended = state.done
        try:
            self._print(state)
        except OSError as exc:  # BrokenPipeError and friends
            log.warning("the live line stops: %s", exc)
            self._ended = True

    def _print(self, state: SessionState) -> None:
        self._waiting = self._waiting and state.hr_bpm is None
        if self.tty:
            now = time.monotonic()  # the terminal's own pace, not the session clock
            if not state.done and state.phase == self._phase and \
                    now - self._drawn_at < TTY_REDRAW_S:
                return
            self._drawn_at, self._phase = now, state.phase
            text = live_text(state, self._waiting)
            self.out.write("\r" + text.ljust(self._width) + ("\n" if state.done else ""))
            self._width = len(text)
            self.out.flush()
        elif state.done or state.elapsed_s >= self._next_plain_s:
            self.out.write(live_text(state, self._waiting) + "\n")
            self._next_plain_s = (state.elapsed_s // PLAIN_LINE_EVERY_S + 1) * PLAIN_LINE_EVERY_S


def early_end(runner: SessionRunner) -> str | None:
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
        f"{printable(plan.title)} ({printable(plan.name)}) - {printable(profile.name)}; "
        f"{where}",
        f"  Duration          {mmss(s.duration_s)}"
        + (f" (ended early: {ended_early})" if (ended_early := early_end(runner)) else ""),
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
