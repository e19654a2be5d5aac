"""How the engine walks one block of a plan: fixed-length blocks and controlled interval blocks.

Each walker is told the block's own time (seconds since the block began, pauses excluded) and
the latest reading; it says the phase, the cue, and which intervals ended. Times of intervals are
kept by the engine in session seconds; a walker reports only *that* an interval ended, of which
kind, with which planned length and why.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal, Protocol

from zonetrainer.core.control import (
    BoutHistory,
    EffortLever,
    HeartRateFilter,
    RestController,
    ZoneController,
)
from zonetrainer.core.model import Band, IntervalKind, IntervalRecord, Phase
from zonetrainer.core.plan import Block
from zonetrainer.core.ramp import RAMP_FINISHED, STEP_SKIPPED

#: Below the safety ceiling by this much, a forced rest may end. The same hysteresis as the
#: control loop's (zonetrainer.core.control) so every block behaves alike.
SAFETY_RELEASE_BPM: Final = 5.0

#: Steady-block cues compare the mean of this many seconds of HR with the band: one noisy
#: reading (SD 1.5-3 bpm, DESIGN.md) must not flip the cue every second.
CUE_WINDOW_S: Final = 10.0

#: The controller rejects a rest of 0 s; a plan may ask for none. The controller still keeps its
#: minimum interval, so this only means "go back to work as soon as the loop allows".
SHORTEST_REST_S: Final = 1.0

SAFETY_REASON: Final = "safety ceiling"


class Controller(Protocol):
    """What the engine uses of :class:`zonetrainer.core.control.ZoneController`."""

    @property
    def phase(self) -> Literal["work", "rest"]: ...

    @property
    def cue(self) -> str | None: ...

    @property
    def safety_rest(self) -> bool: ...

    @property
    def intervals(self) -> list[IntervalRecord]: ...

    @property
    def planned_s(self) -> float: ...

    @property
    def phase_elapsed_s(self) -> float: ...

    #: What the machine should run now (None: no effort lever), in the lever's unit (issue 13).
    @property
    def target_effort(self) -> float | None: ...

    def update(self, t: float, hr: float | None) -> str: ...


#: (low, high, work_s, rest_s, duration_s, safety_max) -> a controller for one intervals block.
ControllerFactory = Callable[[float, float, float, float, float, float | None], Controller]


def default_controller(low: float, high: float, work_s: float, rest_s: float,
                       duration_s: float, safety_max: float | None,
                       history: BoutHistory | None = None, effort: EffortLever | None = None,
                       min_work_s: float | None = None) -> Controller:
    return ZoneController(low=low, high=high, work_s=work_s, rest_s=rest_s,
                          duration_s=duration_s, safety_max=safety_max, history=history,
                          effort=effort, min_work_s=min_work_s)


#: The widest efforts a lever built from a plan may ask for, per unit, when the machine's own
#: range is not known here (the machine's client clamps to its supported range and step).
LEVER_LIMITS: Final = {"km/h": (1.0, 25.0), "W": (0.0, 1500.0)}

#: A measured effort older than this many updates (about seconds) counts as unknown: the engine
#: shows an effort reading while it is at most 5 s old.
EFFORT_STALE_UPDATES: Final = 5


def lever_for(block: Block) -> EffortLever | None:
    """The effort lever of an intervals block that names its efforts."""
    if block.effort is None:
        return None
    low, high = LEVER_LIMITS[block.effort.unit]
    return EffortLever(work=min(high, max(low, block.effort.work)),
                       rest=min(high, max(low, block.effort.rest)), low=low, high=high,
                       unit=block.effort.unit)


@dataclass(frozen=True, slots=True)
class Ended:
    """An interval that ended at the walker's latest update."""

    kind: IntervalKind
    planned_s: float
    reason: str


