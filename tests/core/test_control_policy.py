"""The zone-control decision rules as pure functions of one moment (control_policy)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from zonetrainer.core.control import _policy as policy
from zonetrainer.core.control._model import ResponseEstimate

RESPONSE = ResponseEstimate(work_bpm=160.0, rest_bpm=95.0, tau_s=40.0, dead_time_s=10.0,
                            drift_bpm_per_min=0.0)


def _moment(**changes: object) -> policy.Moment:
    m = policy.Moment(
        t=100.0, phase="work", level_bpm=125.0, low=120.0, high=135.0, margin_bpm=1.5,
        min_interval_s=25.0, wait_s=10.0, active_s=15.0, planned_s=240.0, safety_rest=False,
        eased_last_bout=False, rise_bpm_per_s=1.5, trend_bpm=125.0,
        first_bout=False, may_start_work=True, response=RESPONSE)
    return replace(m, **changes)  # type: ignore[arg-type]


def _flat(peak_bpm: float) -> policy.Predict:
    """A model that predicts the same peak whatever the switch time."""
    def predict(future: list[tuple[float, str]]) -> tuple[float, float, float, float]:
        return peak_bpm, future[0][0] + 10.0, 100.0, future[0][0] + 10.0
    return predict


def test_trend_peak_carries_the_rise_over_the_dead_time() -> None:
    m = _moment(rise_bpm_per_s=2.0, trend_bpm=125.0)
    peak, in_s = policy.trend_peak(m, m.t + 1.0)
    u = 1.0 + RESPONSE.dead_time_s
    assert in_s == u
    assert peak == pytest.approx(125.0 + 2.0 * 40.0 * (1.0 - math.exp(-u / 40.0)))
    assert policy.trend_peak(_moment(rise_bpm_per_s=-1.0), 101.0)[0] == 125.0


def test_the_first_bout_believes_a_fast_rise_over_the_model() -> None:
    predict = _flat(130.0)  # the prior model: no overshoot
    rising = _moment(first_bout=True, rise_bpm_per_s=2.0)
    assert policy.extreme(rising, predict, 101.0)[0] > 140.0
    # later bouts trust the fitted model; a slow rise does not count either
    assert policy.extreme(replace(rising, first_bout=False), predict, 101.0)[0] == 130.0
    assert policy.extreme(replace(rising, rise_bpm_per_s=0.8), predict, 101.0)[0] == 130.0


def test_predicted_overrun_ends_work_before_the_minimum_but_not_too_soon() -> None:
    over = policy.OVERRUN_BPM
    m = _moment(rise_bpm_per_s=0.0, wait_s=10.0, active_s=15.0)
    action = policy.band_first(m, _flat(135.0 + over + 1.0))
    assert action.switch_to == "rest" and action.reason.endswith("before the minimum interval")
    assert policy.band_first(m, _flat(135.0 + over - 1.0)).switch_to is None
    too_soon = replace(m, active_s=policy.OVERRUN_FLOOR_SHARE * 25.0 - 1.0)
    assert policy.band_first(too_soon, _flat(135.0 + over + 10.0)).switch_to is None
    # in the block's first bout too: a predicted overrun there is no less an overrun
    assert policy.band_first(replace(m, first_bout=True), _flat(150.0)).switch_to == "rest"


def test_far_above_effort_gets_ease_off_all_through_the_bout() -> None:
    far = replace(RESPONSE, work_bpm=135.0 + policy.FAR_ABOVE_BPM + 5.0)
    near = replace(RESPONSE, work_bpm=135.0 + policy.FAR_ABOVE_BPM - 5.0)
    late = _moment(active_s=60.0, wait_s=0.0, level_bpm=124.0, rise_bpm_per_s=0.0)
    assert policy.band_first(replace(late, response=far), _flat(130.0)).cue == "ease off"
    assert policy.band_first(replace(late, response=near), _flat(130.0)).cue is None
    # ... and not once HR is over the top (the switch is what acts then)
    assert policy.band_first(replace(late, response=far, level_bpm=136.0, wait_s=5.0),
                             _flat(130.0)).cue is None


def test_first_bout_judges_the_effort_by_where_a_fast_rise_heads() -> None:
    """Before any work response is seen, the prior (20 bpm above) hides a far-above effort;
    a rise of 1.5 bpm/s at tau 40 s heads 60 bpm above the level."""
    m = _moment(first_bout=True, active_s=20.0, wait_s=5.0, level_bpm=118.0, trend_bpm=118.0,
                rise_bpm_per_s=1.5, response=replace(RESPONSE, work_bpm=155.0))
    assert policy.band_first(m, _flat(130.0)).cue == "ease off"
    assert policy.band_first(replace(m, first_bout=False), _flat(130.0)).cue is None
    slow = replace(m, rise_bpm_per_s=policy.TREND_MIN_RISE_BPM_PER_S - 0.2)
    assert policy.band_first(slow, _flat(130.0)).cue is None


def test_a_rest_the_heart_kept_going_says_so_when_it_ends() -> None:
    """A rest ends once its planned length has passed, HR is in the band and a shortest work bout
    fits; well past the plan, the reason is the heart rate, not the plan."""
    def settled(peak_bpm: float) -> policy.Predict:
        def predict(future: list[tuple[float, str]]) -> tuple[float, float, float, float]:
            return peak_bpm, future[0][0] + 10.0, 126.0, future[0][0] + 10.0
        return predict

    rest = _moment(phase="rest", wait_s=0.0, planned_s=120.0, level_bpm=126.0)
    on_time = policy.band_first(replace(rest, active_s=121.0), settled(130.0))
    assert (on_time.switch_to, on_time.reason) == ("work", policy.PLANNED_REACHED)
    late = policy.band_first(replace(rest, active_s=680.0), settled(130.0))
    assert late.switch_to == "work"
    assert late.reason == "HR settled in the band (126), 560 s after the planned length"
