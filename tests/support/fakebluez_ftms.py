"""Fake FTMS machines (a treadmill, a smart trainer) on the fake BlueZ, and a closed loop in
which the machine's effort drives a simulated athlete whose heart rate the fake strap reports.

The machine behaves as FTMS 1.0 asks: a control point write is answered by an indication
``0x80, opcode, result``; every opcode but "request control" is refused with "control not
permitted" (0x05) until control was requested; a target outside the supported range or off
its step is an "invalid parameter" (0x03); a link drop loses control. The treadmill also takes
target inclinations (0x03, sint16 in 0.1 %) inside its Supported Inclination Range and reports
the grade it holds in its data. Steering (refuse control,
no range, malformed data) is set by attributes before the client connects.

No ``from __future__ import annotations``: dbus-fast reads the control point's signatures.
"""

import asyncio
from collections.abc import Callable
from typing import Literal

from dbus_fast.annotations import DBusBytes, DBusDict
from dbus_fast.service import ServiceInterface, dbus_method

from tests.support.fakebluez import FakeBluez, FakeStrap
from tests.support.fakebluez_objects import GattCharacteristic1, GattService1
from zonetrainer.core.sim import Athlete, EffortResponse

FTMS_SERVICE = "00001826-0000-1000-8000-00805f9b34fb"
FEATURE = "00002acc-0000-1000-8000-00805f9b34fb"
TREADMILL_DATA = "00002acd-0000-1000-8000-00805f9b34fb"
INDOOR_BIKE_DATA = "00002ad2-0000-1000-8000-00805f9b34fb"
TRAINING_STATUS = "00002ad3-0000-1000-8000-00805f9b34fb"
SPEED_RANGE = "00002ad4-0000-1000-8000-00805f9b34fb"
INCLINE_RANGE = "00002ad5-0000-1000-8000-00805f9b34fb"
POWER_RANGE = "00002ad8-0000-1000-8000-00805f9b34fb"
CONTROL_POINT = "00002ad9-0000-1000-8000-00805f9b34fb"
MACHINE_STATUS = "00002ada-0000-1000-8000-00805f9b34fb"
CPS_SERVICE = "00001818-0000-1000-8000-00805f9b34fb"
CYCLING_POWER = "00002a63-0000-1000-8000-00805f9b34fb"
RSC_SERVICE = "00001814-0000-1000-8000-00805f9b34fb"
RSC_MEASUREMENT = "00002a53-0000-1000-8000-00805f9b34fb"

MachineType = Literal["treadmill", "indoor_bike"]


class ControlPoint(GattCharacteristic1):
    """The Fitness Machine Control Point: writable, answers by indication."""

    def __init__(self, machine: "FakeMachine", service_path: str) -> None:
        super().__init__(CONTROL_POINT, service_path, ["write", "indicate"], b"")
        self._machine = machine

    @dbus_method()
    def WriteValue(self, value: DBusBytes, options: DBusDict) -> None:
        self._machine.handle_control(bytes(value))


