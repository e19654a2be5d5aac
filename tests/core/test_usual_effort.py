"""The profile's usual effort (issue 13): validated by the plan's rules, stored, and the start of
the lever of every intervals block that names no effort of its own."""

from __future__ import annotations

import pytest

from zonetrainer.core.plan import parse_plan
from zonetrainer.core.plan_effort import PlanEffort
from zonetrainer.core.profile import Profile, ProfileError
from zonetrainer.core.runner import with_usual_effort

PLAN = parse_plan('''title = "t"
[[block]]
kind = "warmup"
duration_s = 60
[[block]]
kind = "intervals"
repeats = 2
work_s = 120
rest_s = 60
[[block]]
kind = "intervals"
repeats = 1
work_s = 120
rest_s = 60
effort = { work = 200.0, rest = 100.0, unit = "W" }
''', "t.toml")


def test_a_block_without_effort_takes_the_usual_one_and_a_named_one_is_kept() -> None:
    profile = Profile(name="Ann", usual_effort=(10.0, 5.0, "km/h"))
    blocks = with_usual_effort(PLAN, profile).blocks
    assert blocks[0].effort is None  # a warm-up has no lever
    assert blocks[1].effort == PlanEffort(10.0, 5.0, "km/h")
    assert blocks[2].effort == PlanEffort(200.0, 100.0, "W")
    assert with_usual_effort(PLAN, Profile(name="Bob")) is PLAN


def test_the_usual_effort_survives_json() -> None:
    profile = Profile(name="Ann", usual_effort=(180.0, 90.0, "W"))
    assert Profile.from_json(profile.to_json()) == profile


@pytest.mark.parametrize(("effort", "words"), [
    ((5.0, 10.0, "km/h"), "must be above rest"),
    ((10.0, 5.0, "mph"), 'unit must be "km/h" or "W"'),
    ((99.0, 5.0, "km/h"), "between 0 and 30 km/h"),
    ((10.0, 5.0), "must be (work, rest, unit)"),
])
def test_an_impossible_usual_effort_is_refused(effort: tuple, words: str) -> None:
    with pytest.raises(ProfileError, match=r"usual effort: .*" + words.replace("(", r"\(")
                       .replace(")", r"\)")):
        Profile(name="Ann", usual_effort=effort)  # type: ignore[arg-type]
