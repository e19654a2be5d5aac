"""A session with a machine's effort and a pause, run by the engine on a virtual time line and
recorded through the store's writer, loads back whole (SQLite and PostgreSQL): the effort
readings, each bout's mean effort and target, and the timer time apart from the elapsed time.
A database at 0003 upgrades to 0004 with its data intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert

from tests.core.test_engine import BAND, CEILING, WARM_INTERVALS_COOL, ZONES
from tests.core.test_engine_fakes import ToyStrap
from tests.support import store_data as data
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import EffortSample, RecordBatch, SessionRecord
from zonetrainer.core.store import Store, migrate
from zonetrainer.core.store.rows import header_row, sample_rows, summary_row
from zonetrainer.core.store.schema import SampleRow, SessionRow

PAUSE_AT_S, RESUME_AT_S = 80, 110  # 30 s inside the first work bout (60-120 s of the plan)


def _run() -> tuple[SessionEngine, list[RecordBatch]]:
    """A treadmill told 10 km/h in work and 5 km/h otherwise, running 0.2 km/h below that,
    read 0.5 s after each beat reading; its belt stands still while paused. The controller does
    not set it (no lever), so the target is the machine's own."""
    engine = SessionEngine(WARM_INTERVALS_COOL, BAND, ZONES, CEILING, alpha1_factory=None)
    strap = ToyStrap()
    batches: list[RecordBatch] = []
    t = 0
    while not engine.done:
        t += 1
        for sample in strap.drain(t):
            engine.ingest(sample)
        state = engine.tick(t)
        target = 10.0 if state.phase == "work" else 5.0
        belt = 0.0 if PAUSE_AT_S < t <= RESUME_AT_S else target - 0.2  # stopped while paused
        engine.ingest_effort(EffortSample(t + 0.5, belt, "km/h", "ftms-test", target, 1.5,
                                          None))
        if t == PAUSE_AT_S:
            engine.pause()
        if t == RESUME_AT_S:
            engine.resume()
        strap.follow(engine.tick(t + 0.5))
        if t % 5 == 0:
            batches.append(engine.take_batch())
    batches.append(engine.take_batch())
    return engine, batches


def test_engine_records_bout_effort_and_timer_time() -> None:
    engine, _ = _run()
    summary = engine.summary()
    assert summary.timer_s == pytest.approx(summary.duration_s - (RESUME_AT_S - PAUSE_AT_S))
    works = [i for i in engine.intervals if i.kind == "work"]
    assert works and all(i.effort_unit == "km/h" for i in works)
    # Work readings are 9.8 km/h against 10 (a reading at a switch may be the rest's 4.8); the
    # stopped belt of the pause does not count.
    for bout in works:
        assert 9.5 < (bout.avg_effort or 0) <= 9.8 + 1e-9
        assert 9.7 < (bout.avg_target_effort or 0) <= 10.0 + 1e-9
    first = works[0]
    assert first.timer_s == pytest.approx(first.actual_s - (RESUME_AT_S - PAUSE_AT_S))
    assert all(i.timer_s == pytest.approx(i.actual_s) for i in engine.intervals[2:])
    rests = [i for i in engine.intervals if i.kind == "rest"]
    assert all((i.avg_effort or 0) < 6 for i in rests)


def _record(store: Store) -> tuple[int, SessionEngine, list[RecordBatch]]:
    engine, batches = _run()
    rec = store.recorder()
    sid = rec.begin(data.header())
    for batch in batches:
        rec.write(sid, batch)
    rec.finish(sid, engine.summary())
    return sid, engine, batches


def test_effort_and_timer_round_trip_through_the_recorder(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        sid, engine, batches = _record(store)
        loaded: SessionRecord = store.load(sid)
    finally:
        store.close()
    assert loaded.efforts == tuple(e for b in batches for e in b.efforts) == engine.efforts
    assert loaded.intervals == tuple(engine.intervals)
    assert loaded.summary == engine.summary()
    assert loaded.summary is not None and loaded.summary.timer_s is not None
    assert loaded.summary.duration_s - loaded.summary.timer_s == pytest.approx(30.0)


def test_deleting_a_session_deletes_its_efforts(tmp_path: Path) -> None:
    path = tmp_path / "z.sqlite"
    store = Store.open(path)
    try:
        sid, _, _ = _record(store)
        store.delete(sid)
    finally:
        store.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM efforts").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_0003_database_upgrades_with_its_data_intact(db_url: str) -> None:
    engine = create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    samples = data.samples(0.0, 120.0)
    with engine.begin() as conn:
        migrate.upgrade(conn, "0003")
        values = header_row(data.header()) | summary_row(data.summary(), None)
        del values["timer_s"]  # added by 0004
        sid = conn.execute(insert(SessionRow.__table__).returning(SessionRow.id),
                           values | {"status": "finished", "writer": ""}).scalar_one()
        rows, rr = sample_rows(sid, 0, samples, "sim-1")
        conn.execute(insert(SampleRow.__table__), rows)
        conn.execute(insert(SessionRow.metadata.tables["rr"]), rr)
        conn.execute(insert(SessionRow.metadata.tables["intervals"]).values(
            [{"session_id": sid, "idx": 0, "kind": "work", "start_s": 0.0, "end_s": 120.0,
              "planned_s": 120.0, "end_reason": "planned length"}]))
    engine.dispose()
    store = Store.open(db_url)
    try:
        assert store.revision() == "0004"
        old = store.load(sid)
        assert old.samples == samples
        assert old.summary == data.summary()  # timer unknown: None, not a guess
        assert old.summary is not None and old.summary.timer_s is None
        assert [(i.kind, i.end_s, i.avg_effort, i.timer_s) for i in old.intervals] == [
            ("work", 120.0, None, None)]
        assert old.efforts == ()
        new_sid, engine_run, _ = _record(store)  # the new table and columns take data
        assert store.load(new_sid).efforts == engine_run.efforts
    finally:
        store.close()
