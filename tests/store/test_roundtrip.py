"""A session written through the recorder (or imported) loads back exactly."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.support import store_data as data
from zonetrainer.core.model import RecordBatch, SessionRecord
from zonetrainer.core.signal import summarize
from zonetrainer.core.store import Store, StoreError


def _expected(batches: list[RecordBatch]) -> dict[str, tuple[object, ...]]:
    return {"samples": tuple(s for b in batches for s in b.samples),
            "intervals": tuple(i for b in batches for i in b.intervals),
            "events": tuple(e for b in batches for e in b.events),
            "alpha1": tuple(a for b in batches for a in b.alpha1)}


def test_recorded_session_round_trips_exactly(db_url: str) -> None:
    batches = data.batches(900.0)
    store = Store.open(db_url)
    try:
        rec = store.recorder()
        sid = rec.begin(data.header())
        for batch in batches:
            rec.write(sid, batch)
        rec.finish(sid, data.summary(), {"threshold": json.dumps({"aet_bpm": 131.5})})
        loaded = store.load(sid)
    finally:
        store.close()
    exp = _expected(batches)
    assert loaded.header == data.header()
    assert loaded.samples == exp["samples"]
    assert any(s.rr_ms for s in loaded.samples) and any(s.hr_bpm is None for s in loaded.samples)
    assert loaded.intervals == exp["intervals"] and loaded.intervals
    assert loaded.events == exp["events"] and loaded.events
    assert loaded.alpha1 == exp["alpha1"] and loaded.alpha1
    assert loaded.summary == data.summary()
    assert loaded.status == "finished"
    assert loaded.extra == {"threshold": json.dumps({"aet_bpm": 131.5})}


def test_reopened_store_sees_everything(db_url: str) -> None:
    store = Store.open(db_url)
    rec = store.recorder()
    sid = rec.begin(data.header())
    for batch in data.batches(60.0):
        rec.write(sid, batch)
    store.close()  # close flushes what the worker still holds
    store = Store.open(db_url)
    try:
        loaded = store.load(sid)
        assert loaded.samples == _expected(data.batches(60.0))["samples"]
        assert loaded.status == "running" and loaded.summary is None
    finally:
        store.close()


def test_import_record_round_trips(db_url: str) -> None:
    record = data.record(data.day(3))
    store = Store.open(db_url)
    try:
        sid = store.import_record(record)
        loaded = store.load(sid)
    finally:
        store.close()
    assert loaded == replace(record, session_id=sid)


def test_import_without_summary_computes_one(db_url: str) -> None:
    record: SessionRecord = replace(data.record(data.day(3), duration_s=120.0), summary=None)
    store = Store.open(db_url)
    try:
        loaded = store.load(store.import_record(record))
    finally:
        store.close()
    # The engine's counting rule, so an imported session reads like a recorded one.
    assert loaded.summary == summarize(record.samples, record.intervals, data.BAND, data.ZONES)
    assert loaded.summary.sample_count == len(record.samples)


def test_set_extra_replaces_and_delete_removes_everything(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        sid = store.import_record(data.record(data.day(1)))
        store.set_extra(sid, "threshold", "1")
        store.set_extra(sid, "threshold", "2")
        assert store.load(sid).extra["threshold"] == "2"
        store.delete(sid)
        with pytest.raises(StoreError, match=f"no session {sid}"):
            store.load(sid)
        with pytest.raises(StoreError, match=f"no session {sid}"):
            store.delete(sid)
        with pytest.raises(StoreError, match="no session 999"):
            store.set_extra(999, "k", "1")
    finally:
        store.close()


def test_athletes(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        store.save_athlete("Ben", '{"age_years": 40}')
        store.save_athlete("Ann", '{"age_years": 30}')
        store.save_athlete("Ben", '{"age_years": 41}')
        assert store.athletes() == [("Ann", '{"age_years": 30}'), ("Ben", '{"age_years": 41}')]
        store.delete_athlete("Ann")
        assert [n for n, _ in store.athletes()] == ["Ben"]
        with pytest.raises(StoreError, match="no athlete named 'Ann'"):
            store.delete_athlete("Ann")
    finally:
        store.close()
