"""The FTMS client through real bleak against the fake machines of tests/support/fakebluez_ftms:
control requested first, targets inside the supported range and step, refusals, no range,
malformed data and a drop each give a clear status, and measured effort keeps flowing."""

from __future__ import annotations

import asyncio
from typing import Literal

import pytest

from tests.support.fakebluez import FakeBluez, until
from tests.support.fakebluez_ftms import FakeMachine, add_machine, add_sensor
from zonetrainer.core.clock import ScaledClock
from zonetrainer.core.model import EffortSample
from zonetrainer.core.sources import ftms
from zonetrainer.core.sources.base import EffortRange
from zonetrainer.core.sources.ble_sensors import EffortSensorSource
from zonetrainer.core.sources.ftms import FtmsSource

pytestmark = pytest.mark.bluez


def source_for(machine: FakeMachine, **kwargs: object) -> FtmsSource:
    return FtmsSource(machine.address, ScaledClock(1.0), scan_timeout_s=5,
                      delay_s=lambda _attempt: 0.05, **kwargs)  # type: ignore[arg-type]


def test_treadmill_control_is_requested_first_and_targets_are_clamped_to_its_grid(
        fake_bluez: FakeBluez) -> None:
    machine = add_machine(fake_bluez, "treadmill")

    async def drive() -> FtmsSource:
        source = source_for(machine)
        await source.start()
        assert source.controllable
        assert source.supported_range == EffortRange(1.0, 18.0, 0.1, "km/h")
        source.request_target(9.437)  # off the 0.1 km/h grid
        await until(lambda: machine.target_raw == 940, 5, "target written")
        source.request_target(25.0)  # above the machine's top speed
        await until(lambda: machine.target_raw == 1800, 5, "clamped target written")
        await source.stop()
        return source

    source = asyncio.run(drive())
    opcodes = [w[0] for w in machine.writes]
    assert opcodes[:2] == [0x00, 0x07]  # request control, then start
    assert machine.writes[2:4] == [bytes([0x02]) + (940).to_bytes(2, "little"),
                                   bytes([0x02]) + (1800).to_bytes(2, "little")]
    assert machine.writes[-1] == bytes([0x08, 0x02])  # paused at the end
    assert all(a[2] == 0x01 for a in machine.answers)  # every write was accepted
    assert source.target == 18.0


def test_trainer_streams_power_with_its_target(fake_bluez: FakeBluez) -> None:
    machine = add_machine(fake_bluez, "indoor_bike")
    got: list[EffortSample] = []

    async def drive() -> None:
        source = source_for(machine)
        await source.start()
        source.request_target(181)
        await until(lambda: source.target == 180, 5, "target on the 5 W grid, confirmed")
        for _ in range(4):
            machine.step(1.0)
            fake_bluez.call(send, machine)

        def drained() -> bool:
            got.extend(source.drain(1e9))
            return len(got) == 4
        await until(drained, 5, "four readings")
        await source.stop()

    asyncio.run(drive())
    assert [s.value for s in got] == [50.0, 100.0, 150.0, 180.0]  # 50 W/s up to the target
    assert {(s.unit, s.target, s.cadence_rpm) for s in got} == {("W", 180.0, 90.0)}


async def send(machine: FakeMachine) -> None:
    machine.send_data()


async def first_readings(source: FtmsSource) -> list[EffortSample]:
    """What the source has queued once it has at least one reading (5 s at the most)."""
    got: list[EffortSample] = []

    def drained() -> bool:
        got.extend(source.drain(1e9))
        return bool(got)
    await until(drained, 5, "a reading")
    return got


def test_refused_control_gives_a_clear_status_and_data_keeps_flowing(
        fake_bluez: FakeBluez) -> None:
    machine = add_machine(fake_bluez, "treadmill")
    machine.refuse_control = True
    machine.effort_raw = 850.0

    async def drive() -> tuple[FtmsSource, list[EffortSample]]:
        source = source_for(machine)
        await source.start()
        source.request_target(10.0)  # ignored: not ours to steer
        fake_bluez.call(send, machine)
        got = await first_readings(source)
        await source.stop()
        return source, got

    source, got = asyncio.run(drive())
    assert not source.controllable
    assert source.status().detail == "cues only: control refused (control not permitted)"
    assert [w[0] for w in machine.writes] == [0x00]  # asked once, nothing written after
    assert [(s.value, s.target) for s in got] == [(8.5, None)]
    events = source.take_events()
    assert [e.kind for e in events] == ["machine_control_refused", "machine_connected"]


