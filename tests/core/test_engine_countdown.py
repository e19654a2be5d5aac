"""The countdown of a zone-controlled phase follows the loop's forecast, not the nominal length."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import SessionHeader, SessionState
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.recorder import MemoryRecorder
from zonetrainer.core.runner import run_session
from zonetrainer.core.sources.simulated import simulated_source_for


def test_countdown_ten_seconds_before_a_controlled_switch_is_near_ten_seconds() -> None:
    profile = Profile()
    band = profile.band()
    plan = load_plan("fatmax-intervals")
    engine = SessionEngine(plan, band, profile.zones(), profile.safety_ceiling_bpm,
                           alpha1_factory=None)
    shown: dict[int, SessionState] = {}
    header = SessionHeader(datetime(2026, 11, 23, tzinfo=UTC), plan.name, "A", band,
                           profile.zones(), "simulated")
    asyncio.run(run_session(engine, simulated_source_for(profile, band, 7), VirtualClock(),
                            MemoryRecorder(), header,
                            on_state=lambda s: shown.__setitem__(round(s.elapsed_s), s)))
    errors_s, nominal_errors_s = [], []
    for interval in engine.intervals:
        if not interval.end_reason.startswith("HR predicted") or interval.actual_s < 40:
            continue
        state = shown.get(round(interval.end_s) - 10)
        if state is None or state.phase_remaining_s is None or state.phase == "hold":
            continue
        errors_s.append(abs(state.phase_remaining_s - 10.0))
        nominal_errors_s.append(abs(interval.planned_s - (interval.actual_s - 10.0) - 10.0))
    assert len(errors_s) >= 3, "too few controlled switches to judge the countdown"
    mean_error_s = sum(errors_s) / len(errors_s)
    # The forecast is a prediction (noise, learning, and an athlete who eases off when cued,
    # which moves the end): since issue 13 bouts keep their planned length unless the heart
    # ends them after min_work_s, so misses come from the athlete's answer to the cue.
    # Measured 2026-12-02: mean 23 s against 69 s for "planned minus elapsed".
    assert mean_error_s < 30.0, errors_s
    assert mean_error_s < 0.5 * sum(nominal_errors_s) / len(nominal_errors_s)
