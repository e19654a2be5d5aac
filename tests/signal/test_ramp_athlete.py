"""The ramp test on the simulated athlete, whose RR carries a known aerobic threshold.

The athlete (zonetrainer.core.sim) is driven second by second through the shipped ramp
plan's blocks, strap faults on (missed and extra beats, gaps, spikes); its RR goes through
the live Alpha1Tracker, and analyse_ramp must find ``params.aet_hr_bpm`` within 5 bpm.
"""

from __future__ import annotations

import pytest

from zonetrainer.core.model import Alpha1Reading
from zonetrainer.core.plan import load_plan
from zonetrainer.core.signal import Alpha1Tracker
from zonetrainer.core.sim import Athlete, AthleteParams
from zonetrainer.core.threshold import analyse_ramp


def run_ramp(aet_bpm: float, seed: int, start_below_bpm: float = 30.0,
             step_bpm: float = 6.0) -> list[Alpha1Reading]:
    """Warm-up 35 bpm below the threshold, then the plan's ramp steps ``step_bpm`` apart."""
    plan = load_plan("aerobic-threshold-ramp")
    warmup, ramp = plan.blocks[0], plan.blocks[1]
    assert warmup.kind == "warmup" and ramp.kind == "ramp"
    params = AthleteParams(rest_hr_bpm=55.0, hrmax_bpm=max(185.0, aet_bpm + 35.0),
                           aet_hr_bpm=aet_bpm, lt2_hr_bpm=aet_bpm + 22.0)
    athlete = Athlete(params, seed)
    efforts = [(warmup.duration_s, aet_bpm - 35.0)] + [
        (ramp.step_s, aet_bpm - start_below_bpm + step_bpm * k) for k in range(ramp.steps)]
    tracker = Alpha1Tracker()
    readings: list[Alpha1Reading] = []
    t_s = 0
    for duration_s, target_bpm in efforts:
        for _ in range(int(duration_s)):
            t_s += 1
            athlete.advance(1.0, target_bpm)
            sample = athlete.sample(float(t_s))
            if sample is not None and sample.rr_ms:
                reading = tracker.add(sample.t_s, sample.rr_ms)
                if reading is not None:
                    readings.append(reading)
    return readings


@pytest.mark.parametrize(("aet_bpm", "seed"), [(125.0, 1), (138.0, 2), (150.0, 3), (160.0, 5)])
def test_ramp_finds_the_athletes_threshold_within_5_bpm(aet_bpm: float, seed: int) -> None:
    result = analyse_ramp(run_ramp(aet_bpm, seed))
    assert result.ok, result.statement
    assert result.aet_hr_bpm is not None
    assert abs(result.aet_hr_bpm - aet_bpm) <= 5.0, result.statement
    assert result.uncertainty_bpm is not None and result.uncertainty_bpm < 5.0


def test_a_ramp_that_stops_short_says_so() -> None:
    # The whole ramp stays 20+ bpm under the threshold: no crossing to find.
    result = analyse_ramp(run_ramp(160.0, 7, start_below_bpm=80.0, step_bpm=3.0))
    assert not result.ok and result.aet_hr_bpm is None
    assert "Ramp higher" in result.statement
