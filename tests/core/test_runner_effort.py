"""The runner with an effort source: readings recorded, targets sent when they change and at
once on a safety rest, machine events recorded, and a failing machine never ends the session.

Until the effort lever (issue 13, ``loop``) is on main the controller is a scripted one: the
real ZoneController for the timing, with a fixed work and rest target."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.control import ZoneController
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import EffortSample, SessionHeader, SessionState
from zonetrainer.core.plan import parse_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.recorder import MemoryRecorder
from zonetrainer.core.runner import SessionRunner
from zonetrainer.core.sources.base import EffortRange, EffortSource
from zonetrainer.core.sources.effort_driver import EffortDriver
from zonetrainer.core.sources.simulated import simulated_source_for
from zonetrainer.core.sources.simulated_machine import simulated_machine_for

PLAN = parse_plan('title = "machine"\n[[block]]\nkind = "intervals"\nrepeats = 3\n'
                  'work_s = 240\nrest_s = 120\n', "machine.toml")
WORK_KMH, REST_KMH = 13.43, 5.0  # about 150 and 95 bpm for this athlete


class ScriptedLever:
    """ZoneController's timing with a fixed target: WORK_KMH in work, REST_KMH in rest."""

    def __init__(self, low: float, high: float, work_s: float, rest_s: float,
                 duration_s: float, safety_max: float | None) -> None:
        self.inner = ZoneController(low=low, high=high, work_s=work_s, rest_s=rest_s,
                                    duration_s=duration_s, safety_max=safety_max)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    @property
    def target_effort(self) -> float:
        return WORK_KMH if self.inner.phase == "work" else REST_KMH


class BatchKeeper(MemoryRecorder):
    """A MemoryRecorder that also keeps the batches' efforts."""

    def __init__(self) -> None:
        super().__init__()
        self.efforts: list[EffortSample] = []

    def write(self, session_id: int, batch: Any) -> None:
        super().write(session_id, batch)
        self.efforts.extend(batch.efforts)


def session(effort: EffortSource | None, strap: Any, profile: Profile,
            lever: type[ScriptedLever] = ScriptedLever) -> tuple[SessionRunner, BatchKeeper]:
    band = profile.band()
    engine = SessionEngine(PLAN, band, profile.zones(), profile.safety_ceiling_bpm,
                           controller_factory=lever, alpha1_factory=None)
    recorder = BatchKeeper()
    header = SessionHeader(datetime(2026, 6, 1, tzinfo=UTC), PLAN.title, "A", band,
                           profile.zones(), strap.source_id)
    return SessionRunner(engine, strap, VirtualClock(), recorder, header,
                         effort_source=effort), recorder


def test_targets_reach_the_machine_on_its_grid_and_efforts_are_recorded() -> None:
    profile = Profile(age_years=40.0, rest_hr_bpm=58.0)
    strap, machine = simulated_machine_for(simulated_source_for(profile, profile.band(), 3),
                                           "treadmill")
    runner, recorder = session(machine, strap, profile)
    asyncio.run(runner.run())
    # sent when the target changed: work, rest, work, ... on the 0.1 km/h grid
    assert machine.targets[:3] == [13.4, 5.0, 13.4]
    assert all(a != b for a, b in zip(machine.targets, machine.targets[1:], strict=False))
    assert len(recorder.efforts) == len(runner.engine.efforts) > 0.9 * runner.engine.state.elapsed_s
    assert {e.unit for e in recorder.efforts} == {"km/h"}
    assert max(e.value or 0 for e in recorder.efforts) == 13.4
    # the heart answered the machine: the same athlete on a slower belt has a lower heart
    # rate 200 s into the first work bout
    assert hr_at(runner, 200.0) > hr_at(slower_belt(profile), 200.0) + 15


def hr_at(runner: SessionRunner, t_s: float) -> float:
    return next(s.hr_bpm for s in runner.engine.samples if s.t_s >= t_s and s.hr_bpm)


def slower_belt(profile: Profile) -> SessionRunner:
    class Slower(ScriptedLever):
        @property
        def target_effort(self) -> float:
            return 9.0 if self.inner.phase == "work" else REST_KMH
    strap, machine = simulated_machine_for(simulated_source_for(profile, profile.band(), 3),
                                           "treadmill")
    runner, _ = session(machine, strap, profile, Slower)
    asyncio.run(runner.run())
    assert machine.targets[0] == 9.0
    return runner


