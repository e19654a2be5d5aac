"""A dashboard-like session killed mid-way: ``python -m tests.ui.crash_child DB PLAN KILL_AT_S``.

The real runner, the simulated athlete and a VirtualClock write into the real store; once the
session reaches KILL_AT_S the process flushes what the runner handed over and kills itself
(SIGKILL), leaving the session "running" with a dead writer, as a crash does.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime

from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.model import SessionState
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.runner import runner_for
from zonetrainer.core.sources.simulated import simulated_source_for
from zonetrainer.core.store import Store


def main(db: str, plan_name: str, kill_at_s: float) -> None:
    profile = Profile(name="Crash", age_years=35.0, rest_hr_bpm=55.0)
    store = Store.open(db)

    def on_state(state: SessionState) -> None:
        if state.elapsed_s >= kill_at_s:
            store.flush()
            os.kill(os.getpid(), signal.SIGKILL)

    runner = runner_for(load_plan(plan_name), profile,
                        simulated_source_for(profile, profile.band(), seed=3), VirtualClock(),
                        store.recorder(), datetime(2026, 11, 20, 7, 0, tzinfo=UTC),
                        on_state=on_state)
    asyncio.run(runner.run())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
