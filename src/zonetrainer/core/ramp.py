"""How a session's ramp went against its plan: every step run to its end, or cut short.

The engine keeps one :class:`RampCourse` for a plan with a ramp block; the runner stores it
with the session (under :data:`EXTRA_KEY`) and counts a ramp that did not run as planned as
"ended early"; the threshold analysis and the result screens say what that means for the
estimate. A stored session from before this record existed gets one from its intervals
(:func:`course_of_record`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final

from zonetrainer.core.model import IntervalRecord, SessionEvent, SessionRecord

#: The reason a ramp block's last interval ends with when the block ran its whole length.
RAMP_FINISHED: Final = "ramp finished"
#: The reason of a ramp step the athlete skipped (Ctrl+N): the next step starts at once.
STEP_SKIPPED: Final = "step skipped"
#: ``ended`` of a ramp the session never reached (ended in the warm-up).
NOT_REACHED: Final = "not reached"
#: The key a ramp's course is stored under in SessionRecord.extra.
EXTRA_KEY: Final = "ramp_course"


@dataclass(frozen=True, slots=True)
class RampCourse:
    """``steps_planned`` (0: not known); ``steps_begun``: how many steps began (0: the ramp
    never did); ``skipped_steps``: the numbers (1-based) of the steps the athlete cut short;
    ``ended``: :data:`RAMP_FINISHED`, or what stopped the ramp ("step skipped" for its last
    step, "skipped" for the whole block, the session's end reason, :data:`NOT_REACHED`, or ""
    while it runs); ``safety_rests``: forced rests above the safety ceiling during it."""

    steps_planned: int
    steps_begun: int = 0
    skipped_steps: tuple[int, ...] = ()
    ended: str = ""
    safety_rests: int = 0

    @property
    def ran_to_end(self) -> bool:
        """The ramp ran to its last step's end (some steps may have been skipped on the way)."""
        return self.ended == RAMP_FINISHED

    @property
    def as_planned(self) -> bool:
        """Every step ran its whole length."""
        return self.ran_to_end and not self.skipped_steps

    def describe(self) -> str:
        """How the ramp was cut short, in plain words; "" when it ran as planned."""
        if self.as_planned:
            return ""
        of = f" of {self.steps_planned}" if self.steps_planned else ""
        cut = list(self.skipped_steps)
        if self.ended == STEP_SKIPPED and cut and cut[-1] == self.steps_begun:
            cut.pop()  # the last step: said first
        skipped = ""
        if cut:
            words = " and ".join(filter(None, (", ".join(map(str, cut[:-1])), str(cut[-1]))))
            skipped = (f"step{'s' if len(cut) > 1 else ''} {words}{of} "
                       f"{'were' if len(cut) > 1 else 'was'} skipped")
        if self.ran_to_end:
            return f"The ramp did not run as planned: {skipped}."
        if self.ended == NOT_REACHED:
            first = "The test was cut short: the session ended before the ramp began"
        elif self.ended == STEP_SKIPPED:
            first = f"The test was cut short: its last step ({self.steps_begun}{of}) was skipped"
        elif self.ended == "skipped":
            first = f"The test was cut short: the ramp was skipped at step {self.steps_begun}{of}"
        else:
            where = f" at step {self.steps_begun}{of}" if self.steps_begun else ""
            first = f"The test was cut short{where}" + (f" ({self.ended})" if self.ended else "")
        return first + (f"; {skipped} before" if skipped else "") + "."

    def meaning(self, estimate: bool) -> str:
        """:meth:`describe` with what it means for the threshold (``estimate``: the analysis
        gave one); "" when the ramp ran as planned."""
        how = self.describe()
        if not how:
            return ""
        if not self.ran_to_end:
            return how + (" Fewer readings than planned lie above the threshold and the fit "
                          "rests on fewer of them: the estimate may be unreliable." if estimate
                          else " A whole ramp may give an estimate.")
        return how + (" Where a step was skipped the effort rose sooner than planned; alpha1, "
                      "taken over 2-minute windows, lags behind it, so fewer readings cover "
                      "those heart rates and the estimate may be off by more than its "
                      "uncertainty says." if estimate else
                      " Skipped steps leave fewer readings to fit.")

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RampCourse:
        data: dict[str, Any] = json.loads(text)
        data["skipped_steps"] = tuple(data.get("skipped_steps", ()))
        return cls(**data)


def course_of_record(record: SessionRecord) -> RampCourse | None:
    """The ramp course stored with ``record``; for a session stored without one (before it was
    recorded), what its intervals and events tell: a ramp block that reached its end leaves an
    interval ended "ramp finished", so without one a session that ended early was cut short.
    None when nothing is known (an imported recording, a damaged value)."""
    raw = record.extra.get(EXTRA_KEY)
    if raw is not None:
        try:
            return RampCourse.from_json(raw)
        except (ValueError, TypeError):
            return None
    return _course_from_intervals(record.intervals, record.events, record.status)


def _course_from_intervals(intervals: Sequence[IntervalRecord], events: Sequence[SessionEvent],
                           status: str) -> RampCourse | None:
    if any(i.end_reason == RAMP_FINISHED for i in intervals):
        return RampCourse(0, ended=RAMP_FINISHED)
    if any(e.kind == "skip" and "(ramp)" in e.detail for e in events):
        return RampCourse(0, ended="skipped")  # the engine's skip event names the block kind
    if status != "ended early":
        return None
    ends = [e.detail for e in events if e.kind == "end"]
    return RampCourse(0, ended=ends[-1] if ends else "ended early")
