"""The real pipeline (ReplaySource -> SessionEngine -> SessionRunner -> Store) until killed.

Run as ``python -m tests.store.engine_crash_driver DB FIT SPEED``. A recorded FIT file is
replayed on a ScaledClock; every whole second of session time it prints ``elapsed <s>``.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from zonetrainer.core.clock import ScaledClock
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.imports import read_recording
from zonetrainer.core.model import SessionHeader, SessionState
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.runner import run_session
from zonetrainer.core.sources.replay import ReplaySource
from zonetrainer.core.store import Store


async def main(db: str, fit: str, speed: float) -> None:
    profile = Profile(name="Crash", age_years=35.0, rest_hr_bpm=55.0)
    plan = load_plan("zone2-continuous")
    band, zones = profile.band(), profile.zones()
    store = Store.open(db)
    recording = read_recording(fit)  # read before the clock starts, so replay begins near 0
    clock = ScaledClock(speed)
    source = ReplaySource(recording, clock)
    engine = SessionEngine(plan, band, zones, profile.safety_ceiling_bpm)
    header = SessionHeader(datetime(2026, 3, 2, 6, 30, tzinfo=UTC), plan.name, profile.name,
                           band, zones, source.source_id, '{"rest_hr_bpm": 55.0}')
    printed = [-1]

    def show(state: SessionState) -> None:
        if int(state.elapsed_s) > printed[0]:
            printed[0] = int(state.elapsed_s)
            print(f"elapsed {state.elapsed_s!r}", flush=True)

    await run_session(engine, source, clock, store.recorder(), header, on_state=show)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
