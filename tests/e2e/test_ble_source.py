"""BleSource and scan through the real bleak library against the fake BlueZ on a private bus."""

from __future__ import annotations

import asyncio
import itertools
import struct
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

from tests.support.fakebluez import DbusDaemon, FakeBluez, until
from zonetrainer.core.clock import ScaledClock, VirtualClock
from zonetrainer.core.model import HeartRateSample
from zonetrainer.core.signal import parse
from zonetrainer.core.sources.base import SourceError
from zonetrainer.core.sources.ble import BleSource, scan

pytestmark = pytest.mark.bluez
T = TypeVar("T")
H10 = "C0:FF:EE:00:11:22"


def run(coro: Coroutine[Any, Any, T], timeout_s: float = 30.0) -> T:
    """A fresh event loop per test, so bleak connects to this test's private bus."""
    async def bounded() -> T:
        async with asyncio.timeout(timeout_s):
            return await coro
    return asyncio.run(bounded())


def every_flag_combination() -> list[bytes]:
    """One measurement per combination of the five defined flag bits, with fitting fields."""
    out = []
    for bits in itertools.product((0, 1), repeat=5):
        flags = sum(b << i for i, b in enumerate(bits))
        hr = struct.pack("<H", 150 + flags) if flags & 1 else bytes([100 + flags])
        energy = struct.pack("<H", 1000 + flags) if flags & 8 else b""
        rr = struct.pack("<HH", 800 + flags, 820 + flags) if flags & 16 else b""
        out.append(bytes([flags]) + hr + energy + rr)
    return out


def test_scan_lists_heart_rate_straps_strongest_first(fake_bluez: FakeBluez) -> None:
    fake_bluez.add_strap(H10, "Polar H10 0A1B2C3D", rssi_dbm=-70)
    fake_bluez.add_strap("F0:0D:00:00:00:01", "TICKR 2B3C", rssi_dbm=-50)
    fake_bluez.add_strap("F0:0D:00:00:00:02", "Kettle", hr_service=False)
    progress: list[tuple[float, int]] = []
    found = run(scan(1.0, on_progress=lambda done, seen: progress.append((done, len(seen)))))
    assert [(d.name, d.address, d.has_hr_service) for d in found] == [
        ("TICKR 2B3C", "F0:0D:00:00:00:01", True), ("Polar H10 0A1B2C3D", H10, True)]
    assert found[0].rssi_dbm in (-50, -49) and found[1].rssi_dbm in (-70, -69)
    shares = [p[0] for p in progress]
    assert shares == sorted(shares) and shares[-1] == 1.0 and progress[-1][1] == 2
    everything = run(scan(0.5, all_devices=True))
    assert {d.name for d in everything} == {"Polar H10 0A1B2C3D", "TICKR 2B3C", "Kettle"}


def test_scan_without_adapter_or_bluez_says_so(fake_bus: DbusDaemon,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SourceError, match=r"BlueZ .* is not running"):
        run(scan(0.3))
    bluez = FakeBluez(fake_bus.address, adapter=False).start()
    try:
        with pytest.raises(SourceError, match="Bluetooth is not available: No Bluetooth adapters"):
            run(scan(0.3))
    finally:
        bluez.stop()
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={fake_bus.directory}/absent")
    with pytest.raises(SourceError, match="Cannot reach BlueZ: the D-Bus system bus"):
        run(scan(0.3))
    with pytest.raises(SourceError, match="scan time must be positive"):
        run(scan(0))


def test_connects_reads_details_and_delivers_every_flag_combination(
        fake_bluez: FakeBluez) -> None:
    strap = fake_bluez.add_strap(H10, "Polar H10 0A1B2C3D", body_location=1, battery_pct=87)
    payloads = every_flag_combination()
    clock = VirtualClock(100.0)

    async def session() -> None:
        source = BleSource(H10, clock, scan_timeout_s=5)
        await source.start()
        status = source.status()
        assert (status.link, status.name, status.battery_pct, status.body_location) == (
            "connected", "Polar H10 0A1B2C3D", 87, "chest")
        assert status.rssi_dbm is not None
        for data in payloads:
            assert await asyncio.to_thread(strap.notify, data)
        await until(lambda: len(source._queue) == len(payloads), 5, "all notifications")
        got = source.drain(clock.now_s())
        assert got == [parse(d, 100.0, H10) for d in payloads]
        assert source.drain(1e9) == []
        assert [e.kind for e in source.take_events()] == ["connected"]
        await asyncio.to_thread(strap.set_battery, 86)  # the battery notifies its level
        await until(lambda: source.status().battery_pct == 86, 5, "battery update")
        await source.stop()
        assert source.status().link == "ended"
        await source.stop()  # twice is fine
    run(session())
    assert strap.delivered == payloads and not strap.connected


