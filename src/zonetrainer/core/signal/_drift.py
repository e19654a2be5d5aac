"""Per-interval heart-rate drift and recovery, for the session summary.

* Drift (work intervals, steady blocks' included): the least-squares slope of heart rate
  against time, in bpm per minute, over the part of the interval after the on-kinetics. Heart rate
  rises with a time constant of roughly 25-110 s after a change of effort (DESIGN.md; Hunt et
  al. 2015: 58 +/- 24 s), so the first :data:`ON_KINETICS_S` are left out; what remains is
  cardiovascular drift (typically 0.05-0.35 bpm/min after about 10 minutes: DESIGN.md).
* Recovery (rest intervals): the drop of heart rate over the first 60 s of the rest, by
  analogy with the heart-rate recovery HRR60 measured after exercise stops (Cole et al. 1999,
  N Engl J Med 341:1351); a shorter rest is read over its whole length and says so. Each end
  is a 5-s mean so that one noisy reading does not decide the figure.
* The session's figures (the report and the JSON summary) are made of these: the drift is the
  mean of the work intervals' drifts weighted by the time each was read over, the recovery the
  mean over the rests long enough for the whole 60-s window (:func:`session_figures`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

import numpy as np

from zonetrainer.core.model import HeartRateSample, IntervalRecord, SessionRecord
from zonetrainer.core.signal._summary import accepted_readings, live_hr, mean_hr_bpm

#: Left out at the start of a work interval: about two time constants of the HR response.
ON_KINETICS_S: Final = 120.0
#: At least this much heart rate after the on-kinetics for a drift figure.
MIN_DRIFT_SPAN_S: Final = 60.0
#: So the shortest work interval with a drift figure.
SHORTEST_DRIFT_S: Final = ON_KINETICS_S + MIN_DRIFT_SPAN_S
#: The recovery window (HRR60, Cole et al. 1999) and the averaging at each end.
RECOVERY_WINDOW_S: Final = 60.0
END_MEAN_S: Final = 5.0
#: A rest shorter than this gives no recovery figure at all.
MIN_RECOVERY_S: Final = 20.0

DRIFT_METHOD: Final = ("least-squares slope of HR against time inside each work interval after "
                       f"its first {ON_KINETICS_S:.0f} s (on-kinetics), averaged over the work "
                       "intervals weighted by the time each slope spans")
RECOVERY_METHOD: Final = (f"mean HR drop over the first {RECOVERY_WINDOW_S:.0f} s of each rest "
                          f"interval of {RECOVERY_WINDOW_S:.0f} s or more, {END_MEAN_S:.0f}-s "
                          "means at each end (by analogy with HRR60, Cole et al. 1999)")


@dataclass(frozen=True, slots=True)
class IntervalFigures:
    """Drift (work) or recovery (rest) of one interval; None where it cannot be measured."""

    index: int
    kind: str
    start_s: float
    end_s: float
    mean_hr_bpm: float | None
    drift_bpm_per_min: float | None = None
    drift_span_s: float | None = None  # the time the drift slope was fitted over
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


def _drift(samples: Sequence[HeartRateSample],
           interval: IntervalRecord) -> tuple[float | None, float | None]:
    t, hr = _live(samples, interval.start_s + ON_KINETICS_S, interval.end_s)
    if t.size < 10 or t[-1] - t[0] < MIN_DRIFT_SPAN_S:
        return None, None
    return float(np.polyfit(t / 60.0, hr, 1)[0]), float(t[-1] - t[0])


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
    return float(head.mean() - tail.mean()), window


def interval_figures(samples: Sequence[HeartRateSample],
                     intervals: Sequence[IntervalRecord]) -> tuple[IntervalFigures, ...]:
    """Drift of every work interval, recovery of every rest; the mean HR of each interval.
    Unrounded: :func:`describe` rounds for display."""
    out = []
    # Only what the counting rule accepts: a spike or a strap dropout is no recovery or drift.
    samples = accepted_readings(samples)
    for interval in intervals:
        inside = [s for s in samples if interval.start_s <= s.t_s < interval.end_s]
        mean = mean_hr_bpm(inside, end_s=interval.end_s)
        figures = IntervalFigures(interval.index, interval.kind, interval.start_s,
                                  interval.end_s, mean)
        if interval.kind == "work":
            slope, span = _drift(samples, interval)
            figures = replace(figures, drift_bpm_per_min=slope, drift_span_s=span)
        elif interval.kind == "rest":
            drop, window = _recovery(samples, interval)
            figures = replace(figures, recovery_bpm=drop, recovery_window_s=window)
        out.append(figures)
    return tuple(out)


def record_figures(record: SessionRecord) -> tuple[IntervalFigures, ...]:
    """:func:`interval_figures` of a stored session."""
    return interval_figures(record.samples, record.intervals)


@dataclass(frozen=True, slots=True)
class SessionFigures:
    """A session's drift and recovery (see DRIFT_METHOD and RECOVERY_METHOD); None where no
    interval gave a figure."""

    drift_bpm_per_min: float | None
    drift_intervals: int
    recovery_bpm: float | None
    recovery_rests: int


def session_figures(figures: Sequence[IntervalFigures]) -> SessionFigures:
    """The session's figures from its intervals' (:func:`interval_figures`)."""
    # Weighted by span: a slope over 30 minutes says more than one over a minute.
    weighted = span_s = 0.0
    drifts = 0
    for f in figures:
        if f.drift_bpm_per_min is not None and f.drift_span_s:
            weighted += f.drift_bpm_per_min * f.drift_span_s
            span_s += f.drift_span_s
            drifts += 1
    drift = weighted / span_s if drifts else None
    # Only whole 60-s windows: a 20-s drop and a 60-s drop are not the same figure.
    drops = [f.recovery_bpm for f in figures if f.recovery_bpm is not None
             and f.recovery_window_s is not None and f.recovery_window_s >= RECOVERY_WINDOW_S]
    recovery = sum(drops) / len(drops) if drops else None
    return SessionFigures(drift, drifts, recovery, len(drops))


def record_session_figures(record: SessionRecord) -> SessionFigures:
    """:func:`session_figures` of a stored session."""
    return session_figures(record_figures(record))


#: The widest :func:`describe` text in practice ("recovery 100 bpm in 60 s"), for tables.
FIGURES_WIDTH: Final = 24


def describe(figures: IntervalFigures) -> str:
    """One line for the summary table, e.g. 'drift +0.21 bpm/min' or 'recovery 24 bpm in 60 s'."""
    if figures.drift_bpm_per_min is not None:
        return f"drift {figures.drift_bpm_per_min:+.2f} bpm/min"
    if figures.recovery_bpm is not None and figures.recovery_window_s is not None:
        drop_bpm = round(figures.recovery_bpm) + 0  # + 0: never "-0"
        window = f"in {figures.recovery_window_s:.0f} s"
        if drop_bpm < 0:  # HR went up in the rest (a replay, or no real rest): say so plainly
            return f"HR rose {-drop_bpm} bpm {window}"
        return f"recovery {drop_bpm} bpm {window}"
    return ""
