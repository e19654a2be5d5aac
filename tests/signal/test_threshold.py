"""The ramp's threshold estimate: the crossing of alpha1 = 0.75, its quality, and refusals."""

from __future__ import annotations

import numpy as np
import pytest

from tests.signal.fgn import fgn
from zonetrainer.core.model import Alpha1Reading, HeartRateSample, SessionHeader, SessionRecord
from zonetrainer.core.plan import load_plan
from zonetrainer.core.threshold import (
    EXTRA_KEY,
    ThresholdResult,
    analyse_ramp,
    analyse_record,
    ramp_extras,
)

AET_BPM = 145.0


def true_alpha1(hr_bpm: np.ndarray, aet_bpm: float = AET_BPM) -> np.ndarray:
    """About 1.1 well below the threshold, 0.75 at it, 0.5 some 25 bpm above (DESIGN.md)."""
    falling = 0.75 - (hr_bpm - aet_bpm) * 0.01
    return np.clip(falling, 0.45, 1.1)


def ramp_readings(seed: int, noise: float = 0.05, start_bpm: float = 100.0,
                  end_bpm: float = 172.0, n: int = 90) -> list[Alpha1Reading]:
    rng = np.random.default_rng(seed)
    hr = np.linspace(start_bpm, end_bpm, n) + rng.normal(0, 1.5, n)
    a1 = true_alpha1(hr) + rng.normal(0, noise, n)
    return [Alpha1Reading(t_s=120.0 + 20.0 * i, alpha1=float(a), corrected_share=0.0, beats=240,
                          hr_bpm=float(h), usable=True) for i, (h, a) in enumerate(zip(hr, a1,
                                                                                       strict=True))]


@pytest.mark.parametrize("seed", range(5))
def test_crossing_is_found_within_a_few_bpm(seed: int) -> None:
    result = analyse_ramp(ramp_readings(seed))
    assert result.ok, result.statement
    assert result.aet_hr_bpm is not None and abs(result.aet_hr_bpm - AET_BPM) < 3.0
    assert result.uncertainty_bpm is not None and 0 < result.uncertainty_bpm < 3.0
    assert result.r2 is not None and result.r2 > 0.7
    assert result.slope_per_bpm is not None and result.slope_per_bpm < 0
    assert f"{result.aet_hr_bpm:.0f} bpm" in result.statement


def test_wild_windows_and_unusable_readings_do_not_move_it() -> None:
    readings = ramp_readings(1)
    wild = [Alpha1Reading(r.t_s, 1.6 if i % 2 else 0.2, r.corrected_share, r.beats, r.hr_bpm,
                          True) if i in (40, 41, 45, 50) else r for i, r in enumerate(readings)]
    unusable = [Alpha1Reading(r.t_s, 0.1, 0.2, r.beats, r.hr_bpm, False) for r in readings[::3]]
    result = analyse_ramp(sorted(wild + unusable, key=lambda r: r.t_s))
    assert result.ok and result.aet_hr_bpm is not None
    assert abs(result.aet_hr_bpm - AET_BPM) < 3.0
    assert result.readings_total == len(readings) + len(unusable)


def test_recovery_after_the_peak_is_left_out() -> None:
    readings = ramp_readings(2)
    end = readings[-1].t_s
    # After the ramp HR falls while alpha1 stays low for a while: a lagging recovery.
    recovery = [Alpha1Reading(end + 20.0 * (i + 1), 0.5, 0.0, 240, 165.0 - 4.0 * i, True)
                for i in range(12)]
    result = analyse_ramp(readings + recovery)
    assert result.ok and result.aet_hr_bpm is not None
    assert abs(result.aet_hr_bpm - AET_BPM) < 3.0


def test_too_few_readings() -> None:
    result = analyse_ramp(ramp_readings(0)[:5])
    assert not result.ok and result.aet_hr_bpm is None
    assert result.statement.startswith("Only ") and "at least 6 are needed" in result.statement


