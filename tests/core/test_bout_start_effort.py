"""A work bout's first targets: the machine is never told the rest effort for a tick at a bout's
start, and never more than the plan's work effort (or the latest bout's) at once: after a
warm-up the heart has not settled, so the model's first answer would overshoot."""

from __future__ import annotations

from zonetrainer.control import EffortLever, ZoneController
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import EffortSample, HeartRateSample
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile


def test_the_first_tick_of_a_bout_sends_no_rest_target() -> None:
    profile = Profile(name="Ann", age_years=40, rest_hr_bpm=60)
    engine = SessionEngine(load_plan("treadmill-intervals"), profile.band(), profile.zones(),
                           profile.safety_max_bpm)
    targets = []
    for t in range(0, 310):
        engine.ingest_effort(EffortSample(float(t), 6.4, "km/h"))
        engine.ingest(HeartRateSample(float(t), 100.0))
        state = engine.tick(float(t))
        if state.phase == "work":
            targets.append(state.target_effort)
    assert targets[0] is None  # no reading in the new block yet: the belt keeps its speed
    assert all(t is not None and t > 5.0 for t in targets[1:])


def test_a_bout_starts_at_most_at_the_plans_work_effort() -> None:
    lever = EffortLever(work=9.0, rest=5.0, low=3.0, high=16.0, unit="km/h", step=0.1)
    controller = ZoneController(low=120, high=138, work_s=240, rest_s=120, duration_s=1800,
                                effort=lever)
    first = None
    for t in range(0, 3):
        controller.update(float(t), 95.0, 6.4)  # a heart still rising after the warm-up
        first = first if first is not None else controller.target_effort
    # the model alone asks about 12 km/h here; the rate limit takes it on from 9 if needed
    assert first == 9.0
    assert controller.target_effort is not None and controller.target_effort <= 9.0 + 0.5
