"""The status bar's machine line from the real FTMS client over the fake BlueZ: controlled,
not controllable and why, reconnecting; and the shared builder of machine sources."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.fakebluez import FakeBluez, until
from tests.support.fakebluez_ftms import add_machine
from zonetrainer.core.clock import ScaledClock, VirtualClock
from zonetrainer.core.errors import UserError
from zonetrainer.core.profile import Profile
from zonetrainer.core.sources.ble import BleSource
from zonetrainer.core.sources.ble_sensors import EffortSensorSource
from zonetrainer.core.sources.effort_choice import effort_source_for
from zonetrainer.core.sources.ftms import FtmsSource
from zonetrainer.core.sources.simulated import simulated_source_for
from zonetrainer.core.sources.simulated_machine import MachineDrivenStrap, SimulatedMachine
from zonetrainer.ui.machines import describe_machine


def ftms(address: str) -> FtmsSource:
    return FtmsSource(address, ScaledClock(1.0), scan_timeout_s=5,
                      delay_s=lambda _attempt: 0.05)


@pytest.mark.bluez
def test_the_line_says_controlled_then_reconnecting(fake_bluez: FakeBluez) -> None:
    machine = add_machine(fake_bluez, "treadmill")

    async def drive() -> list[str]:
        source = ftms(machine.address)
        await source.start()
        lines = [describe_machine(source)]
        machine.drop()
        await until(lambda: source.status().link == "searching", 5, "drop noticed")
        lines.append(describe_machine(source))
        machine.come_back()
        await until(lambda: source.controllable, 10, "back in control")
        lines.append(describe_machine(source))
        await source.stop()
        return lines

    assert asyncio.run(drive()) == ["Fake Treadmill: controlled", "Fake Treadmill: reconnecting…",
                                    "Fake Treadmill: controlled"]


@pytest.mark.bluez
def test_the_line_says_why_a_machine_is_not_controllable(fake_bluez: FakeBluez) -> None:
    machine = add_machine(fake_bluez, "treadmill")
    machine.refuse_control = True

    async def drive() -> str:
        source = ftms(machine.address)
        await source.start()
        line = describe_machine(source)
        await source.stop()
        return line

    assert asyncio.run(drive()) == ("Fake Treadmill: not controllable (cues only: control "
                                    "refused (control not permitted))")


def test_the_builder_pairs_a_simulated_machine_with_the_simulated_athlete() -> None:
    profile = Profile(age_years=40)
    strap = simulated_source_for(profile, profile.band(), seed=1)
    driven, machine = effort_source_for("machine", "sim-treadmill", VirtualClock(), strap)
    assert isinstance(driven, MachineDrivenStrap) and isinstance(machine, SimulatedMachine)
    assert driven.machine is machine and driven.athlete is strap.athlete
    assert machine.unit == "km/h"
    same, sensor = effort_source_for("sensor", "FE:ED:00:00:00:09", VirtualClock(), strap)
    assert same is strap and isinstance(sensor, EffortSensorSource)
    same, real = effort_source_for("machine", "FE:ED:00:00:00:01", VirtualClock(), strap)
    assert same is strap and isinstance(real, FtmsSource)


def test_a_simulated_machine_without_the_simulated_strap_is_a_clear_error() -> None:
    strap = BleSource("C0:FF:EE:00:11:22", VirtualClock())  # a real strap, never connected
    with pytest.raises(UserError, match="needs the simulated athlete"):
        effort_source_for("machine", "sim-bike", VirtualClock(), strap)
