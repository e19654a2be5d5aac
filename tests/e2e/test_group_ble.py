"""A group session over real bleak and the fake BlueZ: 12 straps at once, one session each in one
real SQLite database. One strap drops for 10 s and comes back; no other session loses a sample.
A strap assigned twice is refused; a connection the adapter refuses is reported for that athlete
only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.fakebluez import FakeBluez, FakeStrap, until
from zonetrainer.cli.group_text import member_result
from zonetrainer.core.clock import Clock, ScaledClock
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.group import GroupError, GroupSession
from zonetrainer.core.model import Band, SessionHeader, ZoneTable
from zonetrainer.core.plan import parse_plan
from zonetrainer.core.recorder import Recorder
from zonetrainer.core.runner import SessionRunner
from zonetrainer.core.signal import parse
from zonetrainer.core.sources.base import SourceError
from zonetrainer.core.sources.ble import BleSource
from zonetrainer.core.store import Store

pytestmark = pytest.mark.bluez
BAND = Band(120.0, 135.0, "custom", "test band", 5.0)
ZONES = ZoneTable((114.0, 133.0, 152.0, 171.0, 190.0), 190.0, "test zones")
PLAN = parse_plan('title = "Group test"\n[[block]]\nkind = "intervals"\nrepeats = 10\n'
                  'work_s = 240\nrest_s = 120\n', "group-test.toml")
SPEED = 10.0  # each strap notifies every 100 ms of wall time: once a second of session time
PAYLOADS = 100
DROPPED = 5  # the strap that goes out of range


def payload(k: int, i: int) -> bytes:
    """Strap k's own heart rates (100 + 3k or one more) with one RR interval: a sample that
    lands in another athlete's session shows."""
    hr = 100 + 3 * k + i % 2
    return bytes([0x16, hr]) + round(60 / hr * 1024).to_bytes(2, "little")


def runner(strap: FakeStrap, clock: Clock, recorder: Recorder, who: str) -> SessionRunner:
    source = BleSource(strap.address, clock, scan_timeout_s=20)
    engine = SessionEngine(PLAN, BAND, ZONES, 175.0, alpha1_factory=None)
    header = SessionHeader(datetime.now(UTC), PLAN.title, who, BAND, ZONES, source.source_id)
    return SessionRunner(engine, source, clock, recorder, header)


@pytest.mark.slow
def test_twelve_straps_each_session_holds_its_own_strap_and_a_drop_touches_no_other(
        fake_bluez: FakeBluez, tmp_path: Path) -> None:
    straps = fake_bluez.add_straps(12)
    store = Store.open(tmp_path / "club.sqlite")
    clock = ScaledClock(SPEED)
    names = [f"Athlete {k + 1:02d}" for k in range(12)]
    group = GroupSession([(n, runner(s, clock, store.recorder(), n))
                          for n, s in zip(names, straps, strict=True)])
    dropped = straps[DROPPED]
    marks: dict[str, float] = {}

    async def drive() -> None:
        task = asyncio.create_task(group.run())
        await until(lambda: all(s.notifying for s in straps), 60, "12 straps subscribed")
        for k, strap in enumerate(straps):
            strap.stream([payload(k, i) for i in range(PAYLOADS)], every_s=1.0 / SPEED)
        await until(lambda: len(dropped.delivered) >= 20, 20, "20 delivered")
        dropped.drop()
        marks["dropped_s"] = clock.now_s()
        await until(lambda: clock.now_s() > marks["dropped_s"] + 10, 10, "a 10 s gap")
        dropped.come_back()
        await until(lambda: dropped.notifying, 20, "the dropped strap back")
        await until(lambda: not any(s.streaming for s in straps), 60, "streams finished")
        engines = [m.runner.engine for m in group.members.values()]
        await until(lambda: all(len(e.samples) == len(s.delivered)
                                for e, s in zip(engines, straps, strict=True)), 10, "drained")
        group.end()
        await task

    asyncio.run(drive())
    store.close()
    reopened = Store.open(tmp_path / "club.sqlite")
    try:
        records = {n: reopened.load(m.session_id) for n, m in group.members.items()
                   if m.session_id is not None}
        listed = reopened.list_sessions()
    finally:
        reopened.close()

    assert len(records) == 12 and len({r.session_id for r in records.values()}) == 12
    assert sorted(s.athlete_name for s in listed) == names
    for k, (name, strap) in enumerate(zip(names, straps, strict=True)):
        record = records[name]
        assert group.members[name].error is None
        expected = [parse(d, 0.0, strap.address) for d in strap.delivered]
        stored = [(s.hr_bpm, s.rr_ms, s.source_id) for s in record.samples]
        # exactly this strap's samples, in order: nothing of another strap, nothing missing
        assert stored == [(s.hr_bpm, s.rr_ms, s.source_id) for s in expected], name
        assert {s.hr_bpm for s in record.samples} <= {100.0 + 3 * k, 101.0 + 3 * k}
        assert record.header.source_id == strap.address
        kinds = [e.kind for e in record.events]
        if k == DROPPED:
            assert strap.lost, "the drop lost what the strap sent out of range"
            assert "disconnected" in kinds and "reconnected" in kinds
        else:
            # no other strap lost a notification, and its session saw no gap at all
            assert strap.lost == [] and len(strap.delivered) == PAYLOADS, name
            assert "disconnected" not in kinds and "signal_lost" not in kinds, (name, kinds)


