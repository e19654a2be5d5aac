"""Rest-only control for a strength circuit: every set runs its planned length, HR ends the rests.

In a circuit a set is a set: ``repeats`` sets of ``work_s`` each, whatever the heart rate does
(only the safety ceiling ends one early). What the heart rate decides is when the athlete has
recovered enough to start the next set: a rest ends when HR has settled back to the bottom of
the band. HR lags effort (a dead time of 5-15 s, DESIGN.md), so it keeps falling for a few
seconds after the next set starts; the loop therefore predicts the lowest HR a set started now
would leave, and starts the set when waiting any longer would take HR under the band's bottom.
So the set starts as HR reaches the bottom, not after it has undershot it.

Same API shape as :class:`zonetrainer.core.control.ZoneController`::

    c = RestController(low=108.0, high=125.0, work_s=60.0, rest_s=90.0, repeats=9)
    phase = c.update(t, hr)   # -> "work" | "rest" | "hold" | "done"

Deterministic; no clock and no I/O inside: ``t`` is seconds since the block started. The spike
filter (:mod:`zonetrainer.core.control`) and the identified response that predicts HR
(:mod:`zonetrainer.core.control`) are the zone-control loop's own.
"""

from __future__ import annotations

import logging
import math
from typing import Final

from zonetrainer.core.control._base import BandLoop
from zonetrainer.core.control._controller import ENDED_BY_ATHLETE, HOLD_AFTER_S, ControlPhase
from zonetrainer.core.control._model import extremes
from zonetrainer.core.control._policy import DECISION_STEP_S
from zonetrainer.core.control._shape import ControllerConfigError, check_config
from zonetrainer.core.model import IntervalRecord

log = logging.getLogger(__name__)

#: No rest is shorter than this, whatever the heart rate says. A hard set spends the muscle's
#: phosphocreatine, which comes back with a time constant of roughly 15-30 s after exercise
#: (Harris et al. 1976, Pflugers Arch 367:137; Forbes et al. 2009, Am J Physiol Regul
#: 296:R161): after 30 s well over half of it is back. An athlete whose HR barely rose (a light
#: set) still gets that much before the bar comes up again.
MIN_REST_S: Final = 30.0

#: Without a ``max_rest_s`` a rest ends at the latest after this many times its planned length:
#: long enough for a slow-recovering athlete (tau up to 110 s, DESIGN.md) to come down most of
#: the way, short enough that a day on which HR will not settle does not stall the circuit.
MAX_REST_FACTOR: Final = 2.0

#: A safety rest lasts until HR is this far below the ceiling: the same hysteresis as the zone
#: loop's and the engine's fixed blocks, so every block behaves alike.
SAFETY_RELEASE_BPM: Final = 5.0

SET_DONE: Final = "planned length reached"
SAFETY_REASON: Final = "safety ceiling"
LONGEST_REST: Final = "longest rest reached"

__all__ = ["ENDED_BY_ATHLETE", "LONGEST_REST", "MAX_REST_FACTOR", "MIN_REST_S", "RestController"]


