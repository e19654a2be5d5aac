"""A Bluetooth FTMS fitness machine (0x1826) as an :class:`EffortSource`.

On connect: find which machine it is (its data characteristic), read its features and the
supported range of its effort (speed for a treadmill, power otherwise), subscribe to its data,
training status and machine status, then request control (0x00); each write waits for its
control point indication. The machine is started (0x07) only with the first target, so a
treadmill belt never starts before the loop asks for an effort. Targets are clamped to the
supported range and step and written one at a time, the newest winning. A treadmill that
takes target inclinations is also sent the grade the plan holds (Set Target Inclination 0x03,
0.1 %), clamped to its Supported Inclination Range; a refused grade leaves speed control as it
was.

A machine that refuses control, reports no range or no target setting, or sends malformed
data still streams what it measures: it is not :attr:`controllable`, its status says why, and
the session goes on with cues. A machine that drops is reconnected (:class:`BleEffortLink`)
and control is taken again; the last target is sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Final

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.exc import BleakError

from zonetrainer.core.clock import Clock
from zonetrainer.core.model import EffortSample, EffortUnit
from zonetrainer.core.sources import ftms_control as cp
from zonetrainer.core.sources.base import EffortRange, SourceError
from zonetrainer.core.sources.ble_effort import BleEffortLink
from zonetrainer.core.sources.ftms_data import (
    DATA_UUIDS,
    MachineData,
    MachineKind,
    MalformedMachineData,
    parse_machine_data,
)

log = logging.getLogger(__name__)

#: How long a control point write may wait for its indication. FTMS 4.16.1 gives the server
#: the ATT transaction timeout (30 s); real machines answer within a second, and a session
#: cannot wait 30 s to learn a machine will not obey: 5 s, then the target counts as failed.
RESPONSE_TIMEOUT_S: Final = 5.0

#: This many malformed notifications in a row and the status says the machine's data is bad.
MALFORMED_IN_A_ROW: Final = 5

UNITS: Final[dict[MachineKind, EffortUnit]] = {
    "treadmill": "km/h", "indoor_bike": "W", "cross_trainer": "W", "rower": "W"}


class FtmsSource(BleEffortLink):
    """One FTMS machine, found by address or a part of its name."""

    kind_label = "fitness machine"
    service_uuids = (cp.FTMS_SERVICE_UUID,)

    def __init__(self, address_or_name: str, clock: Clock, *, take_control: bool = True,
                 **kwargs: Any) -> None:
        """``take_control=False``: only read what the machine measures. Other keywords: see
        :class:`BleEffortLink`."""
        super().__init__(address_or_name, clock, **kwargs)
        self.take_control = take_control
        self.machine: MachineKind | None = None
        self.unit: EffortUnit = "W"
        self.features: cp.MachineFeatures | None = None
        self._range: EffortRange | None = None
        self.incline_range: tuple[float, float, float] | None = None
        self._controllable = False
        self._started = False  # sent start/resume on this connection
        self.target: float | None = None  # the last target the machine accepted
        self._wanted: float | None = None  # the newest target asked for
        self.incline: float | None = None  # the last grade (%) the treadmill accepted
        self._wanted_incline: float | None = None
        self._incline_ok = False  # a treadmill that takes target inclinations
        self._incline_told = False  # the session heard that it takes none
        self._cp_lock = asyncio.Lock()
        self._response: asyncio.Future[cp.ControlResponse] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._bad_in_a_row = 0
        self.training_status = ""
        self.responses: list[cp.ControlResponse] = []  # every indication, for the curious

    @property
    def controllable(self) -> bool:
        return self._controllable and self._link == "connected"

    @property
    def supported_range(self) -> EffortRange | None:
        return self._range

    # --- setup -----------------------------------------------------------------------------
    async def _setup(self, client: BleakClient) -> None:
        services = client.services
        if services.get_service(cp.FTMS_SERVICE_UUID) is None:
            raise SourceError(f"{self._label()} offers no Fitness Machine Service (0x1826)")
        found = [(k, u) for k, u in DATA_UUIDS.items() if services.get_characteristic(u)]
        if not found:
            raise SourceError(f"{self._label()} offers no treadmill, bike, cross trainer or "
                              "rower data: not a machine zonetrainer can use")
        self.machine, data_uuid = found[0]
        self.unit = UNITS[self.machine]
        notes = await self._read_capabilities(client)
        await client.start_notify(data_uuid, self._on_data)
        for uuid, callback in ((cp.TRAINING_STATUS_UUID, self._on_training_status),
                               (cp.MACHINE_STATUS_UUID, self._on_machine_status)):
            if services.get_characteristic(uuid) is not None:
                with contextlib.suppress(BleakError, OSError):
                    await client.start_notify(uuid, callback)
        if not notes and self.take_control:
            notes = await self._take_control(client)
        self._set_detail(notes)
        if self._controllable and (self._wanted is not None
                                   or self._wanted_incline is not None):
            self._spawn_writer()  # a reconnect: the machine forgot our target; sent once connected

    async def _read_capabilities(self, client: BleakClient) -> str:
        """Read features and ranges; "" if the machine can take targets, else why not."""
        self._range, self.features = None, None
        feature = client.services.get_characteristic(cp.FEATURE_UUID)
        if feature is not None:
            try:
                self.features = cp.parse_features(await client.read_gatt_char(feature))
            except cp.MalformedFtms as exc:
                log.warning("%s: %s", self._label(), exc)
        bit = cp.TARGET_SPEED_BIT if self.unit == "km/h" else cp.TARGET_POWER_BIT
        range_uuid = cp.SPEED_RANGE_UUID if self.unit == "km/h" else cp.POWER_RANGE_UUID
        parse = cp.parse_speed_range if self.unit == "km/h" else cp.parse_power_range
        char = client.services.get_characteristic(range_uuid)
        if char is not None:
            try:
                self._range = parse(await client.read_gatt_char(char))
            except cp.MalformedFtms as exc:
                return f"cues only: the machine's supported range is unusable ({exc})"
        incline = client.services.get_characteristic(cp.INCLINE_RANGE_UUID)
        if incline is not None:
            with contextlib.suppress(cp.MalformedFtms, BleakError):
                self.incline_range = cp.parse_incline_range(await client.read_gatt_char(incline))
        self._incline_ok = self.unit == "km/h" and (
            self.features is None or self.features.accepts(cp.TARGET_INCLINE_BIT))
        what = "speed" if self.unit == "km/h" else "power"
        if self.features is not None and not self.features.accepts(bit):
            return f"cues only: the machine takes no target {what}"
        if self._range is None:
            return f"cues only: the machine reports no supported {what} range"
        if client.services.get_characteristic(cp.CONTROL_POINT_UUID) is None:
            return "cues only: the machine has no control point"
        return ""

    async def _take_control(self, client: BleakClient) -> str:
        await client.start_notify(cp.CONTROL_POINT_UUID, self._on_control_point)
        answer = await self._command(client, cp.request_control())
        if answer is None:
            return "cues only: the machine did not answer its control point"
        if not answer.ok:
            self._event("control_refused", f"{self._label()}: {answer.reason}")
            return f"cues only: control refused ({answer.reason})"
        self._controllable, self._started = True, False
        self._event("control", f"{self._label()}: control taken, range {self._range_text()}")
        return ""

    async def _command(self, client: BleakClient, data: bytes) -> cp.ControlResponse | None:
        """Write ``data`` to the control point and wait for its indication (None: no answer)."""
        async with self._cp_lock:
            loop = asyncio.get_running_loop()
            self._response = loop.create_future()
            try:
                await client.write_gatt_char(cp.CONTROL_POINT_UUID, data, response=True)
                async with asyncio.timeout(RESPONSE_TIMEOUT_S):
                    answer = await self._response
            except TimeoutError:
                return None
            finally:
                self._response = None
        if answer.request_opcode != data[0]:
            log.warning("%s answered opcode 0x%02x to 0x%02x", self._label(),
                        answer.request_opcode, data[0])
        return answer

    # --- targets ---------------------------------------------------------------------------
    def request_target(self, value: float) -> None:
        if self._range is not None:
            value = self._range.clamp(value)
        self._wanted = value
        if self.controllable and value != self.target:
            self._spawn_writer()

    def request_incline(self, incline_pct: float) -> None:
        if self.incline_range is not None:
            incline_pct = cp.clamp_incline(self.incline_range, incline_pct)
        self._wanted_incline = incline_pct
        if not self.controllable or incline_pct == self.incline:
            return
        if self._incline_ok:
            self._spawn_writer()
        elif not self._incline_told:
            self._incline_told = True
            self._event("incline_refused", f"{self._label()}: takes no target inclination; "
                                           "the grade is the athlete's")

    def _spawn_writer(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_targets())
            self._tasks.add(self._writer)
            self._writer.add_done_callback(self._tasks.discard)

    async def _write_targets(self) -> None:
        """Send the newest wanted target (and grade) until the machine runs it (or stops
        obeying)."""
        while self.controllable:
            if self._wanted is not None and self._wanted != self.target:
                if not await self._write_target(self._wanted):
                    return
            elif (self._incline_ok and self._wanted_incline is not None
                  and self._wanted_incline != self.incline):
                if not await self._write_incline(self._wanted_incline):
                    return
            else:
                return

    async def _write_target(self, value: float) -> bool:
        """One speed or power target; False when writing should stop."""
        client = self._client
        if client is None:
            return False
        try:
            answer = None
            if not self._started:  # the first target starts the machine
                answer = await self._command(client, cp.start_or_resume())
                self._started = answer is not None and answer.ok
            if self._started:
                answer = await self._command(client, cp.set_target(self.unit, value))
        except (BleakError, OSError) as exc:
            log.info("%s: target %g not written: %s", self._label(), value, exc)
            return False  # the link is going; the reconnect sends it again
        if answer is None or not answer.ok:
            reason = "no answer" if answer is None else answer.reason
            self._controllable = False
            self._event("control_refused", f"{self._label()}: target {value:g} "
                                           f"{self.unit}: {reason}")
            self._set_detail(f"cues only: target refused ({reason})")
            return False
        self.target = value
        return True

    async def _write_incline(self, value: float) -> bool:
        """One grade; a refusal stops grades only (the speed is still ours)."""
        client = self._client
        if client is None:
            return False
        try:
            answer = await self._command(client, cp.set_target_incline(value))
        except (BleakError, OSError) as exc:
            log.info("%s: incline %g %% not written: %s", self._label(), value, exc)
            return False
        if answer is None or not answer.ok:
            self._incline_ok, self._incline_told = False, True
            reason = "no answer" if answer is None else answer.reason
            self._event("incline_refused", f"{self._label()}: incline {value:g} %: {reason}; "
                                           "the speed is still set, the grade is the athlete's")
            return True
        self.incline = value
        return True

    async def _last_word(self, client: BleakClient) -> None:
        if self._controllable and self._started:
            await self._command(client, cp.stop_or_pause(pause=True))

    def _link_lost(self) -> None:
        self._controllable = self._started = False
        self.target = self.incline = None
        if self._response is not None and not self._response.done():
            self._response.set_exception(BleakError("link lost"))

    # --- notifications ---------------------------------------------------------------------
    def _on_data(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        assert self.machine is not None
        try:
            reading = parse_machine_data(self.machine, data)
        except MalformedMachineData as exc:
            self.malformed += 1
            self._bad_in_a_row += 1
            log.warning("%s sent malformed data (%s): %s", self._label(), exc, bytes(data).hex())
            if self._bad_in_a_row == MALFORMED_IN_A_ROW:
                self._event("malformed", f"{self._label()}: {exc}")
                self._set_detail(f"the machine sends malformed data ({exc})")
            return
        if self._bad_in_a_row >= MALFORMED_IN_A_ROW:
            self._set_detail("")
        self._bad_in_a_row = 0
        value = _effort_of(reading, self.unit)
        if value is None:
            return  # the other half of a split notification
        self._queue.append(EffortSample(
            self._clock.now_s(), value, self.unit, self.source_id,
            target=self.target if self.controllable else None,
            incline_pct=reading.incline_pct, cadence_rpm=reading.cadence_rpm))

    def _on_control_point(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        try:
            answer = cp.parse_control_response(data)
        except cp.MalformedFtms as exc:
            log.warning("%s: %s", self._label(), exc)
            return
        self.responses.append(answer)
        if self._response is not None and not self._response.done():
            self._response.set_result(answer)

    def _on_training_status(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        with contextlib.suppress(cp.MalformedFtms):
            status, text = cp.parse_training_status(data)
            self.training_status = f"{status}: {text}" if text else status

    def _on_machine_status(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        try:
            status = cp.parse_machine_status(data)
        except cp.MalformedFtms as exc:
            log.warning("%s: %s", self._label(), exc)
            return
        if status.opcode == 0xFF and self._controllable:
            self._controllable = False
            self._event("control_lost", f"{self._label()}: control permission lost")
            self._set_detail("cues only: the machine took control back")
        elif status.opcode in (0x02, 0x03):
            self._event("status", f"{self._label()}: {status.what}")

    # --- helpers ---------------------------------------------------------------------------
    def _set_detail(self, note: str) -> None:
        self.detail = note
        if note:
            log.info("%s: %s", self._label(), note)

    def _range_text(self) -> str:
        r = self._range
        return "none" if r is None else f"{r.low:g}-{r.high:g} {r.unit}, step {r.step:g}"


def _effort_of(reading: MachineData, unit: EffortUnit) -> float | None:
    return reading.speed_kmh if unit == "km/h" else reading.power_w