def test_battery_from_bluez_battery1_and_name_lookup(fake_bluez: FakeBluez) -> None:
    fake_bluez.add_strap(H10, "Polar H10 0A1B2C3D", battery_via="bluez", battery_pct=64,
                         body_location=None)

    async def session() -> None:
        source = BleSource("polar h10", VirtualClock(), scan_timeout_s=5)
        await source.start()
        assert (source.status().battery_pct, source.status().body_location) == (64, None)
        assert source.address == H10
        await source.stop()
    run(session())


def test_battery1_is_read_again_while_connected(fake_bluez: FakeBluez) -> None:
    """BlueZ's Battery1 cannot notify the client: the level is polled (every 5 min by
    default; here every 0.2 s), and the status follows it."""
    strap = fake_bluez.add_strap(H10, "Polar H10 0A1B2C3D", battery_via="bluez",
                                 battery_pct=64)

    async def session() -> None:
        source = BleSource(H10, VirtualClock(), scan_timeout_s=5, battery_poll_s=0.2)
        await source.start()
        assert source.status().battery_pct == 64
        await asyncio.to_thread(strap.set_battery, 61)
        await until(lambda: source.status().battery_pct == 61, 5, "battery poll")
        await source.stop()
        assert not source._tasks  # the poll ended with the source
    run(session())


def test_malformed_notifications_are_counted_and_skipped(fake_bluez: FakeBluez) -> None:
    strap = fake_bluez.add_strap(H10)

    async def session() -> None:
        source = BleSource(H10, VirtualClock(), scan_timeout_s=5)
        await source.start()
        for data in (b"\x10\x50\x01", b"", bytes([0, 77])):
            await asyncio.to_thread(strap.notify, data)
        await until(lambda: len(source._queue) == 1, 5)
        assert source.malformed == 2
        assert [s.hr_bpm for s in source.drain(1.0)] == [77.0]
        await source.stop()
    run(session())


def test_strap_that_never_answers_gives_a_clear_error(fake_bluez: FakeBluez) -> None:
    strap = fake_bluez.add_strap(H10, "Polar H10 0A1B2C3D", connect_mode="hang")
    source = BleSource(H10, VirtualClock(), connect_timeout_s=0.5, scan_timeout_s=5)
    with pytest.raises(SourceError, match=r"Polar H10 0A1B2C3D \(C0:FF:EE:00:11:22\) did not "
                                          r"answer within 0.5 s"):
        run(source.start())
    assert strap.connect_calls == 1 and strap.disconnect_calls >= 1  # the Connect was cancelled
    assert not strap.connected


def test_connect_refused_and_strap_absent(fake_bluez: FakeBluez) -> None:
    fake_bluez.add_strap(H10, connect_mode="fail")
    with pytest.raises(SourceError, match=r"Could not connect to the strap .*connection abort"):
        run(BleSource(H10, VirtualClock(), scan_timeout_s=5).start())
    with pytest.raises(SourceError, match=r"No heart-rate strap matching 'AA:BB:CC:DD:EE:FF' "
                                          r"found within 0.4 s"):
        run(BleSource("AA:BB:CC:DD:EE:FF", VirtualClock(), scan_timeout_s=0.4).start())
    with pytest.raises(SourceError, match="no strap given"):
        BleSource("  ", VirtualClock())


def test_link_drop_and_return_loses_nothing_that_was_delivered(fake_bluez: FakeBluez) -> None:
    strap = fake_bluez.add_strap(H10, "Polar H10 0A1B2C3D", absent_mode="fail")
    payloads = [bytes([0x16, 100 + i % 50]) for i in range(150)]
    clock = ScaledClock(speed=50.0)  # a notification every 20 ms is one a second of session
    timings: dict[str, float] = {}

    async def session() -> list[float | None]:
        source = BleSource(H10, clock, scan_timeout_s=5)
        await source.start()
        connections_before = fake_bluez.client_connections()
        strap.stream(payloads, every_s=0.02)
        await until(lambda: len(strap.delivered) >= 40, 10, "40 delivered")
        strap.drop()
        await until(lambda: source.status().link == "searching", 3, "searching")
        before_drop = source.drain(clock.now_s())
        await asyncio.sleep(0.5)  # out of range for a while: failed connects, backing off
        strap.come_back()
        back_at = time.monotonic()
        await until(lambda: strap.notifying, 5, "reconnected and subscribed within 5 s")
        timings["back_s"] = time.monotonic() - back_at
        await until(lambda: not strap.streaming, 10, "stream end")
        await asyncio.sleep(0.1)
        assert fake_bluez.client_connections() == connections_before  # no leaked D-Bus link
        samples = before_drop + source.drain(clock.now_s() + 1.0)
        hr = [s.hr_bpm for s in samples]
        times = [s.t_s for s in samples]
        assert times == sorted(times)
        kinds = [e.kind for e in source.take_events()]
        assert kinds == ["connected", "disconnected", "reconnected"]
        assert source.reconnects == 1 and source.status().link == "connected"
        await source.stop()
        return hr
    hr = run(session())
    assert hr == [float(d[1]) for d in strap.delivered]
    assert strap.lost, "the drop should have cost some notifications"
    assert len(strap.delivered) + len(strap.lost) == len(payloads)
    assert strap.connects == 2 and strap.connect_calls > 2  # failed attempts while away
    assert timings["back_s"] < 5.0


