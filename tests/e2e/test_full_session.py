"""A whole 40-minute session through the runner, the engine, the zone controller and a real SQLite
file, on a virtual clock; what was stored is checked against what the source produced, and the
summary is recomputed here, independently of zonetrainer.core.signal."""

from __future__ import annotations

import asyncio
import bisect
import importlib.util
import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.core.test_engine_fakes import ToyStrap
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.model import (
    Band,
    HeartRateSample,
    SessionEvent,
    SessionRecord,
    SessionState,
    SessionSummary,
    SourceStatus,
    ZoneTable,
)
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.runner import runner_for
from zonetrainer.core.sources.base import HeartRateSource
from zonetrainer.core.store import Store

PROFILE = Profile(name="Ann", age_years=38, rest_hr_bpm=55)


class Tap(HeartRateSource):
    """Passes a source through and keeps a copy of every sample it delivered."""

    def __init__(self, inner: HeartRateSource) -> None:
        self.inner = inner
        self.source_id = inner.source_id
        self.delivered: list[HeartRateSample] = []

    async def start(self) -> None:
        await self.inner.start()

    def drain(self, now_s: float) -> list[HeartRateSample]:
        out = self.inner.drain(now_s)
        self.delivered.extend(out)
        return out

    async def stop(self) -> None:
        await self.inner.stop()

    def status(self) -> SourceStatus:
        return self.inner.status()

    @property
    def finished(self) -> bool:
        return self.inner.finished

    def follow(self, state: SessionState) -> None:
        self.inner.follow(state)

    def take_events(self) -> list[SessionEvent]:
        return self.inner.take_events()


def make_source(kind: str, band: Band) -> HeartRateSource:
    if kind == "toy":
        return ToyStrap(work_bpm=band.high_bpm + 15, rest_bpm=band.low_bpm - 20,
                        easy_bpm=band.low_bpm - 5, tau_s=40.0,
                        gaps=((700, 706), (1500, 1502)), invalid=((1000, 1004),),
                        override={1200: band.high_bpm + 40})
    if importlib.util.find_spec("zonetrainer.core.sources.simulated") is None:
        pytest.skip("the simulated strap (zonetrainer.core.sources.simulated) is not installed")
    from zonetrainer.core.sources.simulated import simulated_source_for

    source: HeartRateSource = simulated_source_for(PROFILE, band, 7)
    return source


def recompute(samples: tuple[HeartRateSample, ...], band: Band, zones: ZoneTable,
              end_s: float) -> dict[str, object]:
    """The documented rule, written out again. Unusable readings (None, contact lost, outside
    25-250 bpm) and spikes (more than 15 + 3 bpm/s x dt from the last accepted reading within 3 s,
    unless within 15 bpm of a held level that began at least 3 s before) are not accepted. An
    accepted reading counts until the next accepted or unusable reading, at most 3 s, and not
    past the end; the band share counts from the first accepted in-band reading."""
    kinds: list[str] = []  # "ok", "bad" or "spike", one per sample
    last: tuple[float, float] | None = None
    held: tuple[float, float] | None = None  # (t_s, hr) where a held level began
    for s in samples:
        hr = s.hr_bpm
        if hr is None or s.contact is False or not 25 <= hr <= 250:
            kinds.append("bad")
            last, held = None, None
            continue
        near_held = held is not None and abs(hr - held[1]) <= 15 and s.t_s - held[0] >= 3
        if last is not None and s.t_s - last[0] <= 3 and not near_held \
                and abs(hr - last[1]) > 15 + 3 * (s.t_s - last[0]):
            kinds.append("spike")
            if held is None or abs(hr - held[1]) > 15:
                held = (s.t_s, hr)
            continue
        kinds.append("ok")
        last, held = (s.t_s, hr), None
    boundaries = [s.t_s for s, k in zip(samples, kinds, strict=True) if k != "spike"]
    in_band = live_after_entry = 0.0
    per_zone = [0.0] * 5
    entered = False
    hrs: list[float] = []
    weighted = weights = 0.0
    for s, k in zip(samples, kinds, strict=True):
        if k != "ok" or s.hr_bpm is None:
            continue
        hrs.append(s.hr_bpm)
        after = bisect.bisect_right(boundaries, s.t_s)
        following = boundaries[after] if after < len(boundaries) else end_s
        dt = min(following, s.t_s + 3.0, end_s) - s.t_s
        # The average is time-weighted (issue 16): by the beats a reading reports, else by dt.
        beats_s = sum(s.rr_ms) / 1000.0
        w = min(beats_s, 3.0) if beats_s > 0 else dt
        weighted += s.hr_bpm * w
        weights += w
        zone = next((z for z, top in enumerate(zones.upper_bpm) if s.hr_bpm <= top), 4)
        per_zone[zone] += dt
        inside = band.low_bpm <= s.hr_bpm <= band.high_bpm
        entered = entered or inside
        in_band += dt if inside else 0.0
        live_after_entry += dt if entered else 0.0
    return {"in_band": in_band, "share": in_band / live_after_entry, "zones": per_zone,
            "avg": weighted / weights, "max": max(hrs), "count": len(samples),
            "spikes": kinds.count("spike")}


