"""The heart-rate filter, which now fits its window's line once per change of the window,
cleans every reading exactly as the straightforward one did (tests/core/filter_reference.py):
noise, spikes, 0 bpm, gaps, jumps after gaps, restarts, readings closer than a second."""

from __future__ import annotations

import numpy as np
import pytest

from tests.core import filter_reference as ref
from zonetrainer.core.control import _filter as fast


@pytest.mark.parametrize("seed", range(8))
def test_filter_cleans_like_the_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    safety = None if seed % 2 else 175.0
    got, want = fast.HeartRateFilter(safety), ref.HeartRateFilter(safety)
    t, hr = 0.0, 100.0
    for _ in range(4000):
        t += float(rng.choice([1.0, 1.0, 1.0, 0.5, 2.0, 0.0, 7.0, 20.0]))
        hr = float(np.clip(hr + rng.normal(0.0, 1.5), 50.0, 190.0))
        u = rng.random()
        reading: float | None = round(hr)
        if u < 0.03:
            reading = None
        elif u < 0.05:
            reading = 0.0
        elif u < 0.08:
            reading = hr + float(rng.choice([-45.0, 30.0, 60.0]))  # a spike
        elif u < 0.085:
            hr += float(rng.choice([-40.0, 40.0]))  # a real jump
        if rng.random() < 0.002:
            got.restart()
            want.restart()
        a, b = got.add(t, reading), want.add(t, reading)
        assert repr(a) == repr(b)
        assert got.lost_for_s(t) == want.lost_for_s(t)