@pytest.mark.parametrize(("setup", "detail", "writes"), [
    ("no range", "cues only: the machine reports no supported speed range", []),
    ("no target", "cues only: the machine takes no target speed", []),
    ("silent", "cues only: the machine did not answer its control point", [b"\x00"]),
])
def test_a_machine_that_cannot_be_steered_is_read_and_says_why(
        fake_bluez: FakeBluez, monkeypatch: pytest.MonkeyPatch, setup: str, detail: str,
        writes: list[bytes]) -> None:
    machine = add_machine(fake_bluez, "treadmill")
    machine.range_raw = None if setup == "no range" else machine.range_raw
    machine.target_bits = 0 if setup == "no target" else machine.target_bits
    machine.silent = setup == "silent"
    monkeypatch.setattr(ftms, "RESPONSE_TIMEOUT_S", 0.3)
    machine.target_raw, machine.running = 700, True  # run by hand on the console

    async def drive() -> tuple[FtmsSource, list[EffortSample]]:
        source = source_for(machine)
        await source.start()
        source.request_target(10.0)
        machine.step(5.0)
        fake_bluez.call(send, machine)
        got = await first_readings(source)
        await source.stop()
        return source, got

    source, got = asyncio.run(drive())
    assert not source.controllable
    assert source.status().detail == detail
    assert machine.writes == writes  # nothing but (at most) the request for control
    assert [(s.value, s.target) for s in got] == [(5.0, None)]


def test_malformed_data_is_counted_and_named_without_losing_the_link(
        fake_bluez: FakeBluez) -> None:
    machine = add_machine(fake_bluez, "treadmill")
    machine.malformed_data = True

    async def drive() -> FtmsSource:
        source = source_for(machine)
        await source.start()
        for _ in range(6):
            fake_bluez.call(send, machine)
        await until(lambda: source.malformed == 6, 5, "six rejected")
        assert source.drain(1e9) == []
        assert source.controllable  # its control point still works
        assert source.status().detail == (
            "the machine sends malformed data (treadmill data: 1 bytes end before its "
            "fields do (need 2))")
        machine.malformed_data = False
        fake_bluez.call(send, machine)
        await until(lambda: "malformed" not in source.status().detail, 5, "good data again")
        await source.stop()
        return source

    source = asyncio.run(drive())
    kinds = [e.kind for e in source.take_events()]
    assert kinds.count("machine_malformed") == 1


def test_a_dropped_machine_is_reconnected_control_retaken_and_target_resent(
        fake_bluez: FakeBluez) -> None:
    machine = add_machine(fake_bluez, "treadmill")

    async def drive() -> FtmsSource:
        source = source_for(machine)
        await source.start()
        source.request_target(9.0)
        await until(lambda: machine.target_raw == 900, 5, "target written")
        machine.drop()
        await until(lambda: source.status().link == "searching", 5, "drop noticed")
        assert not source.controllable
        source.request_target(9.5)  # asked for while away: sent once back
        machine.come_back()
        await until(lambda: machine.target_raw == 950 and source.controllable, 10,
                    "back, in control, with the newest target")
        await source.stop()
        return source

    source = asyncio.run(drive())
    kinds = [e.kind for e in source.take_events()]
    assert kinds == ["machine_control", "machine_connected", "machine_disconnected",
                     "machine_control", "machine_reconnected"]
    after_drop = [w[0] for w in machine.writes[3:]]
    assert after_drop[:3] == [0x00, 0x07, 0x02]  # control asked for again before any target
    assert source.reconnects == 1


def test_the_machine_taking_control_back_leaves_cues(fake_bluez: FakeBluez) -> None:
    machine = add_machine(fake_bluez, "treadmill")

    async def drive() -> FtmsSource:
        source = source_for(machine)
        await source.start()
        source.request_target(9.0)
        await until(lambda: machine.target_raw == 900, 5, "target written")
        machine.take_control_back()
        await until(lambda: not source.controllable, 5, "control lost noticed")
        writes = len(machine.writes)
        source.request_target(10.0)
        await asyncio.sleep(0.1)
        assert len(machine.writes) == writes  # not ours to steer any more
        await source.stop()
        return source

    source = asyncio.run(drive())
    assert source.status().detail == "cues only: the machine took control back"
    assert "machine_control_lost" in [e.kind for e in source.take_events()]


