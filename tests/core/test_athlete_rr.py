"""Beats of the simulated athlete: RR consistent with HR, alpha1 and RMSSD by intensity, faults.

alpha1 is computed with nolds (a reference implementation independent of the project's own
DFA), over 2-minute windows of box sizes 4-16 beats, as DESIGN.md describes.
"""

from __future__ import annotations

from dataclasses import replace

import nolds
import numpy as np
import pytest

from zonetrainer.core.sim import Athlete, AthleteParams
from zonetrainer.core.sim._rr import RR_UNIT_MS, IntensityCurve, phi_for_alpha1

PARAMS = AthleteParams(rest_hr_bpm=55.0, hrmax_bpm=185.0, aet_hr_bpm=140.0, lt2_hr_bpm=162.0,
                       drift_bpm_per_min=0.0)


def steady_beats(params: AthleteParams, hr_bpm: float, seconds: int, seed: int = 1,
                 faults: bool = False) -> tuple[list[float], Athlete, int]:
    """RR of ``seconds`` at a steady heart rate (after settling), and readings lost."""
    a = Athlete(params, seed, faults=faults)
    for _ in range(900):  # settle, then drop what was produced so far
        a.advance(1.0, hr_bpm)
    a.sample(900.0)
    rr: list[float] = []
    lost = 0
    for t in range(901, 901 + seconds):
        a.advance(1.0, hr_bpm)
        s = a.sample(float(t))
        if s is None or s.hr_bpm is None:
            lost += 1
        else:
            rr.extend(s.rr_ms)
    return rr, a, lost


def window_alpha1(rr: list[float], beats: int) -> list[float]:
    return [nolds.dfa(np.array(rr[i:i + beats]), nvals=range(4, 17), overlap=False,
                      fit_exp="poly") for i in range(0, len(rr) - beats + 1, beats)]


def test_rr_adds_up_to_the_time_and_matches_the_heart_rate() -> None:
    rr, a, _ = steady_beats(PARAMS.without_faults(), 150.0, 600)
    assert sum(rr) / 1000.0 == pytest.approx(600.0, abs=1.0)  # within one beat of the time
    assert 60000.0 / np.mean(rr) == pytest.approx(a.true_hr_bpm, abs=0.5)
    assert all(abs(r / RR_UNIT_MS - round(r / RR_UNIT_MS)) < 0.06 for r in rr)  # 1/1024 s


def test_rr_mean_follows_a_changing_heart_rate() -> None:
    a = Athlete(PARAMS.without_faults(), 2)
    rr: list[float] = []
    true: list[float] = []
    for t in range(1, 1201):
        a.advance(1.0, 100.0 if t < 600 else 160.0)
        s = a.sample(float(t))
        assert s is not None
        rr.extend(s.rr_ms)
        true.append(a.true_hr_bpm)
        if t % 120 == 0:  # two minutes of beats against the mean true rate over them
            # (the SD of that difference is about 0.7 bpm near 100 bpm, where RR varies most)
            assert 60000.0 / np.mean(rr) == pytest.approx(np.mean(true), abs=2.5)
            rr, true = [], []


@pytest.mark.parametrize(("offset_bpm", "expected"), [(-40.0, 1.15), (0.0, 0.75), (22.0, 0.5)])
def test_alpha1_follows_intensity(offset_bpm: float, expected: float) -> None:
    """Well below the aerobic threshold about 1.15, 0.75 at it, 0.5 at the second threshold."""
    hr = PARAMS.aet_hr_bpm + offset_bpm
    rr, _, _ = steady_beats(PARAMS.without_faults(), hr, 1800, seed=int(hr))
    beats = int(hr * 2)  # two minutes of beats
    alphas = window_alpha1(rr, beats)
    assert len(alphas) >= 14
    assert float(np.mean(alphas)) == pytest.approx(expected, abs=0.07)


def test_rmssd_is_3_to_6_ms_in_exercise_and_larger_at_rest() -> None:
    rr, _, _ = steady_beats(PARAMS.without_faults(), 150.0, 600)
    rmssd = float(np.sqrt(np.mean(np.diff(rr) ** 2)))
    assert 3.0 <= rmssd <= 6.0
    rr_rest, _, _ = steady_beats(PARAMS.without_faults(), 60.0, 600)
    assert float(np.sqrt(np.mean(np.diff(rr_rest) ** 2))) > 20.0


