"""The FTMS client through real bleak against the fake machines of tests/support/fakebluez_ftms:
control requested first, targets inside the supported range and step, refusals, no range,
malformed data and a drop each give a clear status, and measured effort keeps flowing."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.fakebluez import FakeBluez, until
from tests.support.fakebluez_ftms import FakeMachine, add_machine
from zonetrainer.core.clock import ScaledClock
from zonetrainer.core.model import EffortSample
from zonetrainer.core.sources.base import EffortRange
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
        await until(lambda: machine.target_raw == 180, 5, "target on the 5 W grid")
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
