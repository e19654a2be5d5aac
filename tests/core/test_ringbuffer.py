import numpy as np
import pytest

from zonetrainer.core.ringbuffer import RingBuffer


def test_windows_are_contiguous_views_in_order_after_wrapping() -> None:
    ring = RingBuffer(4)
    for i in range(10):
        ring.append(float(i), 100.0 + i)
    t, v = ring.last()
    assert t.tolist() == [6.0, 7.0, 8.0, 9.0]
    assert v.tolist() == [106.0, 107.0, 108.0, 109.0]
    assert t.base is not None and np.shares_memory(t, ring._t)  # a view, not a copy
    assert ring.last(2)[0].tolist() == [8.0, 9.0]
    assert ring.since(7.5)[0].tolist() == [8.0, 9.0]
    assert len(ring) == 4


def test_none_is_stored_as_a_gap_and_clear_empties() -> None:
    ring = RingBuffer(3)
    ring.append(0.0, None)
    ring.append(1.0, 120.0)
    assert np.isnan(ring.last()[1][0]) and ring.last()[1][1] == 120.0
    ring.clear()
    assert len(ring) == 0 and ring.last()[0].size == 0


def test_extend_matches_append() -> None:
    a, b = RingBuffer(5), RingBuffer(5)
    t = np.arange(8.0)
    v = np.array([1.0, np.nan, 3, 4, 5, 6, 7, 8])
    a.extend(t, v)
    for x, y in zip(t, v, strict=True):
        b.append(float(x), None if np.isnan(y) else float(y))
    np.testing.assert_array_equal(a.last()[1], b.last()[1])


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="capacity"):
        RingBuffer(0)
