"""The zone-control decision rules as pure functions of one moment (control_policy)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from zonetrainer.core.control import _policy as policy
from zonetrainer.core.control import _timing as timing
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


def _shape(m: policy.Moment, peak_bpm: float, lever_floor: bool | None = None,
           **kw: bool) -> policy.Action:
    return timing.shape_rule(m, _flat(peak_bpm), min_work_s=144.0, rest_s=120.0,
                             min_rest_s=120.0, lever_floor=lever_floor, **kw)


def test_a_work_bout_keeps_min_work_s_however_high_the_prediction() -> None:
    """Issue 13: only safety, a lost signal or the athlete end a bout before min_work_s."""
    assert _shape(_moment(active_s=100.0), 200.0).switch_to is None
    early = _shape(_moment(active_s=150.0), 140.0)  # past min_work_s, > 3 bpm over the top
    assert early.switch_to == "rest" and early.reason.startswith("HR predicted to reach 140")
    assert _shape(_moment(active_s=150.0), 137.0).switch_to is None  # within 3 bpm: goes on
    assert _shape(_moment(active_s=240.0), 120.0).reason == policy.PLANNED_REACHED


def test_with_a_lever_the_effort_holds_the_band_and_only_its_floor_ends_a_bout() -> None:
    assert _shape(_moment(active_s=150.0), 160.0, lever_floor=False).switch_to is None
    floor = _moment(active_s=150.0, level_bpm=140.0)
    assert _shape(floor, 160.0, lever_floor=True).switch_to == "rest"


def test_a_rest_ends_as_hr_settles_between_its_planned_and_twice_its_length() -> None:
    rest = _moment(phase="rest", level_bpm=121.0, active_s=60.0, planned_s=120.0)
    assert _shape(rest, 125.0).switch_to is None  # not before the planned rest
    settled = replace(rest, active_s=125.0)
    assert _shape(settled, 125.0).switch_to == "work"
    unsettled = replace(rest, active_s=125.0, level_bpm=130.0)
    assert timing.shape_rule(unsettled, lambda f: (130.0, 0.0, 128.0, 0.0), min_work_s=144.0,
                             rest_s=120.0, min_rest_s=120.0,
                             lever_floor=None).switch_to is None
    longest = replace(unsettled, active_s=240.0)
    assert _shape(longest, 130.0).reason == timing.REST_LONGEST
    assert _shape(settled, 125.0, rest_above_work=True).switch_to is None
    assert _shape(replace(rest, active_s=10.0), 125.0, must_start=True).reason == \
        timing.TIME_SHORT