class BrokenMachine(EffortSource):
    """Measures 8 km/h until it raises in every call after ``fail_after_s``."""

    unit = "km/h"

    def __init__(self, fail_after_s: float) -> None:
        self.fail_after_s = fail_after_s
        self.now_s = 0.0
        self.stopped = False

    async def start(self) -> None: ...

    def drain(self, now_s: float) -> list[EffortSample]:
        self.now_s = now_s
        if now_s > self.fail_after_s:
            raise RuntimeError("machine firmware crashed")
        return [EffortSample(now_s, 8.0, "km/h", "broken")]

    def request_target(self, value: float) -> None:
        if self.now_s > self.fail_after_s:
            raise RuntimeError("control point gone")

    async def stop(self) -> None:
        self.stopped = True
        raise RuntimeError("cannot stop either")


def test_a_failing_machine_never_ends_the_session() -> None:
    profile = Profile(age_years=40.0, rest_hr_bpm=58.0)
    strap = simulated_source_for(profile, profile.band(), 5)
    machine = BrokenMachine(fail_after_s=100.0)
    runner, recorder = session(machine, strap, profile)
    _, summary = asyncio.run(runner.run())
    assert runner.end_status() == "finished"
    assert summary.duration_s >= PLAN.planned_s * 0.9
    errors = [e for e in recorder.records[1].events if e.kind == "machine_error"]
    assert len(errors) == 1 and "the session goes on" in errors[0].detail
    assert 99 <= len(runner.engine.efforts) <= 100  # kept what came before the failure
    assert machine.stopped


class Recording(EffortSource):
    def __init__(self, span: EffortRange | None) -> None:
        self.span = span
        self.asked: list[float] = []

    async def start(self) -> None: ...

    def drain(self, now_s: float) -> list[EffortSample]:
        return []

    async def stop(self) -> None: ...

    @property
    def supported_range(self) -> EffortRange | None:
        return self.span

    def request_target(self, value: float) -> None:
        self.asked.append(value)


@pytest.fixture
def state() -> SessionState:
    profile = Profile(age_years=40.0)
    return SessionEngine(PLAN, profile.band(), profile.zones(), 170.0,
                         alpha1_factory=None).state


def test_a_safety_rest_sends_the_rest_target_at_once(state: SessionState) -> None:
    machine = Recording(EffortRange(1.0, 18.0, 0.1, "km/h"))
    driver = EffortDriver(machine, lambda: 0.0)
    driver.steer(replace(state, target_effort=9.0))
    driver.steer(replace(state, target_effort=9.0))  # unchanged: not sent again
    driver.steer(replace(state, target_effort=5.0, safety_rest=True))
    driver.steer(replace(state, target_effort=5.0, safety_rest=True))
    assert machine.asked == [9.0, 5.0]
    # no lever target in a safety rest: the bottom of the machine's range
    driver.steer(replace(state, target_effort=None, safety_rest=False))
    driver.steer(replace(state, target_effort=None, safety_rest=True))
    assert machine.asked == [9.0, 5.0, 1.0]


def test_a_pause_slows_a_steered_machine_and_resume_restores_the_target(
        state: SessionState) -> None:
    machine = Recording(EffortRange(1.0, 18.0, 0.1, "km/h"))
    driver = EffortDriver(machine, lambda: 0.0)
    driver.steer(replace(state, target_effort=9.0))
    driver.steer(replace(state, target_effort=9.0, paused=True))
    driver.steer(replace(state, target_effort=9.0, paused=True))
    driver.steer(replace(state, target_effort=9.0))
    assert machine.asked == [9.0, 1.0, 9.0]


def test_without_a_target_nothing_is_sent(state: SessionState) -> None:
    machine = Recording(EffortRange(1.0, 18.0, 0.1, "km/h"))
    driver = EffortDriver(machine, lambda: 0.0)
    driver.steer(replace(state, target_effort=None, safety_rest=True))  # never steered yet
    driver.steer(replace(state, target_effort=None))
    assert machine.asked == []