def test_a_ramp_finds_the_aerobic_threshold_within_5_bpm() -> None:
    """Effort steps up 6 bpm every 3 minutes; alpha1 over the last 2 minutes every 20 s, then
    the HR where a line through the readings with 0.5 < alpha1 < 1.0 crosses 0.75."""
    params = replace(PARAMS, dead_time_s=10.0, tau_fast_s=40.0)
    a = Athlete(params, 21)
    times: list[float] = []
    rr: list[float] = []
    readings: list[tuple[float, float]] = []
    for t in range(1, 12 * 180 + 1):
        effort = 100.0 + 6.0 * ((t - 1) // 180)
        a.advance(1.0, effort)
        s = a.sample(float(t))
        if s is not None:
            times.extend([float(t)] * len(s.rr_ms))
            rr.extend(s.rr_ms)
        if t % 20 == 0 and t >= 120:
            clock = np.array(times)
            window = np.array(rr)[clock > t - 120]
            clean = window[np.abs(window - np.median(window)) < 0.2 * np.median(window)]
            alpha = nolds.dfa(clean, nvals=range(4, 17), overlap=False, fit_exp="poly")
            readings.append((60000.0 / float(np.mean(clean)), float(alpha)))
    hr, alpha = np.array(readings).T
    keep = (alpha > 0.5) & (alpha < 1.0)
    slope, intercept = np.polyfit(hr[keep], alpha[keep], 1)
    found = (0.75 - intercept) / slope
    assert slope < 0
    assert found == pytest.approx(params.aet_hr_bpm, abs=5.0)


def test_missed_and_extra_beats_at_their_shares() -> None:
    params = replace(PARAMS, missed_beat_share=0.01, extra_beat_share=0.015, gap_rate_per_h=0.0,
                     spike_rate_per_h=0.0, contact_loss_rate_per_h=0.0)
    rr, a, _ = steady_beats(params, 150.0, 4 * 3600, faults=True)
    normal = 400.0
    long_ = sum(r > 1.6 * normal for r in rr)
    short = sum(r < 0.75 * normal for r in rr)
    beats = a.beats.beats - 900 * 150 / 60  # beats of the measured part, about
    assert long_ / beats == pytest.approx(0.01, rel=0.15)
    assert short / 2 / beats == pytest.approx(0.015, rel=0.15)  # each extra beat gives two


def test_no_beat_artefacts_without_faults() -> None:
    rr, _, _ = steady_beats(replace(PARAMS, missed_beat_share=0.02), 150.0, 1800)
    assert all(0.75 * 400 < r < 1.25 * 400 for r in rr)


def test_strap_faults_at_their_rates_over_a_long_run() -> None:
    params = replace(PARAMS, gap_rate_per_h=20.0, contact_loss_rate_per_h=10.0,
                     spike_rate_per_h=15.0, missed_beat_share=0.0, extra_beat_share=0.0)
    a = Athlete(params, 4)
    hours = 20
    gaps = losses = spikes = 0
    in_spike = False
    gap_lengths, loss_lengths = [], []
    run_gap = run_loss = 0
    for t in range(1, hours * 3600 + 1):
        a.advance(1.0, 130.0)
        s = a.sample(float(t))
        if s is None:
            run_gap += 1
        elif s.hr_bpm is None:
            assert s.contact is False and s.rr_ms == ()
            run_loss += 1
        spiking = s is not None and s.hr_bpm is not None and s.hr_bpm > a.true_hr_bpm + 20
        spikes += spiking and not in_spike  # spikes are 25-60 bpm; the noise SD is 2 bpm
        in_spike = spiking
        if s is not None and run_gap:
            gaps += 1
            gap_lengths.append(run_gap)
            run_gap = 0
        if (s is None or s.hr_bpm is not None) and run_loss:
            losses += 1
            loss_lengths.append(run_loss)
            run_loss = 0
    # Events start only when no other fault runs, so the rates are a little below nominal.
    assert gaps == pytest.approx(20 * hours, rel=0.2)
    assert losses == pytest.approx(10 * hours, rel=0.25)
    assert spikes == pytest.approx(15 * hours, rel=0.25)
    assert min(gap_lengths) >= 2 and max(gap_lengths) <= 10
    assert min(loss_lengths) >= 3 and max(loss_lengths) <= 20


def test_phi_table_is_monotonic_and_clamped() -> None:
    assert phi_for_alpha1(0.75) < phi_for_alpha1(1.0) < phi_for_alpha1(1.2)
    assert phi_for_alpha1(5.0) == phi_for_alpha1(1.243)
    curve = IntensityCurve(55.0, 140.0, 162.0, 185.0)
    assert curve.alpha1(100.0) == 1.15 and curve.alpha1(140.0) == 0.75
    assert curve.alpha1(129.0) == pytest.approx(0.875)  # one line through both thresholds
    assert curve.alpha1(162.0) == 0.5 and curve.alpha1(200.0) == 0.35
