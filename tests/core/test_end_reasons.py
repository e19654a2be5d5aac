"""Issue 16, point 14: an end reason says what happened, with the right numbers."""

from __future__ import annotations

from zonetrainer.core.control._policy import overrun_reason, reach_reason


def test_hr_over_the_top_is_not_called_the_top() -> None:
    # The issue: "HR at 147, the band's top" with a band topping at 126.
    text = reach_reason(147.0, 0.0, 126.0)
    assert "147" in text and "126" in text and "above" in text
    assert "147, the band's top" not in text


def test_at_the_top_and_predicted_reasons_keep_their_numbers() -> None:
    assert reach_reason(124.4, 0.0, 126.0) == "HR at 124, near the band's top of 126"
    assert reach_reason(131.0, 12.0, 126.0) == \
        "HR predicted to reach 131 in 12 s (the band's top is 126)"
    assert overrun_reason(150.0, 0.0, 126.0).endswith(": ended before the minimum interval")
