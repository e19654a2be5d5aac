"""The simulated athlete's physiology: determinism, kinetics, recovery, drift, validation."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from zonetrainer.core.model import HeartRateSample
from zonetrainer.core.sim import Athlete, AthleteParams, random_cohort

EXACT = AthleteParams(rest_hr_bpm=60.0, dead_time_s=10.0, tau_fast_s=40.0, slow_fraction=0.0,
                      drift_bpm_per_min=0.0).without_faults()


def run(athlete: Athlete, seconds: int, effort_bpm: float) -> list[float]:
    """True HR after each of ``seconds`` one-second steps at a constant effort."""
    out = []
    for _ in range(seconds):
        athlete.advance(1.0, effort_bpm)
        out.append(athlete.true_hr_bpm)
    return out


def test_same_seed_same_readings_other_seed_other_readings() -> None:
    def readings(seed: int) -> list[HeartRateSample | None]:
        a = Athlete(AthleteParams(gap_rate_per_h=60.0, spike_rate_per_h=60.0), seed)
        out: list[HeartRateSample | None] = []
        for t in range(1, 901):
            a.advance(1.0, 150.0 if (t // 120) % 2 else 110.0)
            out.append(a.sample(float(t)))
        return out

    first, again, other = readings(3), readings(3), readings(4)
    assert first == again
    assert first != other
    assert any(s is None for s in first)  # the faults are part of what is repeated


def test_noise_and_faults_do_not_depend_on_the_effort() -> None:
    """Two controllers driving the same seed meet the same strap faults at the same times."""
    params = AthleteParams(gap_rate_per_h=120.0, contact_loss_rate_per_h=60.0)

    def fault_times(effort_bpm: float) -> list[int]:
        a = Athlete(params, 11)
        bad = []
        for t in range(1, 1801):
            a.advance(1.0, effort_bpm)
            s = a.sample(float(t))
            if s is None or s.hr_bpm is None:
                bad.append(t)
        return bad

    easy, hard = fault_times(110.0), fault_times(165.0)
    assert easy == hard and len(easy) > 20


def test_nothing_happens_before_the_dead_time() -> None:
    a = Athlete(EXACT, 0)
    hr = run(a, 30, 160.0)
    assert hr[:10] == [60.0] * 10  # seconds 1..10: the new effort has not reached the heart
    assert hr[10] > 60.0


def test_step_response_reaches_63_percent_one_tau_after_the_dead_time() -> None:
    a = Athlete(EXACT, 0)
    hr = run(a, 300, 160.0)
    rise = [(h - 60.0) / 100.0 for h in hr]
    assert rise[10 + 40 - 1] == pytest.approx(1 - math.exp(-1), abs=0.01)
    assert rise[-1] == pytest.approx(1.0, abs=0.01)


def test_two_components_follow_their_sum() -> None:
    params = replace(EXACT, slow_fraction=0.25, tau_slow_s=200.0)
    a = Athlete(params, 0)
    hr = run(a, 400, 140.0)
    for t in (30, 60, 120, 300):
        x = t - 10.0
        expected = 0.75 * (1 - math.exp(-x / 40.0)) + 0.25 * (1 - math.exp(-x / 200.0))
        assert (hr[t - 1] - 60.0) / 80.0 == pytest.approx(expected, abs=0.01)


def test_recovery_recovers_only_the_recovery_gain_ratio_at_first() -> None:
    params = replace(EXACT, recovery_gain_ratio=0.8, recovery_residual_tau_s=1e9)
    a = Athlete(params, 0)
    top = run(a, 600, 160.0)[-1]
    low = run(a, 600, 100.0)[-1]
    assert (top - low) / (160.0 - 100.0) == pytest.approx(0.8, abs=0.01)


def test_the_unrecovered_part_fades_and_rises_are_symmetric() -> None:
    params = replace(EXACT, recovery_gain_ratio=0.8, recovery_residual_tau_s=300.0)
    a = Athlete(params, 0)
    run(a, 600, 160.0)
    after = run(a, 3600, 100.0)
    assert after[200] > 100.0 + 0.1 * 60.0  # still well above the rest effort early on
    assert after[-1] == pytest.approx(100.0, abs=0.5)  # but back at it in the end
    # Rising again from there has the full gain: no asymmetry on the way up.
    assert run(a, 600, 160.0)[-1] == pytest.approx(160.0, abs=0.5)


def test_drift_starts_after_onset_and_has_the_given_rate_at_the_aerobic_threshold() -> None:
    params = replace(EXACT, drift_bpm_per_min=0.3, drift_onset_s=600.0)
    a = Athlete(params, 0)
    hr = run(a, 2400, params.aet_hr_bpm)
    assert hr[599] == pytest.approx(params.aet_hr_bpm, abs=0.1)
    assert hr[2399] - hr[1199] == pytest.approx(0.3 * 20, abs=0.05)


def test_drift_scales_with_effort_below_the_threshold() -> None:
    params = replace(EXACT, drift_bpm_per_min=0.3, drift_onset_s=0.0)
    half = params.rest_hr_bpm + (params.aet_hr_bpm - params.rest_hr_bpm) / 2
    a = Athlete(params, 0)
    hr = run(a, 2400, half)
    assert hr[-1] - hr[1199] == pytest.approx(0.15 * 20, abs=0.05)


def test_heart_rate_stays_between_rest_and_hrmax() -> None:
    a = Athlete(replace(EXACT, drift_bpm_per_min=0.35, drift_onset_s=0.0), 0)
    assert max(run(a, 3600, 500.0)) == EXACT.hrmax_bpm
    assert min(run(a, 1200, 0.0)) >= EXACT.rest_hr_bpm


def test_noise_free_readings_are_the_true_rate_rounded() -> None:
    a = Athlete(EXACT, 5, noise=False)
    for t in range(1, 200):
        a.advance(1.0, 150.0)
        s = a.sample(float(t))
        assert s is not None and s.hr_bpm == round(a.true_hr_bpm) and s.contact is True


def test_strap_noise_has_the_ar1_coefficient_and_sd() -> None:
    params = replace(EXACT, noise_phi=0.88, noise_sd_bpm=2.5)
    a = Athlete(params, 9, faults=False)
    a.beats.quantize = False
    errors = []
    for t in range(1, 20001):
        a.advance(1.0, 120.0)
        s = a.sample(float(t))
        assert s is not None and s.hr_bpm is not None
        errors.append(s.hr_bpm - a.true_hr_bpm)
    e = np.array(errors[300:]) - np.mean(errors[300:])
    var = float(e @ e) / len(e)
    lag1 = float(e[:-1] @ e[1:]) / len(e) / var
    assert math.sqrt(var) == pytest.approx(math.sqrt(2.5**2 + 1 / 12), rel=0.1)  # + rounding
    assert lag1 == pytest.approx(0.88, abs=0.03)


@pytest.mark.parametrize(("change", "message"), [
    ({"rest_hr_bpm": 150.0}, "rest_hr_bpm"),
    ({"lt2_hr_bpm": 120.0}, "aet_hr_bpm < lt2_hr_bpm"),
    ({"hrmax_bpm": 300.0}, "hrmax_bpm <= 230"),
    ({"tau_fast_s": 0.0}, "time constants"),
    ({"slow_fraction": 1.5}, "slow_fraction"),
    ({"recovery_gain_ratio": 0.0}, "recovery_gain_ratio"),
    ({"noise_phi": 1.0}, "noise"),
    ({"gap_rate_per_h": -1.0}, "fault rates"),
    ({"gap_min_s": 12}, "gap_min_s"),
    ({"missed_beat_share": 0.4, "extra_beat_share": 0.2}, "beat artefact"),
    ({"dead_time_s": -1.0}, "dead_time_s"),
])
def test_impossible_parameters_are_refused_by_name(change: dict[str, float],
                                                    message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AthleteParams(**change)  # type: ignore[arg-type]


def test_advance_refuses_negative_time() -> None:
    with pytest.raises(ValueError, match="dt_s"):
        Athlete(EXACT).advance(-1.0, 120.0)


def test_long_steps_equal_one_second_steps() -> None:
    a, b = Athlete(EXACT, 0), Athlete(EXACT, 0)
    for _ in range(10):
        a.advance(10.0, 150.0)
    run(b, 100, 150.0)
    assert a.true_hr_bpm == pytest.approx(b.true_hr_bpm, abs=1e-9)


def test_cohort_is_varied_plausible_and_repeatable() -> None:
    cohort = random_cohort(200, 5)
    assert cohort == random_cohort(200, 5) and cohort != random_cohort(200, 6)
    assert len(cohort) == 200
    taus = [p.tau_fast_s for p in cohort]
    assert 25 <= min(taus) < 40 and 90 < max(taus) <= 110
    assert all(5 <= p.dead_time_s <= 15 for p in cohort)
    assert all(0.05 <= p.drift_bpm_per_min <= 0.35 for p in cohort)
    assert all(0.85 <= p.noise_phi <= 0.9 and 1.5 <= p.noise_sd_bpm <= 3 for p in cohort)
    shares = [p.missed_beat_share + p.extra_beat_share for p in cohort]
    assert all(0.005 <= s <= 0.02 for s in shares)
    hrmax = [p.hrmax_bpm for p in cohort]
    assert min(hrmax) < 165 and max(hrmax) > 195  # ages 20-70 with Tanaka's spread
    rests = [p.rest_hr_bpm for p in cohort]
    assert min(rests) < 50 and max(rests) > 70  # trained and untrained
    assert any(p.gap_rate_per_h > 3 for p in cohort) and random_cohort(0, 1) == []
    with pytest.raises(ValueError, match="n must be"):
        random_cohort(-1, 0)