class BlockWalk(Protocol):
    block: Block
    done: bool
    phase: Phase  # warmup, work, rest, cooldown, or hold (a controlled block without signal)
    open_kind: IntervalKind
    open_planned_s: float
    cue: str | None
    safety_rest: bool
    ramp_step: int | None
    #: What the machine should run now, in the block's effort unit; None without an effort lever.
    target_effort: float | None
    #: How often the cue has gone unanswered: 0 first, 1 repeated, 2 escalated.
    cue_level: int

    def update(self, t_s: float, hr_bpm: float | None) -> list[Ended]: ...

    def resumed(self) -> None: ...

    def take_effort(self, effort: float | None) -> None:
        """The effort applied or measured now (None: unknown), for the next :meth:`update`."""
        ...

    def nudge_effort(self, steps: int) -> None:
        """The athlete moved the effort by ``steps`` (+/-): the lever takes it as its new base."""
        ...

    def remaining_s(self, t_s: float) -> float | None: ...

    def next_phase(self) -> Phase | None: ...


class FixedWalk:
    """warmup, cooldown, steady (continuous work with band cues) and ramp (steps of step_s).

    The block's length is fixed; the safety ceiling turns any of them into a rest until HR falls
    back below it, and the block's clock keeps running meanwhile.
    """

    def __init__(self, block: Block, band: Band, safety_max_bpm: float | None) -> None:
        self.block = block
        self.band = band
        self.safety_max_bpm = safety_max_bpm
        self.done = False
        self.base_kind: IntervalKind = ("warmup" if block.kind == "warmup" else
                                        "cooldown" if block.kind == "cooldown" else "work")
        self.phase: Phase = self.base_kind
        self.open_kind: IntervalKind = self.base_kind
        self.ramp_step: int | None = 0 if block.kind == "ramp" else None
        self.open_planned_s = block.step_s if block.kind == "ramp" else block.planned_s
        self.cue: str | None = None
        self.safety_rest = False
        self.target_effort: float | None = None
        self.cue_level = 0
        self._filter = HeartRateFilter(safety_max_bpm=safety_max_bpm)
        self._recent: deque[tuple[float, float]] = deque()
        #: Ramp steps (1-based) the athlete cut short, and the block time that skipped: the
        #: block's clock runs that far ahead of the time the engine gives.
        self.skipped_steps: list[int] = []
        self._ahead_s = 0.0

    def resumed(self) -> None:
        """After a pause: the block's clock stood still, the heart did not."""
        self._filter.restart()
        self._recent.clear()

    def take_effort(self, effort: float | None) -> None:
        """Fixed blocks run the plan's effort; what is measured changes nothing here."""

    def nudge_effort(self, steps: int) -> None:
        """Fixed blocks have no lever to move."""

    def skip_step(self, t_s: float) -> list[Ended]:
        """The athlete ends this ramp step now (Ctrl+N): the next step starts at once, with its
        whole length; skipping the last step ends the block. Refused (nothing ends) outside a
        ramp and in a safety rest, whose end the heart rate decides."""
        if self.done or self.ramp_step is None or self.safety_rest:
            return []
        ended = [Ended(self.open_kind, self.open_planned_s, STEP_SKIPPED)]
        self.skipped_steps.append(self.ramp_step + 1)
        if self.ramp_step + 1 >= self.block.steps:
            self.done = True
            self.cue = None
            return ended
        self.ramp_step += 1
        self._ahead_s = self.ramp_step * self.block.step_s - t_s
        self.open_planned_s = self.block.step_s
        return ended

    def update(self, t_s: float, hr_bpm: float | None) -> list[Ended]:
        ended: list[Ended] = []
        if self.done:
            return ended
        t_s += self._ahead_s
        if t_s >= self.block.planned_s:
            reason = RAMP_FINISHED if self.block.kind == "ramp" else "planned length reached"
            ended.append(Ended(self.open_kind, self.open_planned_s, reason))
            self.done = True
            self.cue = None
            return ended
        if self.block.kind == "ramp":
            step = int(t_s // self.block.step_s)
            if self.ramp_step is not None and step > self.ramp_step:
                self.ramp_step = step
                if not self.safety_rest:
                    ended.append(Ended(self.open_kind, self.open_planned_s, "step done"))
                    self.open_planned_s = self.block.step_s
        reading = self._filter.add(t_s, hr_bpm)
        if reading.hr_bpm is not None:
            self._recent.append((t_s, reading.hr_bpm))
        while self._recent and self._recent[0][0] < t_s - CUE_WINDOW_S:
            self._recent.popleft()
        if reading.above_safety and not self.safety_rest:
            ended.append(Ended(self.open_kind, self.open_planned_s, SAFETY_REASON))
            self.safety_rest = True
            self.phase = self.open_kind = "rest"
            self.open_planned_s = 0.0  # a forced rest has no planned length
        elif (self.safety_rest and reading.hr_bpm is not None and self.safety_max_bpm is not None
              and reading.hr_bpm <= self.safety_max_bpm - SAFETY_RELEASE_BPM):
            ended.append(Ended("rest", 0.0, "HR back below the safety ceiling"))
            self.safety_rest = False
            self.phase = self.open_kind = self.base_kind
            self.open_planned_s = (self.block.step_s - t_s % self.block.step_s
                                   if self.block.kind == "ramp" else self.block.planned_s - t_s)
        self.cue = self._cue()
        return ended

    def _cue(self) -> str | None:
        if self.safety_rest:
            return "rest now"
        if self.block.kind == "steady" and self._recent:
            mean = sum(hr for _, hr in self._recent) / len(self._recent)
            if mean > self.band.high_bpm:
                return "ease off"
            if mean < self.band.low_bpm:
                return "pick it up"
        return self.block.cue or None

    def remaining_s(self, t_s: float) -> float | None:
        if self.ramp_step is not None:  # counted from the step, not t % step_s: a skip moves
            # the clock to a step's start, which rounding could put a hair before it
            return max(0.0, (self.ramp_step + 1) * self.block.step_s - (t_s + self._ahead_s))
        return max(0.0, self.block.planned_s - t_s)

    def next_phase(self) -> Phase | None:
        return None  # the engine fills in the next block's phase


#: How often a zone-controlled phase's countdown asks the loop for a new forecast (s of block
#: time); in between it counts down. A forecast moves by a few seconds at most in that time.
FORECAST_REFRESH_S: Final = 5.0


class ControlledWalk:
    """An ``intervals`` block: the zone-control loop decides when work and rest switch."""

    def __init__(self, block: Block, band: Band, safety_max_bpm: float | None,
                 factory: ControllerFactory) -> None:
        self.block = block
        args = (band.low_bpm, band.high_bpm, block.work_s, max(block.rest_s, SHORTEST_REST_S),
                block.planned_s, safety_max_bpm)
        lever = lever_for(block) if block.control == "both" else None
        if getattr(factory, "func", factory) is default_controller and (
                lever is not None or block.min_work_s is not None):
            # the default loop takes the block's lever and shortest work bout; an injected
            # factory keeps its six arguments
            make: Callable[..., Controller] = factory
            self.controller = make(*args, effort=lever, min_work_s=block.min_work_s)
        else:
            self.controller = factory(*args)
        self.cue_level = 0
        self._effort: float | None = None
        self._effort_age = 0
        self.done = False
        self.phase: Phase = "work"
        self.open_kind: IntervalKind = "work"
        self.open_planned_s = block.work_s
        self.cue: str | None = None
        self.safety_rest = False
        self.target_effort: float | None = None
        self.ramp_step: int | None = None
        self._seen = 0
        # (intervals seen, t_s, seconds left or None) of the loop's latest forecast
        self._forecast: tuple[int, float, float | None] | None = None

    def update(self, t_s: float, hr_bpm: float | None) -> list[Ended]:
        if self.done:
            return []
        self._effort_age += 1
        if self._effort_age > EFFORT_STALE_UPDATES:
            self._effort = None
        if isinstance(self.controller, ZoneController):
            return self._sync(self.controller.update(t_s, hr_bpm, self._effort))
        return self._sync(self.controller.update(t_s, hr_bpm))

    def take_effort(self, effort: float | None) -> None:
        """The effort applied or measured now (None: unknown), for the controller's next
        decision."""
        self._effort, self._effort_age = effort, 0

    def nudge_effort(self, steps: int) -> None:
        """The athlete moved the effort: the lever takes it as its new base."""
        nudge = getattr(self.controller, "nudge_effort", None)
        if nudge is not None and not self.done:
            nudge(steps)
            self.target_effort = self.controller.target_effort

    def resumed(self) -> None:
        """After a pause; an injected controller without ``resume`` is left as it is."""
        resume = getattr(self.controller, "resume", None)
        if resume is not None:
            resume()

    def _sync(self, answer: str) -> list[Ended]:
        """Take over the controller's phase, cue and newly ended intervals after ``answer``."""
        records = self.controller.intervals[self._seen:]
        self._seen = len(self.controller.intervals)
        ended = [Ended(r.kind, r.planned_s, r.end_reason) for r in records]
        self.done = answer == "done"
        self.open_kind = self.controller.phase
        self.open_planned_s = self.controller.planned_s
        self.phase = "hold" if answer == "hold" else self.controller.phase
        self.safety_rest = bool(self.controller.safety_rest)
        self.target_effort = self.controller.target_effort
        self.cue_level = int(getattr(self.controller, "cue_level", 0))
        self.cue = "rest now" if self.safety_rest else self.controller.cue
        if self.cue is None and not self.done and self.controller.phase == "work":
            self.cue = self.block.cue or None  # the block's text is about the work, not a rest
        return ended

    def end_interval(self, t_s: float) -> list[Ended]:
        """The athlete ends the work bout (set) or the rest now; refused in a safety rest,
        and by a controller that cannot be told (an injected one without ``end_interval``)."""
        end = getattr(self.controller, "end_interval", None)
        if self.done or end is None or not end(t_s):
            return []
        done = bool(getattr(self.controller, "done", False))
        return self._sync("done" if done else self.controller.phase)

    def remaining_s(self, t_s: float) -> float | None:
        # The loop's own forecast of when this phase ends, where it has one: planned length
        # minus elapsed would show "4:00 left" in a bout that the band will end in 40 s.
        # The forecast costs a prediction over the horizon, so it is refreshed every
        # FORECAST_REFRESH_S and counted down in between (and at once after a switch).
        cached = self._forecast
        if (cached is None or cached[0] != self._seen
                or not 0.0 <= t_s - cached[1] < FORECAST_REFRESH_S):
            expected = getattr(self.controller, "expected_remaining_s", None)
            cached = (self._seen, t_s, None if expected is None else float(expected))
            self._forecast = cached
        if cached[2] is not None:
            return max(0.0, cached[2] - (t_s - cached[1]))
        return max(0.0, self.controller.planned_s - self.controller.phase_elapsed_s)

    def next_phase(self) -> Phase | None:
        return "work" if self.open_kind == "rest" else "rest"


class RestControlledWalk(ControlledWalk):
    """An ``intervals`` block with ``control = "rest"``: planned sets, HR-controlled rests
    (:class:`zonetrainer.core.control.RestController`). The block ends after its last
    set's rest, so its length follows the rests, not ``block.planned_s``."""

    def __init__(self, block: Block, band: Band, safety_max_bpm: float | None) -> None:
        def factory(low: float, high: float, work_s: float, rest_s: float, _duration_s: float,
                    safety_max: float | None) -> RestController:
            return RestController(low, high, work_s, rest_s, block.repeats, safety_max,
                                  max_rest_s=block.max_rest_s)

        super().__init__(block, band, safety_max_bpm, factory)
        self.rest_controller: RestController = self.controller  # type: ignore[assignment]

    def remaining_s(self, t_s: float) -> float | None:
        expected = self.rest_controller.expected_remaining_s
        return super().remaining_s(t_s) if expected is None else expected

    def next_phase(self) -> Phase | None:
        return None if self.rest_controller.final_rest else super().next_phase()



def walk_for(block: Block, band: Band, safety_max_bpm: float | None,
             factory: ControllerFactory) -> BlockWalk:
    if block.kind == "intervals" and block.control == "rest":
        return RestControlledWalk(block, band, safety_max_bpm)
    if block.kind == "intervals":
        return ControlledWalk(block, band, safety_max_bpm, factory)
    return FixedWalk(block, band, safety_max_bpm)