@pytest.mark.parametrize(("kind", "data", "expected"), [
    # 245 W, crank data: then 1000 revs at 2 s and 1003 at 4 s: 90 rpm
    ("power", [bytes.fromhex("2000f500e8030008"), bytes.fromhex("2000f400eb030010")],
     [(245.0, "W", None), (244.0, "W", 90.0)]),
    # 3.0 m/s = 10.8 km/h at 172 steps/min
    ("footpod", [bytes([0x04]) + (768).to_bytes(2, "little") + bytes([172])],
     [(10.8, "km/h", 172.0)]),
])
def test_effort_sensors_stream_and_are_never_steered(
        fake_bluez: FakeBluez, kind: Literal["power", "footpod"], data: list[bytes],
        expected: list[tuple[float, str, float | None]]) -> None:
    sensor = add_sensor(fake_bluez, kind)
    got: list[EffortSample] = []

    async def drive() -> EffortSensorSource:
        source = EffortSensorSource(sensor.name, ScaledClock(1.0), scan_timeout_s=5)
        await source.start()
        await until(lambda: sensor.notifying, 5, "subscribed")
        assert sensor.send(b"\x01")  # malformed: counted, skipped
        for payload in data:
            assert sensor.send(payload)

        def drained() -> bool:
            got.extend(source.drain(1e9))
            return len(got) == len(expected)
        await until(drained, 5, "readings")
        source.request_target(300.0)  # a sensor takes no target: nothing happens
        await source.stop()
        return source

    source = asyncio.run(drive())
    assert [(s.value, s.unit, s.cadence_rpm) for s in got] == expected
    assert not source.controllable and source.malformed == 1
    assert [e.kind for e in source.take_events()] == ["sensor_connected"]


def test_the_belt_starts_only_with_the_first_target(fake_bluez: FakeBluez) -> None:
    machine = add_machine(fake_bluez, "treadmill")

    async def drive() -> None:
        source = source_for(machine)
        await source.start()
        await asyncio.sleep(0.2)
        assert source.controllable and not machine.running
        assert machine.writes == [b"\x00"]  # control only: nothing moves yet
        source.request_target(6.0)
        await until(lambda: source.target == 6.0, 5, "first target")
        assert machine.running and [w[0] for w in machine.writes] == [0x00, 0x07, 0x02]
        await source.stop()

    asyncio.run(drive())
    assert not machine.running  # paused at the end


def test_a_treadmill_takes_the_grade_on_its_grid_and_reports_it(fake_bluez: FakeBluez) -> None:
    machine = add_machine(fake_bluez, "treadmill")  # -3 to 15 % in 0.5 %

    async def drive() -> tuple[FtmsSource, list[EffortSample]]:
        source = source_for(machine)
        await source.start()
        assert source.incline_range == (-3.0, 15.0, 0.5)
        source.request_target(8.0)
        source.request_incline(4.23)  # off the grid
        await until(lambda: machine.incline_raw == 40, 5, "grade written")
        source.request_incline(20.0)  # above the deck's top
        await until(lambda: machine.incline_raw == 150, 5, "clamped grade written")
        machine.step(1.0)
        fake_bluez.call(send, machine)
        got = await first_readings(source)
        await source.stop()
        return source, got

    source, got = asyncio.run(drive())
    assert machine.inclines_received == [4.0, 15.0]
    assert bytes([0x03, 40, 0]) in machine.writes  # Set Target Inclination, sint16 in 0.1 %
    assert all(a[2] == 0x01 for a in machine.answers)
    assert source.incline == 15.0 and source.target == 8.0  # the speed was set as well
    assert got[-1].incline_pct == 15.0  # the grade the treadmill reports holding


@pytest.mark.parametrize(("setup", "sent"), [
    ("no incline target", []),  # the feature bits say no: never written
    ("no incline range", [4.0]),  # tried, answered "operation failed"
])
def test_a_treadmill_that_takes_no_grade_still_takes_the_speed(
        fake_bluez: FakeBluez, setup: str, sent: list[float]) -> None:
    machine = add_machine(fake_bluez, "treadmill")
    if setup == "no incline target":
        machine.target_bits = 0b1
    else:
        machine.incline_range_raw = None

    async def drive() -> FtmsSource:
        source = source_for(machine)
        await source.start()
        source.request_incline(4.0)
        source.request_target(9.0)
        await until(lambda: machine.target_raw == 900, 5, "speed written")
        await asyncio.sleep(0.2)
        source.request_incline(6.0)  # not asked again once refused
        source.request_target(10.0)
        await until(lambda: machine.target_raw == 1000, 5, "speed written")
        await source.stop()
        return source

    source = asyncio.run(drive())
    assert machine.inclines_received == sent and machine.incline_raw == 0
    assert source.incline is None
    kinds = [e.kind for e in source.take_events()]
    assert kinds.count("machine_incline_refused") == 1 and "machine_control_refused" not in kinds
