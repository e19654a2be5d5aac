"""The history list, its filters, and the weekly/monthly totals with TRIMP."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from tests.support import store_data as data
from zonetrainer.core.model import HeartRateSample, SessionSummary
from zonetrainer.core.signal import LOST_AFTER_S
from zonetrainer.core.store import Store, StoreError
from zonetrainer.core.store.figures import trimp


def _summary(duration_s: float, band_s: float, zones: tuple[float, ...]) -> SessionSummary:
    z = (zones[0], zones[1], zones[2], zones[3], zones[4])
    return SessionSummary(duration_s, band_s, band_s / duration_s, z, 120.0, 140.0, 10, 2, 2)


def _noon(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, 0, tzinfo=UTC)  # noon UTC: the same day in any usual zone


SESSIONS = [  # started, plan, athlete, duration, in band, zones
    (_noon(2026, 3, 2), "fatmax-intervals", "Ann", 2400.0, 1800.0, (100, 1800, 400, 100, 0)),
    (_noon(2026, 3, 4), "zone2-continuous", "Ben", 3600.0, 3000.0, (0, 3000, 600, 0, 0)),
    (_noon(2026, 3, 8), "fatmax-intervals", "Ann", 1800.0, 900.0, (300, 900, 500, 100, 0)),
    (_noon(2026, 3, 9), "fatmax-intervals", "Ann", 1200.0, 600.0, (0, 600, 600, 0, 0)),
    (_noon(2026, 4, 1), "back-strength-circuit", "Ben", 2700.0, 1000.0, (700, 1000, 600, 400, 0)),
]


@pytest.fixture
def filled(db_url: str) -> Store:
    store = Store.open(db_url)
    for started, plan, athlete, dur, band, zones in SESSIONS:
        record = data.record(started, duration_s=60.0, plan=plan, athlete=athlete)
        store.import_record(replace(record, summary=_summary(dur, band, zones)))
    return store


def test_list_filters_and_order(filled: Store) -> None:
    store = filled
    try:
        everything = store.list_sessions()
        assert [s.started_at for s in everything] == sorted(
            (s[0] for s in SESSIONS), reverse=True)
        assert [s.duration_s for s in everything][:2] == [2700.0, 1200.0]
        assert {s.status for s in everything} == {"imported"}
        ann = store.list_sessions(athlete="Ann")
        assert [s.started_at.day for s in ann] == [9, 8, 2]
        fat = store.list_sessions(plan="fatmax-intervals", since=date(2026, 3, 5))
        assert [s.started_at.day for s in fat] == [9, 8]
        since_dt = store.list_sessions(since=_noon(2026, 3, 8))
        assert len(since_dt) == 3
        assert len(store.list_sessions(limit=2)) == 2
        assert store.list_sessions(athlete="Nobody") == []
    finally:
        store.close()


def test_weekly_and_monthly_totals(filled: Store) -> None:
    store = filled
    try:
        weeks = store.totals("week")
        months = store.totals(by="month")
        ben = store.totals("month", athlete="Ben")
        april = store.totals("week", since=date(2026, 3, 10))
        with pytest.raises(StoreError, match="choose week or month"):
            store.totals("fortnight")
    finally:
        store.close()
    # Weeks start on Monday: 2 March (2, 4, 8 March), 9 March, 30 March (1 April).
    assert [w.period_start for w in weeks] == [date(2026, 3, 2), date(2026, 3, 9),
                                               date(2026, 3, 30)]
    first = weeks[0]
    assert first.sessions == 3
    assert first.duration_s == 2400 + 3600 + 1800
    assert first.time_in_band_s == 1800 + 3000 + 900
    assert first.time_in_zone_s == (400.0, 5700.0, 1500.0, 200.0, 0.0)
    assert [m.period_start for m in months] == [date(2026, 3, 1), date(2026, 4, 1)]
    assert [m.sessions for m in months] == [4, 1]
    assert [m.sessions for m in ben] == [1, 1]
    assert [w.period_start for w in april] == [date(2026, 3, 30)]
    assert all(w.trimp_sessions == w.sessions and w.trimp > 0 for w in weeks)


def test_running_sessions_are_listed_but_not_counted(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        rec = store.recorder()
        sid = rec.begin(data.header(_noon(2026, 3, 3)))
        rec.write(sid, data.batches(10.0)[0])
        rec.flush()
        [listed] = store.list_sessions()
        assert listed.status == "running" and listed.duration_s is None
        assert store.totals("week") == []
    finally:
        store.close()


def test_a_session_ended_early_is_listed_so_and_counted(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        rec = store.recorder()
        sid = rec.begin(data.header(_noon(2026, 3, 3)))
        rec.write(sid, data.batches(10.0)[0])
        rec.finish(sid, _summary(600.0, 300.0, (0.0, 300.0, 300.0, 0.0, 0.0)),
                   status="ended early")
        [listed] = store.list_sessions()
        assert listed.status == "ended early" and listed.duration_s == 600.0
        [week] = store.totals("week")
        assert week.sessions == 1 and week.time_in_band_s == 300.0
    finally:
        store.close()


def test_trimp_follows_banister() -> None:
    samples = [HeartRateSample(float(t), 150.0) for t in range(61)]
    hrr = (150.0 - 50.0) / (190.0 - 50.0)
    expected = 60.0 / 60.0 * hrr * 0.64 * math.exp(1.92 * hrr)
    assert trimp(samples, 50.0, 190.0) == pytest.approx(expected)
    female = 1.0 * hrr * 0.86 * math.exp(1.67 * hrr)
    assert trimp(samples, 50.0, 190.0, "female") == pytest.approx(female)
    assert trimp(samples, None, 190.0) is None  # no resting HR: no TRIMP rather than a guess
    # A dropout counts nothing, and a gap is capped rather than counted as effort.
    gappy = [HeartRateSample(0.0, 150.0), HeartRateSample(1.0, None), HeartRateSample(2.0, 150.0),
             HeartRateSample(60.0, 150.0)]
    capped = (1.0 + 0.0 + LOST_AFTER_S) / 60.0 * hrr * 0.64 * math.exp(1.92 * hrr)
    assert trimp(gappy, 50.0, 190.0) == pytest.approx(capped)


def test_session_without_resting_hr_has_no_trimp(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        record = data.record(_noon(2026, 3, 3))
        header = replace(record.header, profile_json=json.dumps({"name": "Ann"}))
        store.import_record(replace(record, header=header))
        [listed] = store.list_sessions()
        [week] = store.totals("week")
    finally:
        store.close()
    assert listed.trimp is None
    assert week.trimp_sessions == 0 and week.sessions == 1
