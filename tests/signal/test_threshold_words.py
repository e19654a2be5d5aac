"""Issue 16, point 15: what a ramp result says does not contradict itself."""

from __future__ import annotations

from zonetrainer.core.profile import Profile
from zonetrainer.core.signal._dfa import Alpha1Reading
from zonetrainer.core.threshold import ThresholdResult, analyse_ramp, profile_with_threshold


def _readings(alpha1s: list[float]) -> list[Alpha1Reading]:
    return [Alpha1Reading(t_s=20.0 * (i + 1), alpha1=a, corrected_share=0.0, beats=240,
                          hr_bpm=110.0 + 2.0 * i, usable=True) for i, a in enumerate(alpha1s)]


def test_one_reading_below_is_not_never() -> None:
    # The issue: "alpha1 never clearly fell below 0.75 (lowest 0.56)".
    result = analyse_ramp(_readings([1.2, 1.15, 1.1, 1.05, 1.0, 0.95, 0.9, 0.56]))
    assert not result.ok
    assert "never" not in result.statement
    assert "0.56" in result.statement and "1 reading" in result.statement


def test_none_below_is_never() -> None:
    result = analyse_ramp(_readings([1.2, 1.15, 1.1, 1.05, 1.0, 0.95, 0.9, 0.85]))
    assert "never fell below 0.75" in result.statement and "0.85" in result.statement


def test_applying_a_ramp_keeps_its_uncertainty() -> None:
    result = ThresholdResult(True, "alpha1 crosses 0.75 at 141 bpm", aet_hr_bpm=141.0,
                             uncertainty_bpm=3.2)
    profile = profile_with_threshold(Profile(name="Ann", age_years=40.0), result, "ramp 1")
    assert profile.band().uncertainty_bpm == 3.2
    assert Profile.from_json(profile.to_json()).band().uncertainty_bpm == 3.2
