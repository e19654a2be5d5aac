"""The engine's effort inputs: readings are recorded and batched, shown only while live, and an
athlete's nudge is recorded as an event."""

from __future__ import annotations

from tests.core.test_engine import WARM_INTERVALS_COOL, engine
from zonetrainer.core.model import EffortSample, HeartRateSample


def test_effort_readings_are_batched_once_and_shown_while_live() -> None:
    e = engine(WARM_INTERVALS_COOL)
    e.feed(HeartRateSample(1.0, 110.0))
    e.ingest_effort(EffortSample(1.0, 8.5, "km/h", "tm", target=9.0))
    state = e.tick(2.0)
    assert (state.effort, state.effort_unit) == (8.5, "km/h")
    assert state.target_effort is None  # no lever in a warm-up
    assert e.take_batch().efforts == (EffortSample(1.0, 8.5, "km/h", "tm", target=9.0),)
    assert e.take_batch().efforts == ()
    later = e.tick(7.0)  # no reading for 6 s: not shown as if live
    assert later.effort is None and later.effort_unit is None
    assert e.efforts == (EffortSample(1.0, 8.5, "km/h", "tm", target=9.0),)


def test_a_nudge_is_recorded() -> None:
    e = engine(WARM_INTERVALS_COOL)
    e.feed(HeartRateSample(1.0, 110.0))
    e.nudge_effort(-1)
    e.nudge_effort(0)  # nothing to record
    assert [(ev.kind, ev.detail) for ev in e.events if ev.kind == "effort_nudge"] == \
        [("effort_nudge", "-1")]
