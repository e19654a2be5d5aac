"""Issue 16, point 12: a strap dropout that passes the spike rule (150 -> 49 -> 45 bpm for 12 s)
is not a recovery, a drift or time in zone 1."""

from __future__ import annotations

import pytest

from tests.core.test_engine import BAND, ZONES
from zonetrainer.core.model import HeartRateSample, IntervalRecord
from zonetrainer.core.signal import interval_figures, summarize


def _s(t: float, hr: float) -> HeartRateSample:
    return HeartRateSample(float(t), hr, (), True)


def dropout_session() -> tuple[list[HeartRateSample], list[IntervalRecord]]:
    """A 6-minute bout near 150 bpm, then a 43-s rest in which the strap reads 150 for 30 s,
    then 49 and 45 for 12 s (the strap slipping), the signal lost at the end."""
    work = [_s(t, 145.0 + t * 0.015) for t in range(0, 360)]
    rest = [_s(t, 150.0) for t in range(360, 391)]
    dropout = [_s(391, 49.0)] + [_s(t, 45.0) for t in range(392, 404)]
    intervals = [IntervalRecord(0, "work", 0.0, 360.0, 360.0, "planned"),
                 IntervalRecord(1, "rest", 360.0, 403.0, 43.0, "signal lost")]
    return work + rest + dropout, intervals


def test_a_dropout_is_not_reported_as_recovery() -> None:
    samples, intervals = dropout_session()
    _, rest = interval_figures(samples, intervals)
    # The "recovery 97 bpm in 43 s": a heart cannot fall 100 bpm in 12 s.
    assert rest.recovery_bpm is None or abs(rest.recovery_bpm) < 30.0


def test_a_dropout_inside_a_bout_is_not_drift() -> None:
    # 150 bpm with 12 s at 45-49 bpm after the on-kinetics: not a slope of +/-25 bpm/min.
    samples = [_s(t, 150.0) for t in range(0, 135)] + [_s(135, 49.0)] + \
        [_s(t, 45.0) for t in range(136, 148)] + [_s(t, 150.0) for t in range(148, 240)]
    work = interval_figures(samples, [IntervalRecord(0, "work", 0.0, 240.0, 240.0, "planned")])
    assert work[0].drift_bpm_per_min is not None
    assert abs(work[0].drift_bpm_per_min) < 1.0


def test_dropout_readings_count_no_time() -> None:
    samples, intervals = dropout_session()
    summary = summarize(samples, intervals, BAND, ZONES, duration_s=480.0)
    assert summary.time_in_zone_s[0] == pytest.approx(0.0)  # no 12 s "at 45 bpm"
    assert summary.avg_hr_bpm is not None and summary.avg_hr_bpm > 120.0


def test_a_fast_real_recovery_is_still_reported() -> None:
    # 170 -> 120 bpm over the first minute of a rest (HRR60 50 bpm: fast but real).
    work = [_s(t, 170.0) for t in range(0, 300)]
    rest = [_s(t, 120.0 + 50.0 * 2.718 ** (-(t - 300) / 25.0)) for t in range(300, 420)]
    intervals = [IntervalRecord(0, "work", 0.0, 300.0, 300.0, "planned"),
                 IntervalRecord(1, "rest", 300.0, 420.0, 120.0, "planned")]
    _, rest_figures = interval_figures(work + rest, intervals)
    assert rest_figures.recovery_bpm == pytest.approx(45.0, abs=5.0)
