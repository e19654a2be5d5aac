"""FTMS (0x1826) features, ranges, status and the Fitness Machine Control Point, from the
Bluetooth SIG's FTMS 1.0 specification (sections 4.3-4.17).

Parsers raise :class:`MalformedFtms` with the reason; encoders return the bytes to write.
A control point write is answered by an indication ``0x80, request opcode, result code``;
only result 0x01 is success.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from zonetrainer.core.model import EffortUnit
from zonetrainer.core.sources.base import EffortRange

FTMS_SERVICE_UUID: Final = "00001826-0000-1000-8000-00805f9b34fb"
FEATURE_UUID: Final = "00002acc-0000-1000-8000-00805f9b34fb"
TRAINING_STATUS_UUID: Final = "00002ad3-0000-1000-8000-00805f9b34fb"
SPEED_RANGE_UUID: Final = "00002ad4-0000-1000-8000-00805f9b34fb"
INCLINE_RANGE_UUID: Final = "00002ad5-0000-1000-8000-00805f9b34fb"
POWER_RANGE_UUID: Final = "00002ad8-0000-1000-8000-00805f9b34fb"
CONTROL_POINT_UUID: Final = "00002ad9-0000-1000-8000-00805f9b34fb"
MACHINE_STATUS_UUID: Final = "00002ada-0000-1000-8000-00805f9b34fb"

# Control point opcodes (FTMS 4.16.1, table 4.15)
REQUEST_CONTROL: Final = 0x00
RESET: Final = 0x01
SET_TARGET_SPEED: Final = 0x02
SET_TARGET_INCLINE: Final = 0x03
SET_TARGET_POWER: Final = 0x05
START_RESUME: Final = 0x07
STOP_PAUSE: Final = 0x08
RESPONSE: Final = 0x80

#: Result codes of a control point response (FTMS 4.16.2.22, table 4.24).
RESULTS: Final = {0x01: "success", 0x02: "op code not supported", 0x03: "invalid parameter",
                  0x04: "operation failed", 0x05: "control not permitted"}
SUCCESS: Final = 0x01
CONTROL_NOT_PERMITTED: Final = 0x05

#: Target Setting Features bits (FTMS 4.3.1.2): what the machine accepts as a target.
TARGET_SPEED_BIT: Final = 0
TARGET_INCLINE_BIT: Final = 1
TARGET_POWER_BIT: Final = 3

#: Training Status values (FTMS 4.10.1.2).
TRAINING_STATUS: Final = {
    0x00: "other", 0x01: "idle", 0x02: "warming up", 0x03: "low intensity interval",
    0x04: "high intensity interval", 0x05: "recovery interval", 0x06: "isometric",
    0x07: "heart rate control", 0x08: "fitness test", 0x09: "speed outside control region (low)",
    0x0A: "speed outside control region (high)", 0x0B: "cool down", 0x0C: "watt control",
    0x0D: "manual mode (quick start)", 0x0E: "pre-workout", 0x0F: "post-workout"}

#: Machine Status opcodes (FTMS 4.17, table 4.26), with their parameter (size, signed, scale).
MACHINE_STATUS: Final[dict[int, tuple[str, tuple[int, bool, float] | None]]] = {
    0x01: ("reset", None), 0x02: ("stopped or paused by the user", (1, False, 1.0)),
    0x03: ("stopped by the safety key", None), 0x04: ("started or resumed by the user", None),
    0x05: ("target speed changed", (2, False, 0.01)),
    0x06: ("target incline changed", (2, True, 0.1)),
    0x07: ("target resistance changed", (1, False, 0.1)),
    0x08: ("target power changed", (2, True, 1.0)),
    0x09: ("target heart rate changed", (1, False, 1.0)),
    0xFF: ("control permission lost", None)}


class MalformedFtms(ValueError):
    """FTMS bytes that do not fit the specification (too short, unknown opcode, bad range)."""


@dataclass(frozen=True, slots=True)
class MachineFeatures:
    """Fitness Machine Feature (0x2ACC): two 32-bit fields of flags."""

    machine_bits: int
    target_bits: int

    def accepts(self, bit: int) -> bool:
        return bool(self.target_bits >> bit & 1)


@dataclass(frozen=True, slots=True)
class ControlResponse:
    """One control point indication: the answer to ``request_opcode``."""

    request_opcode: int
    result: int

    @property
    def ok(self) -> bool:
        return self.result == SUCCESS

    @property
    def reason(self) -> str:
        return RESULTS.get(self.result, f"result code 0x{self.result:02x}")


@dataclass(frozen=True, slots=True)
class MachineStatus:
    """One Machine Status notification (0x2ADA): what happened, and its value if it has one."""

    opcode: int
    what: str
    value: float | None = None


def _int(data: bytes, pos: int, size: int, signed: bool, what: str) -> int:
    if pos + size > len(data):
        raise MalformedFtms(f"{what}: {len(data)} bytes, need at least {pos + size}")
    return int.from_bytes(data[pos:pos + size], "little", signed=signed)


def parse_features(data: bytes | bytearray) -> MachineFeatures:
    data = bytes(data)
    return MachineFeatures(_int(data, 0, 4, False, "fitness machine feature"),
                           _int(data, 4, 4, False, "fitness machine feature"))


def _range(data: bytes | bytearray, signed: bool, scale: float, what: str,
           ) -> tuple[float, float, float]:
    data = bytes(data)
    low = _int(data, 0, 2, signed, what) * scale
    high = _int(data, 2, 2, signed, what) * scale
    step = _int(data, 4, 2, False, what) * scale
    if not low <= high:
        raise MalformedFtms(f"{what}: minimum {low:g} above maximum {high:g}")
    if step <= 0:
        raise MalformedFtms(f"{what}: minimum increment is 0")
    return round(low, 2), round(high, 2), round(step, 2)


def parse_speed_range(data: bytes | bytearray) -> EffortRange:
    """Supported Speed Range (0x2AD4): uint16 min, max, increment in 0.01 km/h."""
    return _effort_range(_range(data, False, 0.01, "supported speed range"), "km/h")


def parse_power_range(data: bytes | bytearray) -> EffortRange:
    """Supported Power Range (0x2AD8): sint16 min, sint16 max, uint16 increment in W."""
    return _effort_range(_range(data, True, 1.0, "supported power range"), "W")


def parse_incline_range(data: bytes | bytearray) -> tuple[float, float, float]:
    """Supported Inclination Range (0x2AD5): sint16 min, max and uint16 increment, 0.1 %."""
    return _range(data, True, 0.1, "supported inclination range")


def clamp_incline(incline_range: tuple[float, float, float], incline_pct: float) -> float:
    """The nearest grade a treadmill supports: inside its range, on its step grid from the
    minimum (as :meth:`EffortRange.clamp` does for speed)."""
    low, high, step = incline_range
    inside = min(high, max(low, incline_pct))
    return round(min(high, low + round((inside - low) / step) * step), 1)


def _effort_range(values: tuple[float, float, float], unit: EffortUnit) -> EffortRange:
    return EffortRange(values[0], values[1], values[2], unit)


def parse_training_status(data: bytes | bytearray) -> tuple[str, str]:
    """Training Status (0x2AD3): the status name and the machine's own text (may be empty)."""
    data = bytes(data)
    flags = _int(data, 0, 1, False, "training status")
    code = _int(data, 1, 1, False, "training status")
    text = ""
    if flags & 0x01:
        text = data[2:].decode("utf-8", errors="replace")
    return TRAINING_STATUS.get(code, f"status 0x{code:02x}"), text


