"""runner_for: one place that turns a plan and a profile into an engine and a session header."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.core.test_engine_fakes import ToyStrap
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.recorder import MemoryRecorder
from zonetrainer.core.runner import runner_for


def test_the_profile_drives_the_engine_and_is_recorded_in_the_header() -> None:
    profile = Profile(name="Cy", age_years=50.0, rest_hr_bpm=60.0, safety_max_bpm=160.0)
    plan = load_plan("zone2-continuous")
    source = ToyStrap()
    started = datetime(2026, 5, 1, 7, 0, tzinfo=UTC)
    runner = runner_for(plan, profile, source, VirtualClock(), MemoryRecorder(), started,
                        alpha1_factory=None)
    engine, header = runner.engine, runner.header
    assert (engine.plan, engine.band, engine.zones) == (plan, profile.band(), profile.zones())
    assert engine.safety_max_bpm == profile.safety_ceiling_bpm == 160.0
    assert engine.alpha1_readings == ()
    assert (header.started_at, header.plan_name, header.athlete_name) == (started, plan.name, "Cy")
    assert (header.band, header.zones) == (profile.band(), profile.zones())
    assert (header.source_id, header.sport) == (source.source_id, plan.sport)
    assert Profile.from_json(header.profile_json) == profile
