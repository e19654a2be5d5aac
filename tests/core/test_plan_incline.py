"""A plan block's treadmill grade (``incline_pct``): parsed with its line on error, held by the
effort driver through the block (the loop still steers the speed), flat after it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.core.test_runner_effort import Recording
from tests.e2e.test_cli_run import SHORT_PLAN
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import SessionState
from zonetrainer.core.plan import PlanError, parse_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.sources import ftms_control as cp
from zonetrainer.core.sources.base import EffortRange
from zonetrainer.core.sources.effort_driver import EffortDriver

PLAN = SHORT_PLAN.replace("rest_s = 60", "rest_s = 60\nincline_pct = 4.5")


def test_any_block_may_hold_a_grade() -> None:
    plan = parse_plan(PLAN.replace('duration_s = 60\n', 'duration_s = 60\nincline_pct = -1\n', 1))
    assert [b.incline_pct for b in plan.blocks] == [-1.0, 4.5, None]


@pytest.mark.parametrize(("value", "expected"), [
    ("41", "must be between -10 and 40, not 41"), ("-12", "must be between -10 and 40"),
    ('"steep"', "must be a number, not 'steep'")])
def test_a_bad_grade_is_a_clear_error_with_its_line(value: str, expected: str) -> None:
    with pytest.raises(PlanError) as info:
        parse_plan(PLAN.replace("incline_pct = 4.5", f"incline_pct = {value}"), "bad.toml")
    assert expected in str(info.value) and "bad.toml, line 10" in str(info.value)
    assert "block 2.incline_pct" in str(info.value)


class Hill(Recording):
    def __init__(self) -> None:
        super().__init__(EffortRange(1.0, 18.0, 0.1, "km/h"))
        self.grades: list[float] = []

    def request_incline(self, incline_pct: float) -> None:
        self.grades.append(incline_pct)


def states() -> SessionState:
    profile = Profile(age_years=40.0)
    return SessionEngine(parse_plan(PLAN), profile.band(), profile.zones(), 170.0,
                         alpha1_factory=None).state


def test_the_block_s_grade_is_held_flat_in_a_pause_a_safety_rest_and_after_it() -> None:
    state = states()
    machine = Hill()
    driver = EffortDriver(machine, lambda: 0.0, [b.incline_pct for b in parse_plan(PLAN).blocks])
    driver.steer(replace(state, block_index=0))  # the warm-up names none: nothing yet
    assert machine.grades == []
    for _ in range(3):  # held, sent once
        driver.steer(replace(state, block_index=1, phase="work", target_effort=9.0))
    driver.steer(replace(state, block_index=1, phase="rest", target_effort=5.0))
    assert machine.grades == [4.5]  # the rest keeps the block's grade: only the speed moves
    driver.steer(replace(state, block_index=1, paused=True))
    driver.steer(replace(state, block_index=1))
    driver.steer(replace(state, block_index=1, safety_rest=True))
    driver.steer(replace(state, block_index=1))
    driver.steer(replace(state, block_index=2))  # the cool-down names none: flat
    driver.steer(replace(state, block_index=3, phase="done"))
    assert machine.grades == [4.5, 0.0, 4.5, 0.0, 4.5, 0.0]
    assert machine.asked[:2] == [9.0, 5.0]  # the speed is steered as before


def test_a_plan_without_grades_never_touches_the_incline() -> None:
    machine = Hill()
    driver = EffortDriver(machine, lambda: 0.0, [None, None])
    driver.steer(replace(states(), block_index=1, paused=True))
    driver.steer(replace(states(), block_index=1, target_effort=9.0))
    assert machine.grades == [] and machine.asked == [9.0]


def test_a_grade_is_clamped_to_the_treadmill_s_range_and_step() -> None:
    span = cp.parse_incline_range(b"\xe2\xff\x96\x00\x05\x00")  # -3 to 15 % in 0.5 %
    assert span == (-3.0, 15.0, 0.5)
    assert [cp.clamp_incline(span, v) for v in (4.23, 4.3, 20.0, -5.0)] == [4.0, 4.5, 15.0, -3.0]
    assert cp.set_target_incline(4.5) == bytes([0x03, 45, 0])
