"""After a pause the loop judges the next reading afresh: the block's clock stood still while
the heart went on, so a changed level is no spike and no reason to "hold"."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.control import HeartRateFilter
from zonetrainer.core.model import SessionState
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.recorder import MemoryRecorder
from zonetrainer.core.runner import runner_for
from zonetrainer.core.sources.simulated import simulated_source_for

PROFILE = Profile(name="Ann", age_years=40.0)


def test_no_hold_after_a_resume_when_hr_moved_during_the_pause() -> None:
    """Seed 6: HR fell from 123 to 99 bpm during a minute's pause in a rest; before the fix
    the loop took the new level for a spike and answered "hold" for two seconds."""
    runner = runner_for(load_plan("fatmax-intervals"), PROFILE,
                        simulated_source_for(PROFILE, PROFILE.band(), 6), VirtualClock(),
                        MemoryRecorder(), datetime.now(UTC), alpha1_factory=None)
    after: list[str] = []

    def on_state(state: SessionState) -> None:
        if 400 <= state.elapsed_s < 401 and not state.paused:
            runner.pause()
        elif 460 <= state.elapsed_s < 461 and state.paused:
            runner.resume()
        elif 461 <= state.elapsed_s <= 470:
            after.append(state.phase)
        elif state.elapsed_s > 470:
            runner.end()

    runner.on_state = on_state
    asyncio.run(runner.run())
    assert len(after) == 10 and "hold" not in after, after


def test_a_restarted_filter_takes_any_level_as_the_first_reading() -> None:
    f = HeartRateFilter()
    for t in range(10):
        assert f.add(float(t), 130.0).hr_bpm is not None
    assert f.add(10.0, 100.0).rejected  # 30 bpm in a second: a spike
    f.restart()
    assert f.add(11.0, 100.0).hr_bpm == 100.0
    assert f.lost_for_s(11.0) == 0.0
