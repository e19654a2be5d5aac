"""SessionRunner: the asyncio loop between a source, the engine and a recorder."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime

import pytest

from tests.core.test_engine import BAND, CEILING, WARM_INTERVALS_COOL, ZONES, plan
from tests.core.test_engine_fakes import ToyStrap
from zonetrainer.core.clock import ScaledClock, VirtualClock
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import (
    RecordBatch,
    SessionEvent,
    SessionHeader,
    SessionState,
    SessionSummary,
)
from zonetrainer.core.plan import Plan
from zonetrainer.core.recorder import MemoryRecorder
from zonetrainer.core.runner import SessionRunner, run_session

HEADER = SessionHeader(datetime(2026, 3, 2, 6, 30, tzinfo=UTC), "test", "Ann", BAND, ZONES, "toy")


class LoggingRecorder(MemoryRecorder):
    """A MemoryRecorder that also notes when each batch came, in session time."""

    def __init__(self, engine: SessionEngine) -> None:
        super().__init__()
        self.engine = engine
        self.writes: list[tuple[float, RecordBatch]] = []
        self.finished: list[SessionSummary] = []

    def write(self, session_id: int, batch: RecordBatch) -> None:
        self.writes.append((self.engine.elapsed_s, batch))
        super().write(session_id, batch)

    def finish(self, session_id: int, summary: SessionSummary,
               extra: dict[str, str] | None = None, status: str = "finished") -> None:
        self.finished.append(summary)
        super().finish(session_id, summary, extra, status)


def new_engine(p: Plan = WARM_INTERVALS_COOL) -> SessionEngine:
    return SessionEngine(p, BAND, ZONES, CEILING, alpha1_factory=None)


def test_a_whole_session_is_recorded_in_small_batches() -> None:
    engine = new_engine()
    strap = ToyStrap(gaps=((70, 80),))
    recorder = LoggingRecorder(engine)
    states: list[SessionState] = []
    session_id, summary = asyncio.run(run_session(engine, strap, VirtualClock(), recorder,
                                                  HEADER, on_state=states.append))
    record = recorder.records[session_id]
    assert strap.started and strap.stopped == 1
    assert record.samples == tuple(strap.produced)
    assert record.intervals == tuple(engine.intervals)
    assert record.events == tuple(engine.events)
    assert record.status == "finished" and record.summary == summary == engine.summary()
    assert summary.duration_s == pytest.approx(WARM_INTERVALS_COOL.planned_s)
    assert states[-1].done
    # A batch at least every 2 s of session time: a crash loses at most that much.
    times = [t for t, _ in recorder.writes]
    assert max(b - a for a, b in itertools.pairwise(times)) <= 2.0 + 1e-9
    assert all(len(batch.samples) <= 2 for _, batch in recorder.writes[:-1])
    # The closed loop: the source was told every state.
    assert "work" in strap.followed and "rest" in strap.followed


def test_a_finished_recording_ends_the_session() -> None:
    engine = new_engine()
    strap = ToyStrap(end_s=100)
    recorder = MemoryRecorder()
    session_id, summary = asyncio.run(run_session(engine, strap, VirtualClock(), recorder,
                                                  HEADER))
    assert summary.duration_s == pytest.approx(100.0)
    assert summary.sample_count == 100
    assert engine.intervals[-1].end_reason == "recording ended"
    assert recorder.records[session_id].status == "ended early"  # before its plan did


def test_cancelling_stores_the_session_and_stops_the_source() -> None:
    engine = new_engine()
    strap = ToyStrap()
    recorder = LoggingRecorder(engine)

    async def scenario() -> None:
        runner = SessionRunner(engine, strap, VirtualClock(), recorder, HEADER)
        task = asyncio.create_task(runner.run())
        while engine.elapsed_s < 150:
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert runner.summary is not None and runner.session_id is not None

    asyncio.run(scenario())
    assert strap.stopped == 1
    assert recorder.finished and recorder.finished[0].duration_s == engine.elapsed_s
    record = recorder.records[1]
    assert record.samples == tuple(strap.produced)
    assert engine.intervals[-1].end_reason == "interrupted"


def test_intents_drive_the_running_session() -> None:
    engine = new_engine()
    strap = ToyStrap()
    recorder = MemoryRecorder()
    runner = SessionRunner(engine, strap, VirtualClock(), recorder, HEADER)

    def on_state(state: SessionState) -> None:
        if state.elapsed_s == 10:
            runner.pause()
        elif state.elapsed_s == 20:
            runner.resume()
        elif state.elapsed_s == 30:
            runner.skip()
        elif state.elapsed_s == 40:
            runner.end()

    runner.on_state = on_state
    asyncio.run(runner.run())
    got = [(r.kind, r.start_s, r.end_s, r.end_reason) for r in engine.intervals]
    assert got == [("warmup", 0.0, 30.0, "skipped"), ("work", 30.0, 40.0, "ended by user")]
    assert runner.summary is not None and runner.summary.duration_s == 40.0


def test_a_scaled_clock_runs_in_session_time() -> None:
    engine = new_engine(plan('[[block]]\nkind = "steady"\nduration_s = 30\n'))
    strap = ToyStrap()
    recorder = MemoryRecorder()
    session_id, summary = asyncio.run(run_session(engine, strap, ScaledClock(600.0), recorder,
                                                  HEADER, tick_s=0.25))
    # The block ends at the first tick at or after 30 s of session time (how late depends on
    # the machine's scheduling); every reading due by then was recorded.
    assert summary.duration_s >= 30.0
    assert len(recorder.records[session_id].samples) == int(summary.duration_s)


def test_bad_runner_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        SessionRunner(new_engine(), ToyStrap(), VirtualClock(), MemoryRecorder(), HEADER,
                      tick_s=0)


class LinkStrap(ToyStrap):
    """A toy strap that reports one link drop and reconnect, as a BLE source does."""

    def __init__(self) -> None:
        super().__init__()
        self.pending = [SessionEvent(30.0, "disconnected"), SessionEvent(34.0, "reconnected")]

    def take_events(self) -> list[SessionEvent]:
        out, self.pending = self.pending, []
        return out


def test_link_events_of_the_source_are_recorded() -> None:
    engine = new_engine()
    recorder = MemoryRecorder()
    session_id, _ = asyncio.run(run_session(engine, LinkStrap(), VirtualClock(), recorder,
                                            HEADER))
    kinds = [e.kind for e in recorder.records[session_id].events]
    assert kinds.count("disconnected") == 1 and kinds.count("reconnected") == 1


def test_an_error_in_a_callback_still_stores_the_session() -> None:
    engine = new_engine()
    strap = ToyStrap()
    recorder = MemoryRecorder()

    def on_state(state: SessionState) -> None:
        if state.elapsed_s >= 100:
            raise RuntimeError("a broken display")

    with pytest.raises(RuntimeError, match="broken display"):
        asyncio.run(run_session(engine, strap, VirtualClock(), recorder, HEADER,
                                on_state=on_state))
    record = recorder.records[1]
    assert record.status == "ended early" and record.summary is not None
    assert record.samples == tuple(strap.produced)
    assert engine.intervals[-1].end_reason == "stopped by an error"
    assert strap.stopped == 1
