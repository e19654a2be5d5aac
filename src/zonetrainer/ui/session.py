"""Building one session from what the athlete chose: plan, profile, strap, machine, speed.

The model side of the dashboard: no widget here. It hands the presenter a coroutine to run and
the runner whose intents (pause, resume, skip, end) the controls call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from zonetrainer.core.clock import Clock, clock_for_speed
from zonetrainer.core.control import BoutHistory
from zonetrainer.core.errors import UserError
from zonetrainer.core.plan import Plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.recorder import MemoryRecorder, Recorder
from zonetrainer.core.sources.base import EffortSource, HeartRateSource
from zonetrainer.ui.devices import StrapChoice
from zonetrainer.ui.machines import NO_MACHINE, MachineChoice
from zonetrainer.ui.presenter import SessionPresenter

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SessionSetup:
    plan: Plan
    profile: Profile
    strap: StrapChoice
    speed: float = 1.0  # 1 real time; 0 as fast as possible (tests, demos)
    seed: int | None = None
    machine: MachineChoice = NO_MACHINE


def simulated_source(setup: SessionSetup) -> HeartRateSource:
    try:
        from zonetrainer.core.sources.simulated import simulated_source_for
    except ImportError as exc:
        raise UserError(f"the simulated strap is not available ({exc})") from None
    return simulated_source_for(setup.profile, setup.profile.band(), setup.seed)


def make_source(setup: SessionSetup, clock: Clock,
                on_fallback: Callable[[str], None] | None = None) -> HeartRateSource:
    """The simulated strap, or a Bluetooth strap by its address; when that strap or the
    adapter cannot be reached, the simulated strap instead (``on_fallback`` hears why)."""
    if setup.strap.simulated:
        return simulated_source(setup)
    from zonetrainer.core.sources.ble import BleSource
    from zonetrainer.core.sources.ble_fallback import FallbackSource

    assert setup.strap.address is not None
    return FallbackSource(BleSource(setup.strap.address, clock),
                          lambda: simulated_source(setup), on_fallback=on_fallback)


def make_effort(setup: SessionSetup, clock: Clock, source: HeartRateSource,
                ) -> tuple[HeartRateSource, EffortSource | None]:
    """The chosen machine or sensor (None for none) and the heart-rate source to use with it:
    a simulated machine drives the simulated strap's athlete (core.sources.effort_choice)."""
    machine = setup.machine
    if machine.kind is None:
        return source, None
    from zonetrainer.core.sources.effort_choice import effort_source_for

    return effort_source_for(machine.kind, machine.address, clock, source)


def start_session(presenter: SessionPresenter, setup: SessionSetup,
                  recorder: Recorder | None = None, clock: Clock | None = None,
                  source: HeartRateSource | None = None,
                  on_fallback: Callable[[str], None] | None = None,
                  history: BoutHistory | None = None, remember_bouts: bool = True) -> Any:
    """Build engine, source and runner and start the run on the presenter; returns the runner.
    ``history``: how the athlete's work bouts went last time (control_memory.recall);
    ``remember_bouts``: store how this session's went (for a saved athlete only)."""
    from zonetrainer.core.runner import runner_for

    clock = clock or clock_for_speed(setup.speed)
    source, effort = make_effort(setup, clock, source or make_source(setup, clock, on_fallback))
    runner = runner_for(setup.plan, setup.profile, source, clock, recorder or MemoryRecorder(),
                        datetime.now(UTC), on_state=presenter.accept, history=history,
                        remember_bouts=remember_bouts, effort_source=effort)

    async def run(_on_state: object) -> Any:
        return await runner.run()

    presenter.start(run, runner, source.status, setup.plan)
    return runner