def test_two_straps_at_once_each_with_its_own_reconnect(fake_bluez: FakeBluez) -> None:
    a = fake_bluez.add_strap(H10, "Polar H10 0A1B2C3D")
    b = fake_bluez.add_strap("F0:0D:00:00:00:01", "TICKR 2B3C")
    clock = ScaledClock(speed=50.0)

    async def session() -> tuple[list[HeartRateSample], list[HeartRateSample]]:
        sa = BleSource(a.address, clock, scan_timeout_s=5)
        sb = BleSource(b.address, clock, scan_timeout_s=5)
        await asyncio.gather(sa.start(), sb.start())
        a.stream([bytes([0, 120 + i % 10]) for i in range(80)], every_s=0.02)
        b.stream([bytes([0, 60 + i % 10]) for i in range(80)], every_s=0.02)
        await until(lambda: len(a.delivered) >= 20, 10)
        a.drop()
        await until(lambda: sa.status().link == "searching", 3)
        assert sb.status().link == "connected"
        a.come_back()
        await until(lambda: not a.streaming and not b.streaming, 10)
        await asyncio.sleep(0.1)
        got = sa.drain(1e9), sb.drain(1e9)
        assert [e.kind for e in sa.take_events()] == ["connected", "disconnected", "reconnected"]
        assert [e.kind for e in sb.take_events()] == ["connected"]
        await asyncio.gather(sa.stop(), sb.stop())
        return got
    got_a, got_b = run(session())
    assert [s.hr_bpm for s in got_a] == [float(d[1]) for d in a.delivered]
    assert [s.hr_bpm for s in got_b] == [float(d[1]) for d in b.delivered]
    assert len(b.delivered) == 80 and b.connects == 1
    assert {s.source_id for s in got_a} == {a.address}
    assert {s.source_id for s in got_b} == {b.address}


def test_stop_while_reconnecting_cancels_the_pending_connect(fake_bluez: FakeBluez) -> None:
    strap = fake_bluez.add_strap(H10, absent_mode="hang")

    async def session() -> None:
        source = BleSource(H10, VirtualClock(), scan_timeout_s=5)
        await source.start()
        connections = fake_bluez.client_connections()
        strap.drop()
        await until(lambda: strap.connect_calls == 2, 5, "a reconnect waiting for the strap")
        await source.stop()
        assert source.status().link == "ended" and not source._tasks
        await asyncio.sleep(0.1)
        assert fake_bluez.client_connections() == connections - 1  # only bleak's manager left
        assert [e.kind for e in source.take_events()] == ["connected", "disconnected"]
    run(session())
    assert strap.disconnect_calls >= 1 and not strap.connected


def test_a_strap_bluez_forgot_is_found_again_by_scanning(fake_bluez: FakeBluez) -> None:
    strap = fake_bluez.add_strap(H10, "Polar H10 0A1B2C3D")

    async def session() -> None:
        source = BleSource(H10, VirtualClock(), scan_timeout_s=1.0)
        await source.start()
        strap.forget()
        await until(lambda: source.status().link == "searching", 3, "searching")
        await asyncio.sleep(0.5)  # attempts against the forgotten device object fail
        strap.come_back()
        await until(lambda: strap.notifying, 5, "found by a new scan and reconnected")
        assert await asyncio.to_thread(strap.notify, bytes([0, 88]))
        await until(lambda: len(source._queue) == 1, 5)
        assert source.status().link == "connected" and source.reconnects == 1
        await source.stop()
    run(session())
    assert strap.connects == 2


def test_a_returning_strap_is_not_held_up_by_another_still_away(fake_bluez: FakeBluez) -> None:
    a = fake_bluez.add_strap(H10, "Polar H10 0A1B2C3D")
    b = fake_bluez.add_strap("F0:0D:00:00:00:01", "TICKR 2B3C")

    async def session() -> float:
        sa = BleSource(a.address, VirtualClock(), scan_timeout_s=10)
        sb = BleSource(b.address, VirtualClock(), scan_timeout_s=10)
        await asyncio.gather(sa.start(), sb.start())
        a.forget()
        b.forget()
        await until(lambda: sa.status().link == sb.status().link == "searching", 3)
        await asyncio.sleep(1.0)  # both reconnect loops are scanning in turns now
        b.come_back()
        t0 = time.monotonic()
        await until(lambda: b.notifying, 5, "b back within 5 s while a is still away")
        waited = time.monotonic() - t0
        assert sa.status().link == "searching"
        await asyncio.gather(sa.stop(), sb.stop())
        return waited
    assert run(session()) < 5.0
