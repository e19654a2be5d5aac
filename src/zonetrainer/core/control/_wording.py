"""The wording of the zone-control loop's cues (issue 13), apart from its decisions.

With a measured effort the cue names the effort the loop wants; without one it is graded by
the overshoot predicted if the bout runs its planned length (:mod:`._cues`). A plain "ease off"
the heart has answered (it stopped rising a dead time or more after the cue came) goes quiet
until HR rises again or leaves the band.
"""

from __future__ import annotations

import math

from zonetrainer.core.control import _cues as cues
from zonetrainer.core.control import _policy as policy
from zonetrainer.core.control import _timing as timing
from zonetrainer.core.control._base import BandLoop
from zonetrainer.core.control._drive import LeverDriver
from zonetrainer.core.control._model import extremes
from zonetrainer.core.control._shape import OpenInterval

Cue = policy.Cue


class CueWording(BandLoop):
    """The cue-related half of :class:`~zonetrainer.core.control.ZoneController`."""

    _driver: LeverDriver | None
    target_effort: float | None
    _off_since: float | None
    _ease_since: float | None
    _quiet: bool
    _cues: cues.CueTracker
    _trend: tuple[float, float]
    _open: OpenInterval
    _phase_active_s: float

    @property
    def _measured(self) -> bool:
        """A lever whose effort has been measured: its cues name efforts. A lever whose effort
        is never measured (no machine data, no sensor) cues as the time-only loop does."""
        return self._driver is not None and self._driver.applied is not None

    def _predictor(self, t: float, level: float) -> policy.Predict:
        """Extremes of HR from ``level`` at ``t`` under a future course of effort."""
        def predict(future: list[tuple[float, str]]) -> tuple[float, float, float, float]:
            est = self._model.estimate(t)
            until = future[-1][0] + est.dead_time_s + policy.DECISION_STEP_S
            inputs = self._model.effective_inputs(t, future, until - t)
            return extremes(level, t, inputs, est, until)
        return predict

    def _worded_cue(self, t: float, effort: float | None) -> str | None:
        if self.safety_rest or self.phase != "work":
            self._off_since = None
            return None
        if self._driver is not None and self._measured:
            target = self.target_effort
            if effort is None or target is None:
                return None
            lever = self._driver.lever
            tol = max(lever.nudge_step, cues.NUMBER_TOLERANCE_SHARE * abs(target))
            if abs(effort - target) <= tol:
                self._off_since = None
                return None
            if self._off_since is None:
                self._off_since = t
            if t - self._off_since < cues.NUMBER_AFTER_S:
                return None
            return cues.number(target, effort, lever.effort_unit)
        if self.cue != "ease off":
            self._ease_since = None
            return self.cue
        if self._ease_since is None:
            self._ease_since = t
        # the heart answered an "ease off" (it stopped rising a dead time or more after the
        # cue came): quiet until it rises again or leaves the band
        rising = self._trend[1] > 0.05
        answered_s = t - self._ease_since >= self.response.dead_time_s
        if self.hr_bpm is not None and not rising and self.hr_bpm <= self.high and answered_s:
            self._quiet = True
        elif rising or (self.hr_bpm is not None and self.hr_bpm > self.high):
            self._quiet = False
        if self._quiet:
            self._cues.answered(t)
            return None
        return cues.graded(self._overshoot_bpm())

    def _overshoot_bpm(self) -> float:
        """How far over the top HR is predicted to go if this bout runs its planned length."""
        if self.hr_bpm is None or self._last_t is None:
            return 0.0
        t = self._last_t
        left_s = max(policy.DECISION_STEP_S, self._open.planned_s - self._phase_active_s)
        peak = self._predictor(t, self.hr_bpm)([(t + left_s, "rest")])[0]
        if not self.intervals:
            # no whole bout seen yet: the model leans on its priors, so the readings' own
            # trend, carried over the rest of the bout at the model's tau, must agree
            level, rise = self._trend
            tau = self.response.tau_s
            u = left_s + self.response.dead_time_s
            peak = min(peak, level + max(0.0, rise) * tau * (1.0 - math.exp(-u / tau)))
        return max(self.hr_bpm, peak) - self.high

    def _plain_cue(self, m: policy.Moment) -> Cue | None:
        """Without a measured effort: "ease off" when the bout, run to its planned end, is
        predicted over the top (or at a bout's start after one that needed it); "pick it up"
        when the work effort's steady HR lies under the band."""
        if m.phase != "work" or self._measured:
            return None
        if self._overshoot_bpm() > policy.EASE_OFF_TOLERANCE_BPM:
            return "ease off"
        if m.active_s < policy.EARLY_EASE_OFF_S and m.level_bpm < m.high and m.eased_last_bout:
            return "ease off"
        if (m.response.work_bpm < m.bottom and m.level_bpm < m.bottom
                and m.active_s >= timing.MIN_WORK_FLOOR_S):
            return "pick it up"
        return None