@pytest.mark.parametrize("kind", ["toy", "simulated"])
def test_forty_minute_session_into_sqlite(kind: str, tmp_path: Path) -> None:
    plan = load_plan("fatmax-intervals")
    assert plan.planned_s == 2400.0
    band, zones = PROFILE.band(), PROFILE.zones()
    source = Tap(make_source(kind, band))
    states: list[SessionState] = []
    db = tmp_path / "sessions.sqlite"
    store = Store.open(db)
    try:
        runner = runner_for(plan, PROFILE, source, VirtualClock(), store.recorder(),
                            datetime(2026, 3, 2, 6, 30, tzinfo=UTC), on_state=states.append)
        engine = runner.engine
        session_id, summary = asyncio.run(runner.run())
    finally:
        store.close()

    reopened = Store.open(db)
    try:
        record: SessionRecord = reopened.load(session_id)
        listed = reopened.list_sessions()
    finally:
        reopened.close()

    # Everything the source produced, nothing else, in order.
    assert len(record.samples) == len(source.delivered) > 2000
    assert record.samples == tuple(source.delivered)
    assert record.status == "finished" and [s.id for s in listed] == [session_id]

    # The phases: warm-up, work/rest alternating under the controller, cool-down; contiguous.
    kinds = [i.kind for i in record.intervals]
    assert kinds[0] == "warmup" and kinds[-1] == "cooldown"
    middle = kinds[1:-1]
    assert middle and all(a != b for a, b in itertools.pairwise(middle))
    assert set(middle) <= {"work", "rest"} and middle[0] == "work"
    assert record.intervals[0].actual_s == pytest.approx(300.0)
    assert record.intervals[-1].actual_s == pytest.approx(300.0)
    assert sum(i.actual_s for i in record.intervals) == pytest.approx(2400.0)
    for a, b in itertools.pairwise(record.intervals):
        assert a.end_s == pytest.approx(b.start_s)
    assert record.intervals == tuple(engine.intervals)
    assert {s.phase for s in states} >= {"warmup", "work", "rest", "cooldown", "done"}

    # The summary, recomputed here from the stored samples.
    stored = record.summary
    assert isinstance(stored, SessionSummary) and stored == summary
    mine = recompute(record.samples, band, zones, 2400.0)
    assert stored.duration_s == pytest.approx(2400.0)
    assert stored.sample_count == mine["count"]
    assert stored.time_in_band_s == pytest.approx(mine["in_band"])
    assert stored.band_share == pytest.approx(mine["share"])
    assert stored.time_in_zone_s == pytest.approx(mine["zones"])
    assert stored.avg_hr_bpm == pytest.approx(mine["avg"])
    assert stored.max_hr_bpm == pytest.approx(mine["max"])
    assert stored.work_intervals == middle.count("work")
    assert stored.rest_intervals == middle.count("rest")
    assert record.events == tuple(engine.events)
    assert record.alpha1 == engine.alpha1_readings
    if kind == "toy":  # the scripted faults left their marks
        assert [e.kind for e in record.events].count("signal_lost") >= 2
        assert stored.time_in_band_s > 600.0
        assert mine["spikes"] == 1 and stored.max_hr_bpm < band.high_bpm + 40