def parse_machine_status(data: bytes | bytearray) -> MachineStatus:
    data = bytes(data)
    opcode = _int(data, 0, 1, False, "machine status")
    if opcode not in MACHINE_STATUS:
        return MachineStatus(opcode, f"machine status 0x{opcode:02x}")
    what, param = MACHINE_STATUS[opcode]
    if param is None:
        return MachineStatus(opcode, what)
    size, signed, scale = param
    return MachineStatus(opcode, what, round(_int(data, 1, size, signed, what) * scale, 2))


def parse_control_response(data: bytes | bytearray) -> ControlResponse:
    """A control point indication; MalformedFtms unless it is ``0x80, opcode, result``."""
    data = bytes(data)
    if _int(data, 0, 1, False, "control point response") != RESPONSE:
        raise MalformedFtms(f"control point indication 0x{data[0]:02x} is not a response (0x80)")
    return ControlResponse(_int(data, 1, 1, False, "control point response"),
                           _int(data, 2, 1, False, "control point response"))


# --- encoders ---------------------------------------------------------------------------------
def request_control() -> bytes:
    return bytes([REQUEST_CONTROL])


def start_or_resume() -> bytes:
    return bytes([START_RESUME])


def stop_or_pause(pause: bool = False) -> bytes:
    return bytes([STOP_PAUSE, 0x02 if pause else 0x01])


def set_target_speed(speed_kmh: float) -> bytes:
    """Target speed in 0.01 km/h (uint16)."""
    raw = round(speed_kmh * 100)
    if not 0 <= raw <= 0xFFFF:
        raise ValueError(f"target speed {speed_kmh:g} km/h is outside 0-655.35")
    return bytes([SET_TARGET_SPEED]) + raw.to_bytes(2, "little")


def set_target_incline(incline_pct: float) -> bytes:
    """Target inclination in 0.1 % (sint16)."""
    raw = round(incline_pct * 10)
    if not -0x8000 <= raw <= 0x7FFF:
        raise ValueError(f"target incline {incline_pct:g} % is outside the sint16 range")
    return bytes([SET_TARGET_INCLINE]) + raw.to_bytes(2, "little", signed=True)


def set_target_power(power_w: float) -> bytes:
    """Target power in W (sint16)."""
    raw = round(power_w)
    if not -0x8000 <= raw <= 0x7FFF:
        raise ValueError(f"target power {power_w:g} W is outside the sint16 range")
    return bytes([SET_TARGET_POWER]) + raw.to_bytes(2, "little", signed=True)


def set_target(unit: EffortUnit, value: float) -> bytes:
    """The write that sets an effort target in ``unit``."""
    return set_target_speed(value) if unit == "km/h" else set_target_power(value)
