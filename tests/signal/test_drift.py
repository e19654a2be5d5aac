"""Per-interval drift and recovery on heart rates whose drift and recovery are known."""

from __future__ import annotations

import math

import numpy as np

from zonetrainer.core.model import HeartRateSample, IntervalRecord
from zonetrainer.core.signal import IntervalFigures, describe, interval_figures
from zonetrainer.core.sim import Athlete, AthleteParams


def test_drift_and_recovery_of_a_constructed_session() -> None:
    # Work 0-600 s: HR rises to 140 with tau 40 s, then drifts 0.3 bpm/min.
    # Rest 600-780 s: HR falls from there towards 100 with tau 40 s.
    rng = np.random.default_rng(0)
    samples = []
    for t in range(0, 780):
        if t < 600:
            hr = 100 + 40 * (1 - math.exp(-t / 40.0)) + 0.3 * t / 60.0
        else:
            top = 140 + 0.3 * 10.0
            hr = 100 + (top - 100) * math.exp(-(t - 600) / 40.0)
        samples.append(HeartRateSample(float(t), hr + rng.normal(0, 0.5)))
    samples[300] = HeartRateSample(300.0, 0.0, (), False)  # a contact loss is not a reading
    intervals = [IntervalRecord(0, "work", 0.0, 600.0, 600.0, "planned"),
                 IntervalRecord(1, "rest", 600.0, 780.0, 180.0, "planned")]
    work, rest = interval_figures(samples, intervals)
    assert work.drift_bpm_per_min is not None
    # After 120 s the exponential is within 5 % of its end: the slope is the drift plus that tail.
    assert abs(work.drift_bpm_per_min - 0.3) < 0.2
    assert rest.drift_bpm_per_min is None and work.recovery_bpm is None
    expected_drop = (143 - 100) * (1 - math.exp(-57.5 / 40.0))  # 5-s means at 0-5 s, 55-60 s
    assert rest.recovery_bpm is not None and abs(rest.recovery_bpm - expected_drop) < 3.0
    assert rest.recovery_window_s == 60.0
    assert describe(work).startswith("drift +0.")
    assert describe(rest).startswith("recovery ") and describe(rest).endswith("in 60 s")


def test_short_or_empty_intervals_give_no_figure() -> None:
    samples = [HeartRateSample(float(t), 120.0) for t in range(200)]
    intervals = [IntervalRecord(0, "work", 0.0, 150.0, 150.0, "planned"),  # 30 s after kinetics
                 IntervalRecord(1, "rest", 150.0, 165.0, 60.0, "skipped"),  # 15 s rest
                 IntervalRecord(2, "rest", 300.0, 400.0, 60.0, "planned"),  # no samples at all
                 IntervalRecord(3, "rest", 160.0, 200.0, 40.0, "planned")]  # 40 s: its length
    work, short, empty, shorter = interval_figures(samples, intervals)
    assert work.drift_bpm_per_min is None and work.mean_hr_bpm == 120.0
    assert short.recovery_bpm is None and empty.recovery_bpm is None
    assert empty.mean_hr_bpm is None and describe(empty) == ""
    assert shorter.recovery_bpm == 0.0 and shorter.recovery_window_s == 40.0


def test_drift_of_the_simulated_athlete_matches_its_parameter() -> None:
    """A 40-minute steady effort just under the threshold; the athlete drifts at a known rate
    after its onset (zonetrainer.core.sim), which the drift figure must show."""
    params = AthleteParams(drift_bpm_per_min=0.3, drift_onset_s=0.0, slow_fraction=0.0)
    athlete = Athlete(params, seed=3, faults=False)
    samples = []
    for t in range(1, 2401):
        athlete.advance(1.0, params.aet_hr_bpm)
        sample = athlete.sample(float(t))
        assert sample is not None
        samples.append(sample)
    (work,) = interval_figures(samples, [IntervalRecord(0, "work", 0.0, 2400.0, 2400.0, "x")])
    assert work.drift_bpm_per_min is not None
    assert abs(work.drift_bpm_per_min - 0.3) < 0.1


def test_a_rest_in_which_hr_rose_says_so_and_no_figure_reads_minus_zero() -> None:
    def rest(drop_bpm: float) -> str:
        return describe(IntervalFigures(index=2, kind="rest", start_s=600.0, end_s=720.0,
                                        mean_hr_bpm=120.0, recovery_bpm=drop_bpm,
                                        recovery_window_s=60.0))

    assert rest(24.4) == "recovery 24 bpm in 60 s"
    assert rest(-0.3) == "recovery 0 bpm in 60 s"  # it printed "recovery -0 bpm"
    assert rest(-5.2) == "HR rose 5 bpm in 60 s"