def test_a_strap_assigned_to_two_athletes_is_refused(fake_bluez: FakeBluez,
                                                     tmp_path: Path) -> None:
    strap = fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    store = Store.open(tmp_path / "club.sqlite")
    try:
        clock = ScaledClock(SPEED)
        ann = runner(strap, clock, store.recorder(), "Ann")
        bob = SessionRunner(SessionEngine(PLAN, BAND, ZONES, 175.0, alpha1_factory=None),
                            BleSource("c0:ff:ee:00:11:22", clock), clock, store.recorder(),
                            ann.header)
        with pytest.raises(GroupError, match=r"strap c0:ff:ee:00:11:22 is assigned to both "
                                             r"Ann and Bob: each athlete needs their own"):
            GroupSession([("Ann", ann), ("Bob", bob)])
        assert store.list_sessions() == []  # refused before anything was stored
    finally:
        store.close()
    assert strap.connect_calls == 0


@pytest.mark.slow
def test_a_connection_the_adapter_refuses_stops_only_that_athlete(
        fake_bluez: FakeBluez, tmp_path: Path) -> None:
    straps = fake_bluez.add_straps(4)
    fake_bluez.max_connections = 3
    store = Store.open(tmp_path / "club.sqlite")
    clock = ScaledClock(SPEED)
    names = ["Ann", "Bob", "Cleo", "Dev"]
    group = GroupSession([(n, runner(s, clock, store.recorder(), n))
                          for n, s in zip(names, straps, strict=True)])

    async def drive() -> None:
        task = asyncio.create_task(group.run())
        await until(lambda: sum(s.notifying for s in straps) == 3
                    and sum(m.error is not None for m in group.members.values()) == 1,
                    60, "three connected, one refused")
        for k, strap in enumerate(straps):
            strap.stream([payload(k, i) for i in range(20)], every_s=1.0 / SPEED)
        await until(lambda: not any(s.streaming for s in straps), 30, "streams finished")
        await asyncio.sleep(0.5)
        group.end()
        await task

    asyncio.run(drive())
    store.close()
    refused = [m for m in group.members.values() if m.error is not None]
    assert len(refused) == 1 and fake_bluez.refused
    member = refused[0]
    assert isinstance(member.error, SourceError) and member.session_id is None
    text = member_result(member, None, 4)
    assert text.startswith(f"{member.name}: NOT started: Could not connect to the strap")
    assert "often 7-10" in text and "--adapter hci1" in text
    stored = [m for m in group.members.values() if m.error is None]
    assert len(stored) == 3 and all(m.session_id is not None and m.runner.summary is not None
                                    and m.runner.summary.sample_count == 20 for m in stored)


@pytest.mark.slow
def test_a_second_adapter_holds_the_straps_the_first_cannot(fake_bluez: FakeBluez,
                                                            tmp_path: Path) -> None:
    fake_bluez.max_connections = 3  # per adapter
    fake_bluez.add_adapter("hci1")
    first = fake_bluez.add_straps(3)
    second = fake_bluez.add_straps(3, first=4, adapter="hci1")
    store = Store.open(tmp_path / "club.sqlite")
    clock = ScaledClock(SPEED)
    members = []
    for k, (strap, adapter) in enumerate([(s, "hci0") for s in first]
                                         + [(s, "hci1") for s in second]):
        source = BleSource(strap.address, clock, scan_timeout_s=20, adapter=adapter)
        engine = SessionEngine(PLAN, BAND, ZONES, 175.0, alpha1_factory=None)
        header = SessionHeader(datetime.now(UTC), PLAN.title, f"A{k}", BAND, ZONES,
                               source.source_id)
        members.append((f"A{k}", SessionRunner(engine, source, clock, store.recorder(), header)))
    group = GroupSession(members)
    straps = first + second

    async def drive() -> None:
        task = asyncio.create_task(group.run())
        await until(lambda: all(s.notifying for s in straps), 60, "six straps on two adapters")
        for k, strap in enumerate(straps):
            strap.stream([payload(k, i) for i in range(10)], every_s=1.0 / SPEED)
        await until(lambda: not any(s.streaming for s in straps), 30, "streams finished")
        await until(lambda: all(len(m.runner.engine.samples) == 10
                                for m in group.members.values()), 10, "drained")
        group.end()
        await task

    asyncio.run(drive())
    store.close()
    assert fake_bluez.refused == [] and all(m.error is None for m in group.members.values())
    for k, member in enumerate(group.members.values()):
        assert {s.hr_bpm for s in member.runner.engine.samples} <= {100.0 + 3 * k,
                                                                   101.0 + 3 * k}


def test_a_strap_is_looked_for_on_the_adapter_given(fake_bluez: FakeBluez) -> None:
    fake_bluez.add_adapter("hci1")
    strap = fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")  # on hci0
    source = BleSource(strap.address, ScaledClock(1.0), scan_timeout_s=1.5, adapter="hci1")
    with pytest.raises(SourceError, match="No heart-rate strap matching 'C0:FF:EE:00:11:22'"):
        asyncio.run(source.start())
    assert strap.connect_calls == 0