def test_no_readings_and_no_rr() -> None:
    result = analyse_ramp([], [HeartRateSample(float(t), 120.0) for t in range(600)])
    assert not result.ok and "Only 0 usable" in result.statement


def test_ramp_that_stays_below_the_threshold() -> None:
    result = analyse_ramp(ramp_readings(0, start_bpm=95, end_bpm=128))
    assert not result.ok and "Ramp higher" in result.statement


def test_ramp_that_starts_above_the_threshold() -> None:
    result = analyse_ramp(ramp_readings(0, start_bpm=155, end_bpm=175))
    assert not result.ok and "Start easier" in result.statement


def test_alpha1_that_does_not_fall() -> None:
    rng = np.random.default_rng(3)
    readings = [Alpha1Reading(20.0 * i, float(0.75 + rng.normal(0, 0.2)), 0.0, 240,
                              100.0 + i, True) for i in range(60)]
    result = analyse_ramp(readings)
    assert not result.ok and result.aet_hr_bpm is None
    assert "no reliable estimate" in result.statement or "does not fall" in result.statement


def test_result_round_trips_as_json_and_gives_a_band() -> None:
    result = analyse_ramp(ramp_readings(4))
    again = ThresholdResult.from_json(result.to_json())
    assert again == result
    band = result.band()
    assert band.method == "aet_dfa" and band.high_bpm == round(result.aet_hr_bpm or 0)
    assert band.low_bpm == band.high_bpm - 10 and band.uncertainty_bpm >= 3.0
    refused = analyse_ramp(ramp_readings(0)[:3])
    with pytest.raises(ValueError, match="no threshold"):
        refused.band()


def test_a_stored_session_is_analysed_from_its_rr() -> None:
    """No stored readings: alpha1 is recomputed from the RR of the samples. alpha1 here
    follows the heart rate step by step (fGn whose Hurst exponent falls with HR)."""
    rng = np.random.default_rng(8)
    samples: list[HeartRateSample] = []
    t_s, hr, batch = 0.0, 95.0, []
    for step in range(14):
        target = 100.0 + 5.0 * step
        hurst = float(np.clip(true_alpha1(np.array([target]))[0] - 0.05, 0.3, 0.99))
        noise = fgn(int(target * 3) + 60, hurst, rng)
        step_end = t_s + 180.0  # 3 minutes per step
        for value in noise:
            hr += (target - hr) * (60.0 / hr) / 40.0  # first order, tau 40 s, beat by beat
            batch.append(60000.0 / hr + 4.0 * float(value))
            if sum(batch) >= 1000.0:
                t_s += sum(batch) / 1000.0
                samples.append(HeartRateSample(t_s, hr, tuple(batch)))
                batch = []
                if t_s >= step_end:
                    break
    from datetime import UTC, datetime

    from zonetrainer.core.model import Band, ZoneTable
    header = SessionHeader(datetime(2026, 1, 1, tzinfo=UTC), "aerobic-threshold-ramp", "A",
                           Band(120, 130, "custom", "test", 0), ZoneTable((1, 2, 3, 4, 5), 190,
                                                                         "test"), "simulated")
    record = SessionRecord(1, header, tuple(samples), (), (), None)
    result = analyse_record(record)
    assert result.readings_total > 60
    assert result.ok, result.statement
    # The fGn's own DFA bias (a few hundredths over 4-16 beats) moves the crossing by a few
    # bpm; the window lag of a 2-minute window over 3-minute steps adds a little more.
    assert result.aet_hr_bpm is not None and abs(result.aet_hr_bpm - AET_BPM) < 6.0


def test_extras_for_a_finished_session() -> None:
    readings = ramp_readings(0)
    extras = ramp_extras(load_plan("aerobic-threshold-ramp"), readings)
    assert ThresholdResult.from_json(extras[EXTRA_KEY]) == analyse_ramp(readings)
    assert ramp_extras(load_plan("fatmax-intervals"), readings) == {}
