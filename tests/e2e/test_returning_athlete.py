"""A returning athlete: the first session stores how its work bouts went, the next one starts
from it (real runner, real SQLite store, the project's simulated athlete)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.control._memory import EXTRA_KEY, MAX_AGE_DAYS, BoutHistory, recall
from zonetrainer.core.model import SessionState
from zonetrainer.core.plan import load_plan, parse_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.runner import SessionRunner, runner_for
from zonetrainer.core.sim import Athlete, AthleteParams
from zonetrainer.core.sources.simulated import SimulatedStrap
from zonetrainer.core.store import Store

PROFILE = Profile(name="Ann", age_years=35.0)
NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def far_above_strap(seed: int) -> SimulatedStrap:
    """Works 50 bpm above the band's top: HR shoots through the band within seconds."""
    band = PROFILE.band()
    params = AthleteParams(hrmax_bpm=PROFILE.hrmax_bpm, dead_time_s=10.0, tau_fast_s=45.0)
    return SimulatedStrap(Athlete(params, seed=seed), work_hr_bpm=band.high_bpm + 50.0,
                          rest_hr_bpm=band.low_bpm - 25.0, warmup_hr_bpm=band.low_bpm - 8.0)


TWO_BLOCKS = """title = "Two interval blocks"
[[block]]
kind = "warmup"
duration_s = 120
[[block]]
kind = "intervals"
repeats = 2
work_s = 240
rest_s = 120
[[block]]
kind = "intervals"
repeats = 2
work_s = 240
rest_s = 120
"""


def session(store: Store, started_at: datetime, seed: int, history: BoutHistory | None = None,
            plan: str = "fatmax-intervals", end_when: Callable[[SessionState], bool] | None = None,
            states: list[SessionState] | None = None
            ) -> tuple[SessionRunner, list[tuple[float, str | None]]]:
    """One session into ``store`` (by default fatmax-intervals: a warm-up, then 30 min of
    zone-controlled intervals), ended early once ``end_when(state)``, every state appended to
    ``states``; returns the runner and (session seconds, cue) while a zone-controlled work bout
    runs."""
    cues: list[tuple[float, str | None]] = []
    runner = runner_for(load_plan(plan) if plan != "two-blocks" else parse_plan(TWO_BLOCKS),
                        PROFILE, far_above_strap(seed), VirtualClock(),
                        store.recorder(), started_at, alpha1_factory=None, history=history)

    def seen(state: SessionState) -> None:
        if states is not None:
            states.append(state)
        if state.block_kind == "intervals" and state.phase == "work":
            cues.append((state.elapsed_s, state.cue))
        if end_when is not None and end_when(state) and not runner.engine.done:
            runner.end()

    runner.on_state = seen
    asyncio.run(runner.run())
    store.flush()
    return runner, cues


def test_the_second_session_starts_its_first_bout_with_ease_off(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "z.sqlite")
    try:
        assert recall(store.latest_extra, "Ann", NOW) is None
        first, cues = session(store, NOW - timedelta(days=2), seed=1)
        block_start = cues[0][0]
        assert all(not (cue or "").startswith("ease off") for t, cue in cues
                   if t < block_start + 10.0)
        learned = BoutHistory.from_json(store.load(1).extra[EXTRA_KEY])
        assert learned == first.engine.bout_history
        assert learned.work_bouts >= 5 and learned.starts_too_hard

        recalled = recall(store.latest_extra, "Ann", NOW)
        assert recalled is not None and recalled.session_id == 1
        second, cues = session(store, NOW, seed=2, history=recalled.history)
        assert second.engine.history_in == learned
        block_start = cues[0][0]
        # from the block's first reading (the state at its first instant has had none)
        assert all((cue or "").startswith("ease off") for t, cue in cues
                   if block_start < t < block_start + 10.0)
        latest = recall(store.latest_extra, "Ann", NOW + timedelta(minutes=50))
        assert latest is not None and latest.session_id == 2
        assert recall(store.latest_extra, "Ben", NOW) is None
        assert recall(store.latest_extra, "Ann", NOW + timedelta(days=MAX_AGE_DAYS + 1)) is None
    finally:
        store.close()


def test_a_session_without_a_zone_controlled_block_stores_no_history(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "z.sqlite")
    try:
        runner, _ = session(store, NOW, seed=3, plan="zone2-continuous")
        assert runner.engine.bout_history is None
        assert EXTRA_KEY not in store.load(1).extra
    finally:
        store.close()


def test_a_session_ended_early_stores_the_bouts_it_ran(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "z.sqlite")
    try:
        session(store, NOW, seed=4, end_when=lambda state: state.elapsed_s >= 900.0)
        history = BoutHistory.from_json(store.load(1).extra[EXTRA_KEY])
        assert 2 <= history.work_bouts < 20
    finally:
        store.close()


def test_a_session_too_short_to_tell_leaves_the_last_history_standing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "z.sqlite")
    try:
        session(store, NOW - timedelta(days=1), seed=5)
        runner, _ = session(store, NOW, seed=6, end_when=lambda state: (  # 20 s into 1st bout
            state.block_kind == "intervals" and state.phase_elapsed_s >= 20.0))
        history = runner.engine.bout_history
        assert history is not None and history.work_bouts == 1 and not history.usable
        assert EXTRA_KEY not in store.load(2).extra
        recalled = recall(store.latest_extra, "Ann", NOW)
        assert recalled is not None and recalled.session_id == 1
    finally:
        store.close()


def test_a_second_interval_block_starts_from_the_first_ones_bouts(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "z.sqlite")
    try:
        states: list[SessionState] = []
        runner, _ = session(store, NOW, seed=7, plan="two-blocks", states=states)
        blocks = [(state.block_index, state.elapsed_s, state.cue) for state in states]
        assert runner.engine.history_in is None  # a first session...
        second_start = min(t for index, t, _ in blocks if index == 2)
        early = [cue for index, t, cue in blocks if index == 2 and second_start < t
                 < second_start + 10.0]
        assert early and all((cue or "").startswith("ease off") for cue in early)  # 2nd block
        first_start = min(t for index, t, _ in blocks if index == 1)
        assert not any((cue or "").startswith("ease off") for index, t, cue in blocks
                       if index == 1 and t < first_start + 10.0)
        both = runner.engine.bout_history
        # both blocks count: 2 + 2 pairs, kept as planned since issue 13 (once >= 8 chopped bouts)
        assert both is not None and both.work_bouts == 4 and both.starts_too_hard
    finally:
        store.close()
