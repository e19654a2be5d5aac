"""A plan's effort per block and its shortest work bout (issue 13), and how the engine's walk
gives them to the zone-control loop."""

from __future__ import annotations

import pytest

from tests.core.test_control_lever import EffortHeart
from zonetrainer.control import ZoneController
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import Band, EffortSample, HeartRateSample, ZoneTable
from zonetrainer.core.plan import PlanError, load_plan, parse_plan
from zonetrainer.core.plan_effort import PlanEffort

BAND = Band(120.0, 138.0, "custom", "test", 5.0)
ZONES = ZoneTable((114.0, 133.0, 152.0, 171.0, 190.0), 190.0, "test zones")

INTERVALS = '''title = "t"
[[block]]
kind = "intervals"
repeats = 5
work_s = 240
rest_s = 120
'''


def test_a_block_names_its_efforts_and_shortest_work_bout() -> None:
    p = parse_plan(INTERVALS + 'effort = { work = 10.0, rest = 5, unit = "km/h" }\n'
                   'min_work_s = 150\n')
    block = p.blocks[0]
    assert block.effort == PlanEffort(10.0, 5.0, "km/h")
    assert block.min_work_s == 150.0
    watts = parse_plan(INTERVALS + 'effort = { work = 180, rest = 80, unit = "W" }\n')
    assert watts.blocks[0].effort == PlanEffort(180.0, 80.0, "W")
    assert parse_plan(INTERVALS).blocks[0].effort is None


def test_the_shipped_treadmill_plan_names_its_speeds() -> None:
    block = load_plan("treadmill-intervals").blocks[1]
    assert block.effort == PlanEffort(9.0, 5.0, "km/h")


@pytest.mark.parametrize("line, expected", [
    ('effort = 10', "must be a table"),
    ('effort = { work = 10.0, rest = 5.0 }', 'unit must be "km/h" or "W"'),
    ('effort = { work = 10.0, rest = 5.0, unit = "mph" }', 'unit must be "km/h" or "W"'),
    ('effort = { rest = 5.0, unit = "km/h" }', "work is missing"),
    ('effort = { work = "fast", rest = 5.0, unit = "km/h" }', "work must be a number"),
    ('effort = { work = 45.0, rest = 5.0, unit = "km/h" }', "between 0 and 30 km/h"),
    ('effort = { work = 5.0, rest = 9.0, unit = "km/h" }', "must be above rest"),
    ('effort = { work = 9.0, rest = 5.0, unit = "km/h", incline = 2 }', "unknown key"),
    ('min_work_s = 5', "between 10 and work_s (240)"),
    ('min_work_s = 300', "between 10 and work_s (240)"),
    ('min_work_s = "long"', "must be a number of seconds"),
])
def test_a_bad_effort_or_min_work_is_a_clear_error_with_its_line(line: str,
                                                                 expected: str) -> None:
    with pytest.raises(PlanError) as info:
        parse_plan(INTERVALS + line + "\n", "bad.toml")
    text = str(info.value)
    assert expected in text and "bad.toml, line 7" in text and "block 1." in text


def test_only_an_intervals_block_takes_an_effort() -> None:
    with pytest.raises(PlanError, match="only an intervals block"):
        parse_plan('title = "t"\n[[block]]\nkind = "steady"\nduration_s = 600\n'
                   'effort = { work = 9.0, rest = 5.0, unit = "km/h" }\n')


def _engine(text: str) -> SessionEngine:
    return SessionEngine(parse_plan(text), BAND, ZONES, 175.0, alpha1_factory=None)


def test_the_engine_gives_the_block_s_lever_the_machine_s_effort_and_shows_its_target() -> None:
    e = _engine(INTERVALS + 'effort = { work = 10.0, rest = 5.0, unit = "km/h" }\n'
                'min_work_s = 150\n')
    heart = EffortHeart()
    effort = 5.0
    targets, levels = [], []
    for t in range(1, 1801):
        e.ingest_effort(EffortSample(float(t), effort, "km/h", "tm"))
        state = e.feed(HeartRateSample(float(t), heart.step(effort), (), True, None))
        if state.phase == "done":
            break
        assert state.target_effort is not None
        targets.append(state.target_effort)
        levels.append(state.cue_level)
        effort = state.target_effort  # a machine that follows at once
    walk_controller = e._walk.controller if e._walk is not None else None  # white-box
    if isinstance(walk_controller, ZoneController):
        assert walk_controller.min_work_s == 150.0
    works = [i for i in e.intervals if i.kind == "work"]
    assert len(works) == 5
    assert all(1.0 <= x <= 25.0 for x in targets)
    assert min(targets) == 5.0  # rests at the plan's rest effort
    assert set(levels) <= {0, 1, 2}


def test_a_nudge_through_the_engine_moves_the_target_by_whole_steps() -> None:
    e = _engine(INTERVALS + 'effort = { work = 10.0, rest = 5.0, unit = "km/h" }\n')
    heart = EffortHeart()
    state = None
    for t in range(1, 61):
        e.ingest_effort(EffortSample(float(t), 8.0, "km/h", "tm"))
        state = e.feed(HeartRateSample(float(t), heart.step(8.0), (), True, None))
    assert state is not None and state.target_effort is not None
    before = state.target_effort
    after = e.nudge_effort(+1)
    assert after.target_effort == pytest.approx(before + 0.5)  # one step of 0.5 km/h


def test_without_an_effort_the_block_has_no_lever() -> None:
    e = _engine(INTERVALS)
    state = e.feed(HeartRateSample(1.0, 110.0, (), True, None))
    assert state.target_effort is None
    assert e.nudge_effort(+1).target_effort is None
