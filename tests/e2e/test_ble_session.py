"""A whole session from a strap on the fake BlueZ: real bleak, the engine, the session runner and
a real SQLite database. The link drops mid-stream and comes back."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.test_ble_source import every_flag_combination
from tests.support.fakebluez import FakeBluez, until
from zonetrainer.core.clock import ScaledClock
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import Band, SessionHeader, SessionState, ZoneTable
from zonetrainer.core.plan import parse_plan
from zonetrainer.core.runner import SessionRunner
from zonetrainer.core.signal import parse
from zonetrainer.core.sources.ble import BleSource
from zonetrainer.core.store import Store

pytestmark = pytest.mark.bluez
BAND = Band(120.0, 135.0, "custom", "test band", 5.0)
ZONES = ZoneTable((114.0, 133.0, 152.0, 171.0, 190.0), 190.0, "test zones")
PLAN = parse_plan('title = "BLE test"\n[[block]]\nkind = "intervals"\nrepeats = 10\n'
                  'work_s = 240\nrest_s = 120\n', "ble-test.toml")
SPEED = 50.0  # one notification every 20 ms of wall time is one a second of session time


def live(i: int) -> bytes:
    """Contact detected, 125-134 bpm, one RR interval."""
    rr = round(60 / (125 + i % 10) * 1024)
    return bytes([0x16, 125 + i % 10]) + rr.to_bytes(2, "little")


@pytest.mark.slow
def test_drop_mid_session_stores_exactly_what_the_strap_delivered(
        fake_bluez: FakeBluez, tmp_path: Path) -> None:
    strap = fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    payloads = [live(i) for i in range(10)] + every_flag_combination() + \
        [live(i) for i in range(110)]
    store = Store.open(tmp_path / "sessions.sqlite")
    clock = ScaledClock(SPEED)
    source = BleSource(strap.address, clock, scan_timeout_s=5)
    engine = SessionEngine(PLAN, BAND, ZONES, 175.0, alpha1_factory=None)
    header = SessionHeader(datetime.now(UTC), PLAN.title, "tester", BAND, ZONES, source.source_id)
    states: list[SessionState] = []
    runner = SessionRunner(engine, source, clock, store.recorder(), header,
                           on_state=states.append)
    marks: dict[str, float] = {}

    async def drive() -> None:
        task = asyncio.create_task(runner.run())
        await until(lambda: strap.notifying, 10, "subscribed")
        strap.stream(payloads, every_s=1.0 / SPEED)
        await until(lambda: len(strap.delivered) >= 60, 20, "60 delivered")
        strap.drop()
        marks["dropped_s"] = clock.now_s()
        await until(lambda: clock.now_s() > marks["dropped_s"] + 12, 10, "a 12 s gap")
        strap.come_back()
        back_wall = time.monotonic()
        await until(lambda: strap.notifying, 5, "back within 5 s")
        marks["back_wall_s"] = time.monotonic() - back_wall
        marks["back_s"] = clock.now_s()
        await until(lambda: not strap.streaming, 20, "stream finished")
        await until(lambda: len(engine.samples) == len(strap.delivered), 5, "all drained")
        runner.end("test finished")
        await task

    asyncio.run(drive())
    session_id = runner.session_id
    assert session_id is not None
    store.close()
    reopened = Store.open(tmp_path / "sessions.sqlite")
    try:
        record = reopened.load(session_id)
    finally:
        reopened.close()

    # exactly what was delivered: count, values, order, RR included
    expected = [parse(d, 0.0, strap.address) for d in strap.delivered]
    stored = [(s.hr_bpm, s.rr_ms, s.contact, s.energy_kj, s.source_id) for s in record.samples]
    assert stored == [(s.hr_bpm, s.rr_ms, s.contact, s.energy_kj, s.source_id) for s in expected]
    assert len(record.samples) == len(strap.delivered) < len(payloads)
    assert all(b.t_s > a.t_s for a, b in zip(record.samples, record.samples[1:], strict=False))
    assert set(every_flag_combination()) <= set(strap.delivered)

    # the gap is recorded: link events from the source, signal events from the engine
    kinds = [e.kind for e in record.events]
    for kind in ("connected", "disconnected", "reconnected", "signal_lost", "signal_back"):
        assert kind in kinds, kinds
    dropped = next(e for e in record.events if e.kind == "disconnected")
    back = next(e for e in record.events if e.kind == "reconnected")
    assert marks["dropped_s"] - 2 <= dropped.t_s <= marks["dropped_s"] + 2
    assert back.t_s - dropped.t_s >= 12
    gap = [s for s in record.samples if dropped.t_s < s.t_s < back.t_s]
    assert gap == []

    # during the gap the athlete sees "signal lost" (no stale HR) and the controller holds
    in_gap = [s for s in states if dropped.t_s + 3.5 <= s.elapsed_s <= back.t_s - 0.5]
    assert in_gap and all(s.hr_bpm is None and not s.signal_live for s in in_gap)
    assert all(s.phase == "hold" for s in in_gap)
    assert marks["back_wall_s"] < 5.0
