"""Fractional Gaussian noise by the Davies-Harte circulant embedding (Davies and Harte 1987,
Biometrika 74:95), exact in distribution and O(n log n); seeded, unlike nolds' helper."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def fgn(n: int, hurst: float, rng: np.random.Generator) -> NDArray[np.float64]:
    """``n`` values of unit-variance fGn with Hurst exponent ``hurst`` (DFA alpha ~ H)."""
    if not 0.0 < hurst < 1.0:
        raise ValueError(f"hurst: {hurst}; use 0-1 (exclusive)")
    k = np.arange(n + 1, dtype=np.float64)
    two_h = 2.0 * hurst
    gamma = 0.5 * ((k + 1) ** two_h - 2.0 * k**two_h + np.abs(k - 1) ** two_h)
    row = np.concatenate([gamma, gamma[-2:0:-1]])
    eigen = np.fft.fft(row).real
    if eigen.min() < -1e-9:
        raise ValueError("circulant embedding is not positive semi-definite")
    m = row.size
    w = rng.standard_normal(m) + 1j * rng.standard_normal(m)
    return np.asarray(np.fft.fft(np.sqrt(np.maximum(eigen, 0.0) / m) * w).real[:n])
