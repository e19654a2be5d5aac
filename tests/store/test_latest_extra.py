"""Store.latest_extra: the newest session of an athlete that carries a given extra."""

from __future__ import annotations

from dataclasses import replace

from tests.support import store_data as data
from zonetrainer.core.store import Store


def test_newest_of_that_athlete_with_that_key_since_a_date(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        def add(day: int, athlete: str, value: str | None) -> int:
            sid = store.import_record(data.record(data.day(day), athlete=athlete))
            if value is not None:
                store.set_extra(sid, "k", value)
            return sid

        old = add(1, "Ann", "old")
        newer = add(5, "Ann", "newer")
        add(9, "Ann", None)  # the newest session of all has no such extra
        add(7, "Ben", "Ben's")
        assert store.latest_extra("Ann", "k") == (newer, data.day(5), "newer")
        assert store.latest_extra("Ben", "k") == (4, data.day(7), "Ben's")
        assert store.latest_extra("Ann", "k", since=data.day(6)) is None
        assert store.latest_extra("Ann", "k", since=data.day(1))[0] == newer  # type: ignore[index]
        assert store.latest_extra("Ann", "other") is None
        assert store.latest_extra("Cy", "k") is None
        store.delete(newer)
        assert store.latest_extra("Ann", "k") == (old, data.day(1), "old")
    finally:
        store.close()


def test_sessions_started_at_the_same_moment_take_the_later_one(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        record = data.record(data.day(2), athlete="Ann")
        first = store.import_record(record)
        second = store.import_record(replace(record, extra={}))
        store.set_extra(first, "k", "1")
        store.set_extra(second, "k", "2")
        assert store.latest_extra("Ann", "k") == (second, data.day(2), "2")
    finally:
        store.close()
