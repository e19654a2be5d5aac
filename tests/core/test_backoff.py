"""The reconnect schedule, as a table."""

from __future__ import annotations

import pytest

from zonetrainer.core.backoff import MAX_DELAY_S, delay_s


@pytest.mark.parametrize(
    ("attempt", "expected_s"),
    [(0, 0.0), (1, 0.25), (2, 0.5), (3, 1.0), (4, 2.0), (5, 2.0), (50, 2.0), (10_000, 2.0)],
)
def test_schedule(attempt: int, expected_s: float) -> None:
    assert delay_s(attempt) == expected_s


def test_never_decreases_and_stays_within_the_reconnect_promise() -> None:
    delays = [delay_s(a) for a in range(200)]
    assert delays == sorted(delays)
    # issue 3: a returning strap is back within 5 s; waiting is only part of that budget
    assert max(delays) == MAX_DELAY_S <= 2.0


def test_negative_attempt_is_a_bug() -> None:
    with pytest.raises(ValueError, match="attempt must be 0 or more, not -1"):
        delay_s(-1)
