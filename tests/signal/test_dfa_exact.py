"""DFA alpha1 with its fixed parts computed once gives the slope the straightforward code did,
to the bit: the reference below is the code before (np.polyfit on every call)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from tests.signal.fgn import fgn
from zonetrainer.core.signal import _dfa
from zonetrainer.core.signal._dfa import ALPHA1_SCALES


def reference_fluctuations(x: NDArray[np.float64], scales: Sequence[int],
                           overlap: bool) -> NDArray[np.float64]:
    walk = np.cumsum(x - x.mean())
    result = np.empty(len(scales))
    for k, n in enumerate(scales):
        if overlap:
            starts = np.arange(0, walk.size - n, n // 2)
            boxes = np.lib.stride_tricks.sliding_window_view(walk, n)[starts]
        else:
            boxes = walk[: walk.size - walk.size % n].reshape(-1, n)
        t = np.arange(n) - (n - 1) / 2.0
        centred = boxes - boxes.mean(axis=1, keepdims=True)
        tdot = centred @ t
        sse = np.einsum("ij,ij->i", centred, centred) - tdot * tdot / float(t @ t)
        result[k] = np.sqrt(np.maximum(sse, 0.0).sum() / (n * boxes.shape[0]))
    return result


def reference_alpha(x: NDArray[np.float64], scales: Sequence[int], overlap: bool) -> float:
    f = reference_fluctuations(x, scales, overlap)
    nonzero = f > 0
    slope, _ = np.polyfit(np.log(np.asarray(scales, dtype=np.float64)[nonzero]),
                          np.log(f[nonzero]), 1)
    return float(slope)


def test_alpha1_is_the_reference_slope_to_the_bit() -> None:
    rng = np.random.default_rng(11)
    checked = 0
    for n in (17, 18, 33, 64, 65, 150, 300, 333, 1000):
        for hurst in (0.2, 0.5, 0.75, 0.95):
            x = 500.0 + 5.0 * fgn(n, hurst, rng)
            for values in (x, np.round(x / (1000 / 1024)) * (1000 / 1024)):
                for scales in (ALPHA1_SCALES, (4, 6, 8, 12, 16), tuple(range(16, 65))):
                    if values.size <= max(scales):
                        continue
                    for overlap in (False, True):
                        got = _dfa.fluctuations(values, scales, overlap)
                        assert got.tobytes() == reference_fluctuations(
                            values, scales, overlap).tobytes()
                        assert _dfa.dfa_alpha(values, scales, overlap) == reference_alpha(
                            values, scales, overlap)
                        checked += 1
    assert checked > 100