class RestController(BandLoop):
    """``repeats`` sets of ``work_s``, each followed by a rest that ends when HR has settled.

    A rest ends at the first of: HR predicted to reach ``low`` (plus a small margin) if the
    next set started at the next decision (reason "HR settled to 110 bpm", or "HR settles to
    110 bpm in 9 s (predicted)"); ``max_rest_s`` reached ("longest rest reached"; default
    ``MAX_REST_FACTOR * rest_s``). Never before ``min_rest_s``, and never while HR is above
    ``safety_max`` (or has not yet fallen 5 bpm below it). HR above ``safety_max`` ends a set at
    once ("safety ceiling"); that set counts as done. After the last set's rest: ``"done"``.
    :meth:`end_interval` lets the athlete end a set or a rest early ("ended by the athlete").

    Signal loss: after ``HOLD_AFTER_S`` without a usable reading the answer is ``"hold"``. A
    set's length does not depend on heart rate, so a set still ends on time; a rest cannot end
    on heart rate without one, only at ``max_rest_s`` (unless the last reading was a safety
    rest: then it waits for a reading below the ceiling).

    Attributes as on :class:`zonetrainer.core.control.ZoneController`: ``phase``, ``cue``
    (always None: a set's cues are the plan's), ``last_switch_reason``, ``predicted_hr_bpm`` and
    ``predicted_in_s`` (in a rest: the lowest HR if the next set started at the next decision,
    and when), ``hr_bpm``, ``safety_rest``, ``response``, ``planned_s``, ``phase_elapsed_s``,
    ``intervals`` (completed intervals, times in seconds since the block started), and
    ``sets_done`` and ``final_rest`` (the rest after the last set is running).
    """

    def __init__(self, low: float, high: float, work_s: float, rest_s: float, repeats: int,
                 safety_max: float | None = None, min_rest_s: float = MIN_REST_S,
                 max_rest_s: float | None = None) -> None:
        if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
            raise ControllerConfigError(f"repeats must be a whole number >= 1, got {repeats!r}")
        if (isinstance(min_rest_s, bool) or not isinstance(min_rest_s, int | float)
                or not 0.0 <= min_rest_s < math.inf):
            raise ControllerConfigError(
                f"min_rest_s must be a number of seconds >= 0, got {min_rest_s!r}")
        check_config(low, high, work_s, rest_s, repeats * (work_s + rest_s), safety_max,
                     min_rest_s)
        longest = max(min_rest_s, MAX_REST_FACTOR * rest_s) if max_rest_s is None else max_rest_s
        if (isinstance(longest, bool) or not isinstance(longest, int | float)
                or not math.isfinite(longest) or longest < min_rest_s):
            raise ControllerConfigError(
                f"max_rest_s must be a number >= min_rest_s ({min_rest_s:g}), got {max_rest_s!r}")
        super().__init__(low, high, safety_max)
        self.target_effort: float | None = None  # sets have no effort lever
        self.work_s, self.rest_s = float(work_s), float(rest_s)
        self.repeats = repeats
        self.min_rest_s, self.max_rest_s = float(min_rest_s), float(longest)
        self.sets_done = 0
        self._start_s = 0.0

    # ----------------------------------------------------------------------------------------
    @property
    def final_rest(self) -> bool:
        """The rest after the last set is running: the block ends with it."""
        return self.phase == "rest" and self.sets_done >= self.repeats

    @property
    def planned_s(self) -> float:
        """The planned length of the interval now running (the nominal rest in a rest)."""
        return self.work_s if self.phase == "work" else self.rest_s

    @property
    def phase_elapsed_s(self) -> float:
        """Time in the current set or rest, holds included (sets and rests run on block time)."""
        return 0.0 if self._last_t is None else self._last_t - self._start_s

    @property
    def expected_remaining_s(self) -> float | None:
        """Seconds until the current set or rest is expected to end, from the latest reading.

        A set: its planned length. A rest: when the identified first-order response, falling
        toward the rest level, would make a set started then bottom out at the band's bottom,
        within the minimum and longest rest. None before the first reading.
        """
        if self._last_t is None or self._done:
            return None
        elapsed = self.phase_elapsed_s
        if self.phase == "work":
            return max(0.0, self.work_s - elapsed)
        earliest = max(0.0, self.min_rest_s - elapsed)
        latest = max(0.0, self.max_rest_s - elapsed)
        if self.hr_bpm is None or self.safety_rest:
            return latest
        est = self._model.estimate(self._last_t)
        target, now = self.low + self.margin_bpm, self.hr_bpm
        if not est.rest_bpm < target < now:
            return earliest if now <= target else latest
        # HR keeps falling for the dead time after the set starts: trough = rest level plus the
        # gap now decayed over (wait + dead time).
        wait_s = est.tau_s * math.log((now - est.rest_bpm) / (target - est.rest_bpm))
        return min(latest, max(earliest, wait_s - est.dead_time_s))

    def update(self, t: float, hr: float | None) -> ControlPhase:
        """Feed one reading (``t`` s since the block started, ``hr`` bpm or None); get the phase.

        ``t`` must not go backwards. ``hr`` None, 0, not a number or out of the physiological
        range counts as no reading.
        """
        t = self._checked_time(t)
        if self._done:
            return "done"
        self._last_t = t
        reading = self._filter.add(t, hr)
        self._model.step(t, reading.raw_bpm)
        live = reading.hr_bpm is not None and reading.raw_bpm is not None
        self.hr_bpm = reading.hr_bpm if live else None
        if reading.above_safety:
            self.safety_rest = True
            if self.phase == "work":
                self._switch(t, SAFETY_REASON)
        elif (self.safety_rest and self.hr_bpm is not None and self.safety_max is not None
              and self.hr_bpm <= self.safety_max - SAFETY_RELEASE_BPM):
            self.safety_rest = False

        elapsed = t - self._start_s
        if self.phase == "work":
            self.predicted_hr_bpm = self.predicted_in_s = None
            if elapsed >= self.work_s:
                self._switch(t, SET_DONE)
        else:
            reason = self._rest_over(t, elapsed)
            if reason is not None:
                self._switch(t, reason)
        if self._done:
            return "done"
        if not live and self._filter.lost_for_s(t) >= HOLD_AFTER_S:
            return "hold"
        return self.phase

    def end_interval(self, t: float, reason: str = ENDED_BY_ATHLETE) -> bool:
        """End the current set (the athlete finished it early) or rest (the athlete is ready)
        at ``t``. Refused (False) once done and during a safety rest."""
        t = float(t)
        if self._done or (self.phase == "rest" and self.safety_rest) or t != t:
            return False
        if self._last_t is not None and t < self._last_t:
            raise ValueError(f"t went backwards: {t} after {self._last_t}")
        self._last_t = t
        self._switch(t, reason)
        return True

    # ----------------------------------------------------------------------------------------
    def _rest_over(self, t: float, elapsed: float) -> str | None:
        """Why the rest ends now, or None while it goes on."""
        self.predicted_hr_bpm = self.predicted_in_s = None
        if self.safety_rest:
            return None
        if self.hr_bpm is not None:
            trough_next, in_s = self._trough(t, t + DECISION_STEP_S)
            self.predicted_hr_bpm, self.predicted_in_s = trough_next, in_s
        if elapsed >= self.max_rest_s:
            return LONGEST_REST if self.hr_bpm is not None else f"{LONGEST_REST} (no signal)"
        if self.hr_bpm is None or elapsed < self.min_rest_s:
            return None
        assert self.predicted_hr_bpm is not None
        bottom = self.low + self.margin_bpm
        if self.predicted_hr_bpm > bottom:
            return None
        if self.hr_bpm <= bottom:
            return f"HR settled to {self.hr_bpm:.0f} bpm"
        trough_now, in_s = self._trough(t, t)
        return f"HR settles to {trough_now:.0f} bpm in {in_s:.0f} s (predicted)"

    def _trough(self, t: float, set_at: float) -> tuple[float, float]:
        """The lowest HR, and in how many seconds, if the next set starts at ``set_at``."""
        assert self.hr_bpm is not None
        est = self._model.estimate(t)
        until = set_at + est.dead_time_s + DECISION_STEP_S
        inputs = self._model.effective_inputs(t, [(set_at, "work")], until - t)
        _, _, low_bpm, t_low = extremes(self.hr_bpm, t, inputs, est, until)
        return low_bpm, t_low - t

    def _switch(self, t: float, reason: str) -> None:
        kind = self.phase
        self.intervals.append(IntervalRecord(
            index=len(self.intervals), kind=kind, start_s=self._start_s, end_s=t,
            planned_s=self.planned_s, end_reason=reason))
        self.last_switch_reason = reason
        self._start_s = t
        log.debug("%.1f s: %s ended (%s)", t, kind, reason)
        if kind == "work":
            self.sets_done += 1
            self.phase = "rest"
        elif self.sets_done >= self.repeats:
            self._done = True
            return
        else:
            self.phase = "work"
        self._model.note_phase(t, self.phase)
