"""The lever's driver: what effort the machine (or the athlete) should run now.

Rules, in this order (issue 13): above the safety ceiling, rest effort at once; without a heart
rate the target never rises, and after :data:`LOST_DROP_S` it is the rest effort; in a rest,
the rest effort; in work, the model's effort for the band's middle (:mod:`._lever`), moved at
most :data:`._lever.MAX_RATE_SHARE_PER_S` of the lever's span a second. Always inside
``[low, high]``. A nudge moves the target by whole steps and becomes the new base: the loop
holds it for :data:`NUDGE_HOLD_S`, then goes on from there (the model has learnt from it).
"""

from __future__ import annotations

from typing import Final

from zonetrainer.core.control._lever import (
    MAX_RATE_SHARE_PER_S,
    EffortLever,
    EffortModel,
    cap_for,
    work_aim,
)

#: Without a heart rate for this long the target drops to the rest effort (issue 13).
LOST_DROP_S: Final = 30.0

#: A nudged target is held this long before the loop moves it again: the athlete asked for it,
#: and the heart needs a dead time and some of a time constant to show what it does.
NUDGE_HOLD_S: Final = 30.0


class LeverDriver:
    """Keeps the target effort; one :meth:`step` per reading."""

    def __init__(self, lever: EffortLever, low_bpm: float, high_bpm: float) -> None:
        self.lever = lever
        self.low_bpm, self.high_bpm = low_bpm, high_bpm
        self.model = EffortModel(lever.prior_gain(), max(abs(lever.work), lever.nudge_step))
        self.target: float = lever.clamp(lever.rest)
        self.applied: float | None = None  # the latest measured effort
        self._held_until = -1.0
        self._last_t: float | None = None
        self._fresh = True
        self._work_target: float | None = None  # the target in the latest work reading

    def applied_now(self, measured: float | None) -> float:
        """What the heart works against now: the measured effort, else the target asked."""
        if measured is not None:
            self.applied = float(measured)
            return self.applied
        return self.target

    def learn(self, t: float, measured: float | None, hr_bpm: float | None) -> None:
        self.model.step(t, self.applied_now(measured), hr_bpm)

    def nudge(self, t: float, steps: int) -> None:
        self.target = self.lever.clamp(self.target + steps * self.lever.nudge_step)
        self._held_until = t + NUDGE_HOLD_S

    def step(self, t: float, phase: str, lost_s: float, safety: bool) -> float:
        dt = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        if safety or phase == "rest":
            self.target = self.lever.clamp(self.lever.rest)
            return self.target
        if lost_s > 0.0:
            if lost_s >= LOST_DROP_S:
                self.target = self.lever.clamp(self.lever.rest)
            return self.target  # never raised without a heart rate
        if t < self._held_until or not self.model.started:
            return self.target
        if self._fresh:  # the block's first decision: from the model at once, as a bout's start
            self._fresh = False
            self.start_work(t)
            return self.target
        wanted = self.model.effort_for(t, work_aim(self.low_bpm, self.high_bpm),
                                       cap_for(self.high_bpm))
        span = self.lever.high - self.lever.low
        limit = MAX_RATE_SHARE_PER_S * span * max(dt, 1.0)
        self.target = self.lever.clamp(min(self.target + limit, max(self.target - limit, wanted)))
        self._work_target = self.target
        return self.target

    def start_work(self, t: float) -> None:
        """A work bout begins: from the model's effort at once (not the rate limit's ramp),
        the rest effort no lower bound."""
        if not self.model.started or t < self._held_until:
            return
        wanted = self.model.effort_for(t, work_aim(self.low_bpm, self.high_bpm),
                                       cap_for(self.high_bpm))
        # Never above the plan's work effort, or the latest bout's if higher: after a warm-up
        # the heart has not settled, so the model's first answer overshoots (a belt at 11.7
        # km/h for a plan that says 9); the rate limit takes it higher if the heart needs it.
        ceiling = max(self.lever.work, self._work_target or self.lever.work)
        self.target = self.lever.clamp(min(ceiling, max(self.lever.rest, wanted)))
        self._work_target = self.target
