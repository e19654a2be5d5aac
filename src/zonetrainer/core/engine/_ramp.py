"""The engine's tally of a plan's ramp blocks: steps begun, steps skipped, how the ramp ended
(:class:`zonetrainer.core.ramp.RampCourse`). A plan with several ramp blocks counts as one
ramp: their steps add up, and the first that did not finish says how the ramp ended."""

from __future__ import annotations

from zonetrainer.core.engine._blocks import BlockWalk, FixedWalk
from zonetrainer.core.plan import Plan
from zonetrainer.core.ramp import NOT_REACHED, RAMP_FINISHED, RampCourse


class RampTally:
    def __init__(self, plan: Plan) -> None:
        self.ramps = sum(1 for b in plan.blocks if b.kind == "ramp")  # ramp blocks planned
        self.steps_planned = sum(b.steps for b in plan.blocks if b.kind == "ramp")
        self._begun = 0
        self._skipped: list[int] = []
        self._ended = ""  # "" until a ramp block leaves; then its reason, first cut wins
        self._left = 0  # ramp blocks left so far
        self.safety_rests = 0

    def leave(self, walk: BlockWalk, reason: str) -> None:
        """A ramp block's walk ends (``reason``: its last interval's end reason)."""
        self._begun, before = self._begun + self._steps(walk), self._begun
        if isinstance(walk, FixedWalk):
            self._skipped.extend(before + n for n in walk.skipped_steps)
        self._left += 1
        if self._ended in ("", RAMP_FINISHED):
            self._ended = reason

    def course(self, walk: BlockWalk | None, done: bool) -> RampCourse:
        """The course so far; ``walk``: the open block's walk, ``done``: the session is over."""
        begun, skipped, ended = self._begun, list(self._skipped), self._ended
        if walk is not None and walk.block.kind == "ramp":
            if isinstance(walk, FixedWalk):
                skipped.extend(begun + n for n in walk.skipped_steps)
            begun += self._steps(walk)
        if ended == RAMP_FINISHED and self._left < self.ramps:
            ended = ""  # another ramp block is still to come
        if done and not ended:
            ended = NOT_REACHED if begun == 0 else "the session ended first"
        return RampCourse(self.steps_planned, begun, tuple(skipped), ended, self.safety_rests)

    @staticmethod
    def _steps(walk: BlockWalk) -> int:
        return walk.ramp_step + 1 if walk.ramp_step is not None else 0
