"""Issue 16, point 10: the average HR of beat-by-beat data is weighted by time, not by beat."""

from __future__ import annotations

import numpy as np
import pytest

from tests.core.test_engine import BAND, ZONES
from zonetrainer.core.model import HeartRateSample, IntervalRecord
from zonetrainer.core.signal import interval_figures, mean_hr_bpm, summarize


def rr_log(minutes: float = 102.0, seed: int = 4) -> list[HeartRateSample]:
    """A beat-by-beat log (one sample a beat, HR = 60000 / RR) of 102 minutes, alternating
    6 easy minutes near 95 bpm with 4 hard ones near 150 bpm, as intervals go."""
    rng = np.random.default_rng(seed)
    samples: list[HeartRateSample] = []
    t_ms, hr = 0.0, 95.0
    while t_ms < minutes * 60_000.0:
        hard = (t_ms / 60_000.0) % 10.0 >= 6.0
        rr = float(60000.0 / hr + rng.normal(0.0, 8.0))
        hr += ((150.0 if hard else 95.0) - hr) * rr / 30_000.0  # tau 30 s, as a heart does
        t_ms += rr
        samples.append(HeartRateSample(t_ms / 1000.0, 60000.0 / rr, (rr,), None))
    return samples


def beats_over_time(samples: list[HeartRateSample]) -> float:
    return 60.0 * len(samples) / (samples[-1].t_s)


def test_the_summary_average_of_an_rr_log_is_beats_over_time() -> None:
    samples = rr_log()
    summary = summarize(samples, [], BAND, ZONES)
    plain = float(np.mean([s.hr_bpm for s in samples]))
    assert summary.avg_hr_bpm == pytest.approx(beats_over_time(samples), abs=0.2)
    assert plain - beats_over_time(samples) > 3.0  # the bias the plain mean had


def test_a_one_hz_strap_average_is_unchanged() -> None:
    samples = [HeartRateSample(float(t), 120.0 + (t % 7), (), None) for t in range(600)]
    summary = summarize(samples, [], BAND, ZONES, duration_s=600.0)
    assert summary.avg_hr_bpm == pytest.approx(float(np.mean([s.hr_bpm for s in samples])))


def test_interval_means_and_the_helper_are_time_weighted() -> None:
    samples = rr_log(minutes=10.0)
    end = samples[-1].t_s
    expected = beats_over_time(samples)
    assert mean_hr_bpm(samples) == pytest.approx(expected, abs=0.2)
    figures = interval_figures(samples, [IntervalRecord(0, "work", 0.0, end, end, "planned")])
    assert figures[0].mean_hr_bpm == pytest.approx(expected, abs=0.2)
