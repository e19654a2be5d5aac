"""The faster artefact detector gives exactly, to the bit, what the straightforward one gave
(tests/signal/artifacts_reference.py, the code before it was made faster): the same thresholds,
medians, artefacts and corrected series, so no alpha1 reading and no decision moves.

Series: random RR with missed, extra and ectopic beats and implausible values, quantised as a
strap does, at every length around the detector's window edges (4, 11, 91 and 92 beats), runs
of identical intervals (a zero quartile deviation), all-artefact series, and the trailing
windows a live tracker cuts from a simulated strap's beats, gaps included.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from tests.signal import artifacts_reference as ref
from zonetrainer.core.signal import _artifacts as fast
from zonetrainer.core.signal import _dfa
from zonetrainer.core.sim import AthleteParams

UNIT_MS = 1000.0 / 1024.0


def same(a: NDArray[np.generic], b: NDArray[np.generic]) -> bool:
    """Equal to the bit: same dtype, shape and bytes (so -0.0 != 0.0 and NaN == NaN)."""
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def assert_same_cleaning(rr: NDArray[np.float64]) -> None:
    want, got = ref.clean_rr(rr), fast.clean_rr(rr)
    assert same(got.rr_ms, want.rr_ms)
    assert same(got.origin, want.origin)
    assert got.input_beats == want.input_beats
    assert kinds(got.artifacts) == kinds(want.artifacts)
    plausible = rr[(rr >= 100.0) & (rr <= 3000.0)]
    assert kinds(fast.detect_artifacts(plausible)) == kinds(ref.detect_artifacts(plausible))


def kinds(found: fast.Artifacts | ref.Artifacts) -> tuple[tuple[int, ...], ...]:
    return (found.ectopic, found.missed, found.extra, found.longshort, found.implausible)


def noisy_rr(rng: np.random.Generator, n: int, mean_ms: float, sd_ms: float,
             artefacts: float, quantise: bool = True) -> NDArray[np.float64]:
    """AR(1) beats with a share ``artefacts`` of missed, extra and ectopic beats."""
    x, out = 0.0, []
    while len(out) < n:
        x = 0.6 * x + sd_ms * rng.standard_normal()
        rr = mean_ms + x
        u = rng.random()
        if u < artefacts / 3:
            out.append(2 * rr)  # missed
        elif u < 2 * artefacts / 3:
            split = rng.uniform(0.3, 0.7)
            out.extend((rr * split, rr * (1 - split)))  # extra
        elif u < artefacts:
            out.extend((0.75 * rr, 1.25 * rr))  # ectopic and its compensatory pause
        else:
            out.append(rr)
    values = np.asarray(out[:n])
    return np.round(values / UNIT_MS) * UNIT_MS if quantise else values


def test_rolling_median_matches_numpy_median_at_every_size_and_width() -> None:
    rng = np.random.default_rng(1)
    for size in [*range(1, 40), 91, 200]:
        for width in (1, 3, 5, 7, 11):
            for values in (rng.normal(500.0, 20.0, size),
                           np.round(rng.normal(500.0, 2.0, size)),  # many ties
                           np.full(size, 400.0)):
                assert same(fast._rolling_median(values, width),
                            ref._rolling_median(values, width)), (size, width)


def test_threshold_matches_numpy_quantile_at_every_size() -> None:
    rng = np.random.default_rng(2)
    for size in [*range(1, 130), 181, 182, 400, 1001]:
        for values in (rng.normal(0.0, 5.0, size), np.round(rng.normal(0.0, 1.0, size)),
                       np.zeros(size), rng.standard_cauchy(size)):
            assert same(fast._threshold(values), ref._threshold(values)), size


@pytest.mark.parametrize("seed", range(12))
def test_cleaning_matches_on_random_series_with_artefacts(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for n in (4, 5, 6, 10, 11, 12, 13, 50, 90, 91, 92, 93, 95, 120, 330, 700):
        for share in (0.0, 0.02, 0.1, 0.4):
            assert_same_cleaning(noisy_rr(rng, n, rng.uniform(330.0, 1000.0),
                                          rng.uniform(2.0, 30.0), share,
                                          quantise=bool(seed % 2)))


def test_cleaning_matches_on_the_edge_cases() -> None:
    rng = np.random.default_rng(3)
    cases = [
        np.full(300, 500.0),  # no variation: every quartile deviation is zero
        np.r_[np.full(150, 500.0), 1000.0, np.full(150, 500.0)],  # one missed beat in a flat run
        np.tile([300.0, 900.0], 150),  # all artefacts: every beat alternates
        np.tile([500.0, 1000.0, 1500.0], 100),
        np.r_[1500.0, noisy_rr(rng, 300, 500.0, 5.0, 0.0)],  # artefacts at the very start
        np.r_[noisy_rr(rng, 300, 500.0, 5.0, 0.0), 200.0, 300.0],  # and at the very end
        np.r_[noisy_rr(rng, 300, 500.0, 5.0, 0.0), 1000.0],
        np.r_[noisy_rr(rng, 300, 500.0, 5.0, 0.0), 375.0, 625.0],
    ]
    with_implausible = noisy_rr(rng, 400, 450.0, 6.0, 0.05)
    with_implausible[[0, 17, 18, 200, 399]] = [50.0, 40.0, 30.0, 5000.0, np.nan]
    with_implausible[[100, 101]] = [0.0, -3.0]
    cases.append(with_implausible)
    for rr in cases:
        assert_same_cleaning(np.asarray(rr, dtype=np.float64))


def test_trailing_windows_of_a_simulated_strap_match() -> None:
    """The windows a live tracker cleans every 20 s, from beats with the strap's missed and
    extra beats (ten times the usual share) and gaps of 5-20 s, as window_reading cuts them
    (its result, reading by reading, is compared too)."""
    from zonetrainer.core.sim import Athlete

    params = AthleteParams()
    athlete = Athlete(params, seed=7)
    athlete.beats.missed_share, athlete.beats.extra_share = 0.02, 0.02
    rng = np.random.default_rng(4)
    times: list[float] = []
    values: list[float] = []
    gap_until = 0.0
    compared = 0
    for second in range(1, 1500):
        athlete.advance(1.0, 150.0 if (second // 120) % 2 else 110.0)
        sample = athlete.sample(float(second))
        if second < gap_until or sample is None:
            continue
        if rng.random() < 0.01:
            gap_until = second + rng.integers(5, 21)
        later = np.cumsum(np.asarray(sample.rr_ms)[::-1])[::-1] - np.asarray(sample.rr_ms)
        for offset, value in zip(later, sample.rr_ms, strict=True):
            times.append(second - offset / 1000.0)
            values.append(value)
        if second % 20 == 0 and second >= 120:
            t = np.asarray(times)
            v = np.asarray(values)
            keep = t >= second - _dfa.WINDOW_S - _dfa.CONTEXT_S
            assert_same_cleaning(v[keep])
            got = _dfa.window_reading(t[keep], v[keep], float(second))
            want = reference_reading(t[keep], v[keep], float(second))
            assert got == want
            compared += 1
    assert compared > 50


def reference_reading(times: NDArray[np.float64], rr: NDArray[np.float64],
                      t_s: float) -> object:
    """window_reading with the reference cleaning in place of the fast one."""
    original = _dfa.clean_rr
    _dfa.clean_rr = ref.clean_rr  # type: ignore[assignment]
    try:
        return _dfa.window_reading(times, rr, t_s)
    finally:
        _dfa.clean_rr = original
