"""Per-interval heart-rate drift and recovery, for the session summary.

* Drift (work intervals, steady blocks' included): the least-squares slope of heart rate
  against time, in bpm per minute, over the part of the interval after the on-kinetics. Heart rate
  rises with a time constant of roughly 25-110 s after a change of effort (DESIGN.md; Hunt et
  al. 2015: 58 +/- 24 s), so the first :data:`ON_KINETICS_S` are left out; what remains is
  cardiovascular drift (typically 0.05-0.35 bpm/min after about 10 minutes: DESIGN.md).
* Recovery (rest intervals): the drop of heart rate over the first 60 s of the rest, by
  analogy with the heart-rate recovery HRR60 measured after exercise stops (Cole et al. 1999,
  N Engl J Med 341:1351); a shorter rest is read over its whole length and says so. Each end
  is a 5-s mean so that one noisy reading does not decide the figure (the same method as the
  report's session-level recovery in ``core.export.metrics``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

import numpy as np

from zonetrainer.core.model import HeartRateSample, IntervalRecord, SessionRecord
from zonetrainer.core.summary import live_hr

#: Left out at the start of a work interval: about two time constants of the HR response.
ON_KINETICS_S: Final = 120.0
#: At least this much heart rate after the on-kinetics for a drift figure.
MIN_DRIFT_SPAN_S: Final = 60.0
#: The recovery window (HRR60, Cole et al. 1999) and the averaging at each end.
RECOVERY_WINDOW_S: Final = 60.0
END_MEAN_S: Final = 5.0
#: A rest shorter than this gives no recovery figure at all.
MIN_RECOVERY_S: Final = 20.0


@dataclass(frozen=True, slots=True)
class IntervalFigures:
    """Drift (work) or recovery (rest) of one interval; None where it cannot be measured."""

    index: int
    kind: str
    start_s: float
    end_s: float
    mean_hr_bpm: float | None
    drift_bpm_per_min: float | None = None
    recovery_bpm: float | None = None  # drop of HR over recovery_window_s (positive = fell)
    recovery_window_s: float | None = None


def _live(samples: Sequence[HeartRateSample], start_s: float,
          end_s: float) -> tuple[np.ndarray, np.ndarray]:
    pairs = [(s.t_s, hr) for s in samples
             if start_s <= s.t_s < end_s and (hr := live_hr(s)) is not None]
    if not pairs:
        return np.zeros(0), np.zeros(0)
    return (np.asarray([p[0] for p in pairs], dtype=np.float64),
            np.asarray([p[1] for p in pairs], dtype=np.float64))


def _drift(samples: Sequence[HeartRateSample], interval: IntervalRecord) -> float | None:
    t, hr = _live(samples, interval.start_s + ON_KINETICS_S, interval.end_s)
    if t.size < 10 or t[-1] - t[0] < MIN_DRIFT_SPAN_S:
        return None
    return round(float(np.polyfit(t / 60.0, hr, 1)[0]), 3)


def _recovery(samples: Sequence[HeartRateSample],
              interval: IntervalRecord) -> tuple[float | None, float | None]:
    window = min(RECOVERY_WINDOW_S, interval.actual_s)
    if window < MIN_RECOVERY_S:
        return None, None
    _, head = _live(samples, interval.start_s, interval.start_s + END_MEAN_S)
    _, tail = _live(samples, interval.start_s + window - END_MEAN_S,
                    interval.start_s + window + 1e-9)
    if head.size == 0 or tail.size == 0:
        return None, None
    return round(float(head.mean() - tail.mean()), 1), window


def interval_figures(samples: Sequence[HeartRateSample],
                     intervals: Sequence[IntervalRecord]) -> tuple[IntervalFigures, ...]:
    """Drift of every work interval, recovery of every rest; the mean HR of each interval."""
    out = []
    for interval in intervals:
        _, hr = _live(samples, interval.start_s, interval.end_s)
        mean = round(float(hr.mean()), 1) if hr.size else None
        figures = IntervalFigures(interval.index, interval.kind, interval.start_s,
                                  interval.end_s, mean)
        if interval.kind == "work":
            figures = replace(figures, drift_bpm_per_min=_drift(samples, interval))
        elif interval.kind == "rest":
            drop, window = _recovery(samples, interval)
            figures = replace(figures, recovery_bpm=drop, recovery_window_s=window)
        out.append(figures)
    return tuple(out)


def record_figures(record: SessionRecord) -> tuple[IntervalFigures, ...]:
    """:func:`interval_figures` of a stored session."""
    return interval_figures(record.samples, record.intervals)


def describe(figures: IntervalFigures) -> str:
    """One line for the summary table, e.g. 'drift +0.21 bpm/min' or 'recovery 24 bpm in 60 s'."""
    if figures.drift_bpm_per_min is not None:
        return f"drift {figures.drift_bpm_per_min:+.2f} bpm/min"
    if figures.recovery_bpm is not None and figures.recovery_window_s is not None:
        return f"recovery {figures.recovery_bpm:.0f} bpm in {figures.recovery_window_s:.0f} s"
    return ""
