"""The simulated athlete's answer to a machine's effort: linear above the floor, bounded by
resting and maximal HR, and invertible."""

import numpy as np
import pytest

from zonetrainer.core.sim import AthleteParams, EffortResponse, random_response, treadmill_response


def test_treadmill_gain_follows_hunt_2015() -> None:
    params = AthleteParams()
    response = treadmill_response()
    rise = response.steady_hr_bpm(10.0, params) - response.steady_hr_bpm(9.0, params)
    assert rise == pytest.approx(24.0 / 3.6)  # 24 bpm per m/s


def test_bounded_by_rest_and_max_and_invertible() -> None:
    params = AthleteParams()
    response = treadmill_response()
    assert response.steady_hr_bpm(0.0, params) == params.rest_hr_bpm
    assert response.steady_hr_bpm(40.0, params) == params.hrmax_bpm
    effort = response.effort_for_hr(130.0, params)
    assert response.steady_hr_bpm(effort, params) == pytest.approx(130.0)


def test_random_response_stays_in_its_spread() -> None:
    rng = np.random.default_rng(1)
    gains = [random_response("W", rng).gain_bpm_per_unit for _ in range(200)]
    assert min(gains) >= 0.2 and max(gains) <= 0.5


def test_a_gain_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="gain must be positive"):
        EffortResponse("W", 0.0, floor=0.0)
