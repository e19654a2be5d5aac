"""Figures the report and the JSON summary derive from a stored session, each with its method.

Pure functions over :class:`SessionRecord`; nothing here is stored, so a better method later
changes old reports too, which is what a reader expects of a derived figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from zonetrainer.core.model import IntervalRecord, SessionRecord
from zonetrainer.core.summary import summarize

#: Heart-rate recovery is read over the first 60 s of a rest, by analogy with the HRR60 used
#: after exercise stops (Cole et al. 1999, N Engl J Med 341:1351); shorter rests are skipped.
RECOVERY_WINDOW_S: Final = 60.0

DRIFT_METHOD: Final = ("least-squares slope of each work interval's mean HR against its midpoint "
                       "time; needs two or more work intervals")
RECOVERY_METHOD: Final = ("mean HR drop over the first 60 s of each rest interval of 60 s or "
                          "more (by analogy with HRR60, Cole et al. 1999)")


@dataclass(frozen=True, slots=True)
class DerivedFigures:
    drift_bpm_per_min: float | None
    recovery_bpm: float | None
    recovery_rests: int


def _hr_between(record: SessionRecord, start_s: float, end_s: float) -> list[tuple[float, float]]:
    return [(s.t_s, s.hr_bpm) for s in record.samples
            if start_s <= s.t_s < end_s and s.hr_bpm is not None]


def work_drift_bpm_per_min(record: SessionRecord) -> float | None:
    """Cardiac drift across the work intervals in bpm per minute (see DRIFT_METHOD)."""
    points: list[tuple[float, float]] = []
    for interval in record.intervals:
        if interval.kind != "work":
            continue
        hr = [v for _, v in _hr_between(record, interval.start_s, interval.end_s)]
        if hr:
            points.append(((interval.start_s + interval.end_s) / 2.0, sum(hr) / len(hr)))
    if len(points) < 2:
        return None
    t_min = np.array([p[0] for p in points]) / 60.0
    slope = np.polyfit(t_min, np.array([p[1] for p in points]), 1)[0]
    return float(slope)


def _rest_drop(record: SessionRecord, rest: IntervalRecord) -> float | None:
    if rest.actual_s < RECOVERY_WINDOW_S:
        return None
    head = _hr_between(record, rest.start_s, rest.start_s + 5.0)
    tail = _hr_between(record, rest.start_s + RECOVERY_WINDOW_S - 5.0,
                       rest.start_s + RECOVERY_WINDOW_S + 1e-9)
    if not head or not tail:
        return None
    # Means over 5 s at each end keep one noisy beat from deciding the figure.
    return sum(v for _, v in head) / len(head) - sum(v for _, v in tail) / len(tail)


def derived_figures(record: SessionRecord) -> DerivedFigures:
    drops = [d for d in (_rest_drop(record, i) for i in record.intervals if i.kind == "rest")
             if d is not None]
    recovery = sum(drops) / len(drops) if drops else None
    return DerivedFigures(work_drift_bpm_per_min(record), recovery, len(drops))


def time_in_zone_s(record: SessionRecord) -> tuple[float, ...]:
    """Seconds per zone: the stored summary's, else counted by the engine's rule."""
    if record.summary is not None:
        return tuple(record.summary.time_in_zone_s)
    header = record.header
    return tuple(summarize(record.samples, record.intervals, header.band,
                           header.zones).time_in_zone_s)
