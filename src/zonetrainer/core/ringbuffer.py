"""A ring buffer of (time, value) pairs whose every window is one contiguous numpy view.

Each sample is written twice, at ``i`` and ``i + capacity``, so the last ``n`` samples always sit
side by side in memory: a plot reads them with no copy and no ``np.roll`` per sample (the same
trick friture uses for its live audio plots).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


class RingBuffer:
    """Fixed-capacity history of ``(t_s, value)``; ``nan`` values mark gaps (signal lost)."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity}")
        self.capacity = capacity
        self._t = np.full(2 * capacity, np.nan)
        self._v = np.full(2 * capacity, np.nan)
        self._next = 0  # index (0..capacity-1) of the slot the next sample goes to
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, t_s: float, value: float | None) -> None:
        v = np.nan if value is None else float(value)
        i = self._next
        self._t[i] = self._t[i + self.capacity] = t_s
        self._v[i] = self._v[i + self.capacity] = v
        self._next = (i + 1) % self.capacity
        self._count = min(self._count + 1, self.capacity)

    def extend(self, t_s: FloatArray, values: FloatArray) -> None:
        """Append many samples at once (for loading a stored session or a benchmark)."""
        for t, v in zip(t_s.tolist(), values.tolist(), strict=True):
            self.append(t, None if v != v else v)

    def clear(self) -> None:
        self._t.fill(np.nan)
        self._v.fill(np.nan)
        self._next = 0
        self._count = 0

    def last(self, n: int | None = None) -> tuple[FloatArray, FloatArray]:
        """Views (not copies) of the newest ``n`` samples, oldest first; all of them if None."""
        n = self._count if n is None else max(0, min(n, self._count))
        end = self._next + self.capacity
        return self._t[end - n:end], self._v[end - n:end]

    def since(self, t0_s: float) -> tuple[FloatArray, FloatArray]:
        """Views of every sample with ``t >= t0_s`` (times are appended in increasing order)."""
        t, v = self.last()
        start = int(np.searchsorted(t, t0_s, side="left"))
        return t[start:], v[start:]
