"""DFA alpha1 against nolds 0.6.2 (the reference), on fGn of known scaling and on real RR."""

from __future__ import annotations

from pathlib import Path

import nolds
import numpy as np
import pytest
from garmin_fit_sdk import Decoder, Stream

from tests.signal.fgn import fgn
from zonetrainer.core.model import HeartRateSample
from zonetrainer.core.signal import clean_rr
from zonetrainer.core.signal._dfa import (
    ALPHA1_SCALES,
    MIN_BEATS,
    Alpha1Tracker,
    DFAError,
    alpha1_series,
    dfa_alpha,
    fluctuations,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "fit"
HRV_FILES = ("garmin-fenix-5-run.fit", "garmin-fenix-5-walk.fit", "garmin-edge-820-bike.fit")


def reference(rr: np.ndarray, overlap: bool) -> float:
    return float(nolds.dfa(rr, nvals=list(ALPHA1_SCALES), overlap=overlap, order=1,
                           fit_trend="poly", fit_exp="poly"))


def fit_rr_ms(name: str) -> np.ndarray:
    """Beat-to-beat intervals of a FIT file's hrv messages, read with Garmin's own SDK."""
    messages, errors = Decoder(Stream.from_file(str(DATA / name))).read()
    assert not errors
    times = [t for m in messages["hrv_mesgs"] for t in m["time"] if t is not None]
    return 1000.0 * np.asarray(times, dtype=np.float64)


@pytest.mark.parametrize("hurst", [0.3, 0.5, 0.75, 0.9, 1.0 - 1e-6])
@pytest.mark.parametrize("overlap", [False, True])
def test_alpha1_matches_nolds_on_fgn(hurst: float, overlap: bool) -> None:
    rng = np.random.default_rng(int(hurst * 100))
    worst = 0.0
    for _ in range(20):
        rr = 500.0 + 8.0 * fgn(240, hurst, rng)  # two minutes at 120 bpm
        worst = max(worst, abs(dfa_alpha(rr, overlap=overlap) - reference(rr, overlap)))
    assert worst < 0.02
    assert worst < 1e-9  # in fact the same definition, to rounding


@pytest.mark.parametrize(("hurst", "low", "high"), [(0.3, 0.3, 0.5), (0.5, 0.5, 0.65),
                                                     (0.75, 0.72, 0.9), (0.9, 0.85, 1.05)])
def test_alpha1_follows_known_scaling(hurst: float, low: float, high: float) -> None:
    # Over boxes of only 4-16 beats DFA overestimates H of fGn a little (Kantelhardt et al.
    # 2001 describe the small-scale bias); the bounds hold the mean of 200 windows.
    rng = np.random.default_rng(7)
    series = fgn(240 * 200, hurst, rng)
    mean = float(np.mean([dfa_alpha(w) for w in series.reshape(200, 240)]))
    assert low < mean < high


@pytest.mark.parametrize("name", HRV_FILES)
def test_alpha1_matches_nolds_on_real_rr(name: str) -> None:
    rr = fit_rr_ms(name)
    assert rr.size > 60
    clean = clean_rr(rr).rr_ms
    windows = [rr, clean] + [clean[i:i + 60] for i in range(0, clean.size - 60, 10)]
    for window in windows:
        for overlap in (False, True):
            assert abs(dfa_alpha(window, overlap=overlap) - reference(window, overlap)) < 0.02


def test_real_recordings_give_plausible_alpha1() -> None:
    values = {name: dfa_alpha(clean_rr(fit_rr_ms(name)).rr_ms) for name in HRV_FILES}
    assert all(0.2 < v < 1.8 for v in values.values()), values


def test_too_short_or_flat_series_is_refused() -> None:
    with pytest.raises(DFAError, match="too few"):
        dfa_alpha(np.full(16, 500.0))
    with pytest.raises(DFAError, match="does not vary"):
        dfa_alpha(np.full(100, 500.0))
    assert fluctuations(np.arange(100.0)).shape == (len(ALPHA1_SCALES),)


def beats_as_samples(rr: np.ndarray) -> list[HeartRateSample]:
    """Group beats into ~1 Hz notifications, as a strap sends them."""
    samples, batch, t_s = [], [], 0.0
    for value in rr:
        batch.append(float(value))
        if sum(batch) >= 1000.0:
            t_s += sum(batch) / 1000.0
            samples.append(HeartRateSample(t_s, 60000.0 / np.mean(batch), tuple(batch)))
            batch = []
    return samples


def test_tracker_reads_every_20_s_over_two_minute_windows() -> None:
    rng = np.random.default_rng(3)
    rr = 500.0 + 6.0 * fgn(3000, 0.75, rng)  # 25 minutes at 120 bpm
    samples = beats_as_samples(rr)
    tracker = Alpha1Tracker(window_s=120.0, every_s=20.0)
    readings = [r for s in samples if (r := tracker.add(s.t_s, s.rr_ms)) is not None]
    assert readings[0].t_s >= 120.0
    gaps = np.diff([r.t_s for r in readings])
    # Due every 20 s; a reading comes with the first sample at or after that (samples ~1 s).
    assert gaps.max() < 22.0 and abs(gaps.mean() - 20.0) < 0.5
    # Clean fGn: the detector flags about 1 beat in 1,500 (5.2 QD is 3.5 SD: rare, not never).
    assert all(r.usable and r.corrected_share < 0.01 for r in readings)
    assert all(abs(r.hr_bpm - 120.0) < 3 for r in readings)
    # The tracker's value is DFA over exactly the beats of the last two minutes.
    last = next(r for r in reversed(readings) if r.corrected_share == 0.0)
    times = np.cumsum(rr) / 1000.0
    window = rr[(times > last.t_s - 120.0) & (times <= last.t_s + 1e-9)]
    assert last.beats == window.size
    assert abs(last.alpha1 - reference(window, False)) < 0.02
    assert alpha1_series(samples) == tuple(readings)


def test_tracker_flags_windows_with_more_than_5_percent_corrected() -> None:
    rng = np.random.default_rng(4)
    rr = list(500.0 + 6.0 * fgn(1200, 0.75, rng))
    for i in range(300, 600, 12):  # a missed beat every 12 beats: about 8 % of the beats
        rr[i] = rr[i] + rr[i + 1]
        rr[i + 1] = float("nan")
    rr_arr = np.asarray([v for v in rr if v == v])
    readings = alpha1_series(beats_as_samples(rr_arr))
    flagged = [r for r in readings if not r.usable]
    assert flagged and all(r.corrected_share > 0.05 for r in flagged)
    assert readings[0].usable and readings[-1].usable


def test_tracker_flags_a_window_with_a_signal_gap() -> None:
    rng = np.random.default_rng(5)
    samples = beats_as_samples(500.0 + 6.0 * fgn(1200, 0.75, rng))
    kept = [s for s in samples if not 200.0 < s.t_s < 230.0]  # 30 s with no RR at all
    readings = alpha1_series(kept)
    assert any(not r.usable and r.corrected_share == 0.0 for r in readings)


def test_tracker_needs_enough_beats_and_sane_settings() -> None:
    tracker = Alpha1Tracker()
    assert tracker.add(0.0, ()) is None
    assert tracker.add(130.0, (500.0,) * (MIN_BEATS - 1)) is None
    with pytest.raises(ValueError, match="every_s"):
        Alpha1Tracker(window_s=120.0, every_s=0.0)
    with pytest.raises(ValueError, match="window_s"):
        Alpha1Tracker(window_s=5.0)