class FakeMachine(FakeStrap):
    """A treadmill (speed, 0.01 km/h) or a smart trainer (power, W) with FTMS."""

    def __init__(self, bluez: FakeBluez, address: str, name: str, kind: MachineType) -> None:
        super().__init__(bluez, address, name, rssi_dbm=-61, body_location=None,
                         battery_pct=None, battery_via="gatt", connect_mode="ok",
                         absent_mode="hang", hr_service=False)
        self.kind = kind
        self.uuids = [FTMS_SERVICE]
        self.device.props["UUIDs"] = [FTMS_SERVICE]
        # low, high, step in the machine's raw units (0.01 km/h or W)
        self.range_raw: tuple[int, int, int] | None = (
            (100, 1800, 10) if kind == "treadmill" else (25, 800, 5))
        self.target_bits = 0b11 if kind == "treadmill" else 0b1000  # speed and incline; power
        # the treadmill's grade: -3 to 15 % in 0.5 % (raw 0.1 %); None: no inclination range
        self.incline_range_raw: tuple[int, int, int] | None = (
            (-30, 150, 5) if kind == "treadmill" else None)
        self.incline_raw = 0  # the grade the deck holds, 0.1 %
        self.refuse_control = False
        self.silent = False  # never answers on the control point
        self.malformed_data = False
        self.accel_per_s = 100.0 if kind == "treadmill" else 50.0  # 1 km/h or 50 W per s
        self.effort_raw = 0.0  # the belt's speed or the trainer's power, raw units
        self.target_raw: int | None = None
        self.has_control = False
        self.running = False
        self.writes: list[bytes] = []  # every control point write, in order
        self.answers: list[bytes] = []  # every indication sent
        self._data: GattCharacteristic1 | None = None
        self._cp: ControlPoint | None = None
        self._status: GattCharacteristic1 | None = None

    @property
    def incline_pct(self) -> float:
        return self.incline_raw / 10.0

    @property
    def inclines_received(self) -> list[float]:
        """Every Set Target Inclination written, in %, in order."""
        return [int.from_bytes(w[1:3], "little", signed=True) / 10.0
                for w in self.writes if w[:1] == bytes([0x03])]

    @property
    def effort(self) -> float:
        """Speed in km/h or power in W."""
        return self.effort_raw / 100.0 if self.kind == "treadmill" else self.effort_raw

    # --- control point, on the fake's loop --------------------------------------------------
    def handle_control(self, data: bytes) -> None:
        self.writes.append(data)
        opcode = data[0] if data else 0xFF
        result = self._obey(opcode, data[1:])
        answer = bytes([0x80, opcode, result])
        # the indication follows the write's response, as on a real machine
        asyncio.get_running_loop().call_later(0.005, self._indicate, answer)

    def _obey(self, opcode: int, param: bytes) -> int:
        if opcode == 0x00:
            if self.refuse_control:
                return 0x05
            self.has_control = True
            return 0x01
        if not self.has_control:
            return 0x05
        if opcode == 0x07:
            self.running = True
            return 0x01
        if opcode == 0x08:
            self.running = False
            self.target_raw = None
            return 0x01
        if opcode == 0x03 and len(param) == 2:
            if not self.target_bits >> 1 & 1:
                return 0x02
            raw = int.from_bytes(param, "little", signed=True)
            if self.incline_range_raw is None:
                return 0x04
            low, high, step = self.incline_range_raw
            if not low <= raw <= high or (raw - low) % step:
                return 0x03
            self.incline_raw = raw  # the deck moves at once: only the belt's speed ramps here
            return 0x01
        if opcode in (0x02, 0x05) and len(param) == 2:
            if (opcode == 0x02) != (self.kind == "treadmill"):
                return 0x02
            raw = int.from_bytes(param, "little", signed=opcode == 0x05)
            if self.range_raw is None:
                return 0x04
            low, high, step = self.range_raw
            if not low <= raw <= high or (raw - low) % step:
                return 0x03
            self.target_raw = raw
            return 0x01
        return 0x02

    def _indicate(self, answer: bytes) -> None:
        cp = self._cp
        if not self.silent and self.connected and cp is not None and cp.props["Notifying"]:
            self.answers.append(answer)
            cp.update(Value=answer)

    def take_control_back(self) -> None:
        """The user presses a button on the console: Machine Status "control permission
        lost" (0xFF) is notified and control is gone."""
        async def lose() -> None:
            self.has_control = False
            if self._status is not None and self._status.props["Notifying"]:
                self._status.update(Value=bytes([0xFF]))
        self._bluez.call(lose)

    # --- the machine moving ---------------------------------------------------------------
    def step(self, dt_s: float) -> None:
        """The belt or the flywheel moves ``dt_s`` towards the target (0 when stopped)."""
        goal = float(self.target_raw) if self.running and self.target_raw is not None else 0.0
        change = max(-self.accel_per_s * dt_s, min(self.accel_per_s * dt_s,
                                                     goal - self.effort_raw))
        self.effort_raw += change

    def data_bytes(self) -> bytes:
        if self.malformed_data:
            return bytes([0x00])  # flags cut short: one byte of two
        raw = round(self.effort_raw)
        if self.kind == "treadmill":  # flags: speed present (bit 0 clear), inclination (bit 3)
            return ((0x0008).to_bytes(2, "little") + raw.to_bytes(2, "little")
                    + self.incline_raw.to_bytes(2, "little", signed=True) + bytes(2))
        # indoor bike: speed (bit 0 clear), cadence (bit 2), power (bit 6)
        return ((0x0044).to_bytes(2, "little") + (raw // 8).to_bytes(2, "little")
                + (180).to_bytes(2, "little") + raw.to_bytes(2, "little", signed=True))

    def send_data(self) -> bool:
        if self.connected and self._data is not None and self._data.props["Notifying"]:
            self._data.update(Value=self.data_bytes())
            return True
        return False

    # --- link --------------------------------------------------------------------------------
    def _link_up(self) -> None:
        bus = self._bluez.bus
        self.connects += 1
        self.device.update(Connected=True)
        svc = f"{self.path}/service0020"
        data_uuid = TREADMILL_DATA if self.kind == "treadmill" else INDOOR_BIKE_DATA
        self._data = GattCharacteristic1(data_uuid, svc, ["notify"], b"")
        self._cp = ControlPoint(self, svc)
        self._status = GattCharacteristic1(MACHINE_STATUS, svc, ["notify"], b"")
        feature = (0x0000_0008).to_bytes(4, "little") + self.target_bits.to_bytes(4, "little")
        objects: list[tuple[str, ServiceInterface]] = [
            (svc, GattService1(FTMS_SERVICE, self.path)),
            (f"{svc}/char0021", GattCharacteristic1(FEATURE, svc, ["read"], feature)),
            (f"{svc}/char0023", self._data),
            (f"{svc}/char0026", GattCharacteristic1(TRAINING_STATUS, svc, ["read", "notify"],
                                                    bytes([0x00, 0x01]))),
            (f"{svc}/char0029", self._cp),
            (f"{svc}/char002c", self._status)]
        if self.range_raw is not None:
            low, high, step = self.range_raw
            signed = self.kind != "treadmill"
            value = b"".join(v.to_bytes(2, "little", signed=signed and i < 2)
                             for i, v in enumerate((low, high, step)))
            objects.append((f"{svc}/char002f", GattCharacteristic1(
                SPEED_RANGE if self.kind == "treadmill" else POWER_RANGE, svc, ["read"],
                value)))
        if self.incline_range_raw is not None:
            value = b"".join(v.to_bytes(2, "little", signed=i < 2)
                             for i, v in enumerate(self.incline_range_raw))
            objects.append((f"{svc}/char0032", GattCharacteristic1(INCLINE_RANGE, svc, ["read"],
                                                                   value)))
        for path, iface in objects:
            bus.export(path, iface)
        self._gatt = objects
        self.device.update(ServicesResolved=True)

    def _link_down(self) -> None:
        super()._link_down()
        self._data, self._cp, self._status = None, None, None
        self.has_control = False  # FTMS: control is per connection


class FakeSensor(FakeStrap):
    """A power meter (Cycling Power 0x1818) or a footpod (RSC 0x1814) that notifies what the
    test sends with :meth:`send`."""

    def __init__(self, bluez: FakeBluez, address: str, name: str, kind: str) -> None:
        super().__init__(bluez, address, name, rssi_dbm=-66, body_location=None,
                         battery_pct=None, battery_via="gatt", connect_mode="ok",
                         absent_mode="hang", hr_service=False)
        self.service, self.measurement = ((CPS_SERVICE, CYCLING_POWER) if kind == "power"
                                          else (RSC_SERVICE, RSC_MEASUREMENT))
        self.uuids = [self.service]
        self.device.props["UUIDs"] = [self.service]
        self._char: GattCharacteristic1 | None = None

    def send(self, data: bytes) -> bool:
        async def notify() -> bool:
            if self.connected and self._char is not None and self._char.props["Notifying"]:
                self._char.update(Value=data)
                return True
            return False
        return self._bluez.call(notify)

    @property
    def notifying(self) -> bool:
        return self._char is not None and bool(self._char.props["Notifying"])

    def _link_up(self) -> None:
        self.connects += 1
        self.device.update(Connected=True)
        svc = f"{self.path}/service0030"
        self._char = GattCharacteristic1(self.measurement, svc, ["notify"], b"")
        objects: list[tuple[str, ServiceInterface]] = [
            (svc, GattService1(self.service, self.path)), (f"{svc}/char0031", self._char)]
        for path, iface in objects:
            self._bluez.bus.export(path, iface)
        self._gatt = objects
        self.device.update(ServicesResolved=True)

    def _link_down(self) -> None:
        super()._link_down()
        self._char = None


def add_sensor(bluez: FakeBluez, kind: Literal["power", "footpod"],
               address: str = "FE:ED:00:00:00:09", name: str = "") -> FakeSensor:
    """A power meter or a footpod in range, advertising its service."""
    sensor = FakeSensor(bluez, address, name or ("Fake Power" if kind == "power"
                                                 else "Fake Footpod"), kind)

    async def export() -> None:
        bluez.bus.export(sensor.path, sensor.device)
        bluez.straps.append(sensor)
    bluez.call(export)
    return sensor


def add_machine(bluez: FakeBluez, kind: MachineType = "treadmill",
                address: str = "FE:ED:00:00:00:01", name: str = "") -> FakeMachine:
    """A machine in range, advertising the Fitness Machine Service."""
    machine = FakeMachine(bluez, address, name or ("Fake Treadmill" if kind == "treadmill"
                                                   else "Fake Trainer"), kind)

    async def export() -> None:
        bluez.bus.export(machine.path, machine.device)
        bluez.straps.append(machine)
    bluez.call(export)
    return machine


class ClosedLoop:
    """The athlete lives on the session clock (``now_s``): every second of it the machine
    moves, the athlete's heart answers its effort (``response``), the strap sends that heart
    rate and the machine its data. Seconds are caught up if the fake's thread falls behind
    (a busy test machine), so the heart never runs slower than the session. Runs on the fake's
    loop, polling every ``poll_s`` of wall time; start and stop from any thread."""

    def __init__(self, bluez: FakeBluez, strap: FakeStrap, machine: FakeMachine,
                 athlete: Athlete, response: EffortResponse, now_s: Callable[[], float],
                 poll_s: float = 0.005) -> None:
        self._bluez, self.strap, self.machine = bluez, strap, machine
        self.athlete, self.response, self.now_s, self.poll_s = athlete, response, now_s, poll_s
        self.t_s = 0
        self.true_hr: list[tuple[int, float, float]] = []  # (t, true HR, machine effort)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        async def begin() -> None:
            self.t_s = int(self.now_s())
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._bluez.call(begin)

    def stop(self) -> None:
        async def end() -> None:
            if self._task is not None:
                self._task.cancel()
        self._bluez.call(end)

    async def _run(self) -> None:
        while True:
            while self.t_s < int(self.now_s()):
                await self._second()
            await asyncio.sleep(self.poll_s)

    async def _second(self) -> None:
        self.machine.step(1.0)
        effort = self.machine.effort
        self.athlete.advance(1.0, self.response.steady_hr_bpm(effort, self.athlete.params))
        self.t_s += 1
        self.true_hr.append((self.t_s, self.athlete.true_hr_bpm, effort))
        sample = self.athlete.sample(self.athlete.t_s)
        if sample is not None and sample.hr_bpm is not None:
            await self.strap._notify(bytes([0x06, min(255, round(sample.hr_bpm))]))
        self.machine.send_data()
