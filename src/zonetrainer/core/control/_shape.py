"""The shape of one controlled block: its checked settings and the planned interval lengths.

Two ways to keep a plan's shape, chosen by the user (``keep_pairs``):

- ``keep_pairs=False`` (the default, "band first"): the block's total length is exact, and the
  loop sets every interval's length from the heart rate. The number of work/rest pairs follows
  the athlete: shorter, more pairs when HR answers fast; one long work bout when the work effort
  already sits inside the band. Each interval's planned length is the plan's (``work_s`` or
  ``rest_s``); a rest that settles inside the band ends there.
- ``keep_pairs=True`` ("plan first"): the number of pairs and the total length are the plan's.
  Work bouts run their planned length and the loop holds the band inside them with cues; a rest
  ends as HR settles to the band's bottom. Time a shortened interval leaves over is spread over
  the pairs still to come, in the plan's work:rest ratio, so the block still ends on time. When
  cues do not hold HR and a work bout must end early, a rest follows and the same pair resumes.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Literal

from zonetrainer.core.errors import UserError


@dataclass(frozen=True, slots=True)
class OpenInterval:
    """The interval now running: its number in the block, kind, start and planned length."""

    index: int
    kind: Literal["work", "rest"]
    start_s: float
    planned_s: float


class ControllerConfigError(UserError, ValueError):
    """The controller was built with values that cannot describe a session block."""


class PairSchedule:
    """Planned lengths of the intervals of one block."""

    def __init__(self, work_s: float, rest_s: float, duration_s: float,
                 keep_pairs: bool, pairs: int | None = None) -> None:
        self.work_s, self.rest_s, self.duration_s = work_s, rest_s, duration_s
        self.keep_pairs = keep_pairs
        self.pairs = pairs if pairs is not None else max(1, round(duration_s / (work_s + rest_s)))
        self.works_started = 0
        self.work_lengths: list[float] = []
        self._resume = False

    def may_start_work(self) -> bool:
        """In "plan first", no work bout beyond the plan's number of pairs."""
        return not self.keep_pairs or self.works_started < self.pairs

    def start_work(self, t: float) -> float:
        """A work bout starts at ``t``; returns its planned length. After an early rest that
        cut a bout short (``start_rest(..., cut_short=True)``) the same pair goes on."""
        remaining = max(0.0, self.duration_s - t)
        if self._resume:
            self._resume = False
            self.works_started -= 1
        pairs_left = max(1, self.pairs - self.works_started)
        self.works_started += 1
        if not self.keep_pairs:
            return min(self.work_s, remaining)
        share = self.work_s / (self.work_s + self.rest_s)
        if pairs_left == 1:
            # the last pair keeps a whole planned rest after its work where the time allows
            return max(remaining - self.rest_s, 0.5 * remaining)
        return remaining * share / pairs_left

    def start_rest(self, t: float, cut_short: bool = False) -> float:
        """A rest starts at ``t``; returns its planned length. ``cut_short``: the band ended the
        work bout before its planned length; in "plan first" the pair resumes after the rest."""
        remaining = max(0.0, self.duration_s - t)
        if not self.keep_pairs:
            return min(self.rest_s, remaining)
        if cut_short:
            self._resume = True
            return min(self.rest_s, remaining)
        pairs_after = self.pairs - self.works_started  # whole pairs still to come after it
        if pairs_after <= 0:
            return remaining
        if self.work_lengths and statistics.fmean(self.work_lengths) < self.work_s:
            # work bouts have been ending early: expect the next ones as long as those, and give
            # the time over to the rests between them, not to one long rest at the block's end
            expected = statistics.fmean(self.work_lengths)
            return max(self.rest_s, (remaining - pairs_after * expected) / (pairs_after + 1))
        return remaining * self.rest_s / (self.rest_s + pairs_after * (self.work_s + self.rest_s))

    def note_work(self, actual_s: float) -> None:
        """A work bout lasted ``actual_s``."""
        self.work_lengths.append(actual_s)


def check_config(low: float, high: float, work_s: float, rest_s: float, duration_s: float,
                 safety_max: float | None, min_interval_s: float) -> None:
    """Raise :class:`ControllerConfigError` with a readable message for impossible settings."""
    values = {"low": low, "high": high, "work_s": work_s, "rest_s": rest_s,
              "duration_s": duration_s, "min_interval_s": min_interval_s}
    if safety_max is not None:
        values["safety_max"] = safety_max
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
                value):
            raise ControllerConfigError(f"{name} must be a finite number, got {value!r}")
    if not 25.0 <= low < high <= 250.0:
        raise ControllerConfigError(
            f"band must satisfy 25 <= low < high <= 250 bpm, got {low}-{high}")
    for name in ("work_s", "rest_s", "duration_s"):
        if values[name] <= 0:
            raise ControllerConfigError(f"{name} must be positive, got {values[name]}")
    if min_interval_s < 0:
        raise ControllerConfigError(f"min_interval_s must not be negative, got {min_interval_s}")
    if safety_max is not None and safety_max <= high:
        raise ControllerConfigError(
            f"safety_max ({safety_max}) must be above the band's top ({high})")
