"""Helpers that build sessions for the store's tests (not a fixture module)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from zonetrainer.core.model import (
    Alpha1Reading,
    Band,
    HeartRateSample,
    IntervalRecord,
    RecordBatch,
    SessionEvent,
    SessionHeader,
    SessionRecord,
    SessionSummary,
    ZoneTable,
)

BAND = Band(112.0, 128.0, "pct_hrmax", "test band", 7.0)
ZONES = ZoneTable((110.0, 128.0, 146.0, 164.0, 182.0), 182.0, "test zones")


def header(started_at: datetime | None = None, plan: str = "fatmax-intervals",
           athlete: str = "Ann", rest_hr_bpm: float | None = 55.0) -> SessionHeader:
    profile = {"name": athlete, "rest_hr_bpm": rest_hr_bpm}
    return SessionHeader(started_at or datetime(2026, 3, 2, 6, 30, tzinfo=UTC), plan, athlete,
                         BAND, ZONES, "sim-1", json.dumps(profile))


def samples(start_s: float, end_s: float, seed: int = 1) -> tuple[HeartRateSample, ...]:
    """One sample a second with awkward floats, dropouts, RR lists of 0..3 values."""
    rnd = random.Random(seed)
    out = []
    t = start_s
    while t < end_s:
        hr = None if rnd.random() < 0.03 else 100.0 + rnd.random() * 60.0
        rr = tuple(60000.0 / (hr or 120.0) + rnd.random() / 7 for _ in range(rnd.randrange(4)))
        out.append(HeartRateSample(t, hr, rr, rnd.choice((True, False, None)),
                                   rnd.choice((None, 12)), "sim-1" if t % 50 else "other"))
        t = round(t + 1.0 + rnd.random() / 100, 6)
    return tuple(out)


def batches(duration_s: float, every_s: float = 2.0, seed: int = 1) -> list[RecordBatch]:
    out = []
    t = 0.0
    n = 0
    while t < duration_s:
        end = min(t + every_s, duration_s)
        intervals = ()
        if n % 30 == 29:
            intervals = (IntervalRecord(n // 30, "work" if n % 60 == 29 else "rest",
                                        end - 60, end, 60.0, "band reached", "row", 120.5, 131.0),)
        out.append(RecordBatch(
            samples=samples(t, end, seed + n), intervals=intervals,
            events=(SessionEvent(t, "cue", f"cue {n}"),) if n % 10 == 0 else (),
            alpha1=(Alpha1Reading(end, 0.91 + n / 1000, 0.01, 120, 118.2, True),)
            if n % 15 == 0 else ()))
        t = end
        n += 1
    return out


def summary(sample_count: int = 100) -> SessionSummary:
    return SessionSummary(600.0, 400.0, 0.7, (10.0, 400.0, 150.0, 30.0, 10.0), 121.5, 150.25,
                          sample_count, 5, 5)


def record(started_at: datetime, duration_s: float = 300.0, seed: int = 3,
           plan: str = "zone2-continuous", athlete: str = "Ben") -> SessionRecord:
    bs = batches(duration_s, seed=seed)
    return SessionRecord(
        session_id=0, header=header(started_at, plan, athlete),
        samples=tuple(s for b in bs for s in b.samples),
        intervals=tuple(i for b in bs for i in b.intervals),
        events=tuple(e for b in bs for e in b.events), summary=summary(),
        status="imported", alpha1=tuple(a for b in bs for a in b.alpha1),
        extra={"source_file": json.dumps("ride.fit")})


def day(n: int) -> datetime:
    return datetime(2026, 1, 5, 7, 0, tzinfo=UTC) + timedelta(days=n)
