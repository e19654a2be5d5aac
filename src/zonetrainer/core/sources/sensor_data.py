"""Effort sensors: Cycling Power Measurement (0x2A63, service 0x1818) and RSC Measurement
(0x2A53, Running Speed and Cadence 0x1814), from the Bluetooth SIG's CPS 1.1 and RSCS 1.0
field layouts.

0x2A63: uint16 flags, sint16 instantaneous power (W), then the optional fields in bit order.
0x2A53: uint8 flags, uint16 speed (1/256 m/s), uint8 cadence (1/min), then stride length
(uint16, 1/100 m, bit 0) and total distance (uint32, 1/10 m, bit 1); bit 2 is "running".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

CPS_SERVICE_UUID: Final = "00001818-0000-1000-8000-00805f9b34fb"
CYCLING_POWER_UUID: Final = "00002a63-0000-1000-8000-00805f9b34fb"
RSC_SERVICE_UUID: Final = "00001814-0000-1000-8000-00805f9b34fb"
RSC_MEASUREMENT_UUID: Final = "00002a53-0000-1000-8000-00805f9b34fb"

#: 0x2A63 optional fields: (flag bit, bytes). Bits 1, 3 and 12 are flags without a field.
CPS_FIELDS: Final = ((0, 1),  # pedal power balance, 1/2 %
                     (2, 2),  # accumulated torque, 1/32 N m
                     (4, 6),  # wheel revolutions uint32, last wheel event uint16 (1/2048 s)
                     (5, 4),  # crank revolutions uint16, last crank event uint16 (1/1024 s)
                     (6, 4),  # extreme force magnitudes: max, min sint16
                     (7, 4),  # extreme torque magnitudes
                     (8, 3),  # extreme angles, 12 + 12 bits
                     (9, 2),  # top dead spot angle
                     (10, 2),  # bottom dead spot angle
                     (11, 2))  # accumulated energy, kJ
CRANK_BIT: Final = 5


class MalformedSensorData(ValueError):
    """The bytes are not a valid 0x2A63 or 0x2A53 measurement."""


@dataclass(frozen=True, slots=True)
class PowerReading:
    power_w: int
    crank_revs: int | None = None  # cumulative, wraps at 2**16
    crank_event_s: float | None = None  # last crank event, wraps at 64 s


@dataclass(frozen=True, slots=True)
class StrideReading:
    speed_kmh: float
    cadence_spm: int  # steps per minute (RSCS "cadence", 1/min)
    running: bool
    stride_m: float | None = None
    distance_m: float | None = None


def _int(data: bytes, pos: int, size: int, signed: bool, what: str) -> int:
    if pos + size > len(data):
        raise MalformedSensorData(f"{what}: {len(data)} bytes end before its fields do "
                                  f"(need {pos + size})")
    return int.from_bytes(data[pos:pos + size], "little", signed=signed)


def parse_cycling_power(data: bytes | bytearray) -> PowerReading:
    data = bytes(data)
    what = "cycling power measurement"
    flags = _int(data, 0, 2, False, what)
    power = _int(data, 2, 2, True, what)
    pos = 4
    crank: tuple[int, float] | None = None
    for bit, size in CPS_FIELDS:
        if not flags >> bit & 1:
            continue
        if bit == CRANK_BIT:
            crank = (_int(data, pos, 2, False, what), _int(data, pos + 2, 2, False, what) / 1024)
        _int(data, pos, size, False, what)  # present in full, or malformed
        pos += size
    return PowerReading(power, *(crank if crank else (None, None)))


def parse_rsc(data: bytes | bytearray) -> StrideReading:
    data = bytes(data)
    what = "RSC measurement"
    flags = _int(data, 0, 1, False, what)
    speed_kmh = round(_int(data, 1, 2, False, what) / 256 * 3.6, 2)
    cadence = _int(data, 3, 1, False, what)
    pos = 4
    stride = distance = None
    if flags & 0x01:
        stride = _int(data, pos, 2, False, what) / 100
        pos += 2
    if flags & 0x02:
        distance = _int(data, pos, 4, False, what) / 10
    return StrideReading(speed_kmh, cadence, bool(flags & 0x04), stride, distance)


def crank_cadence_rpm(previous: PowerReading, now: PowerReading) -> float | None:
    """Cadence from two readings' crank data (None without it or without a new event)."""
    if (previous.crank_revs is None or now.crank_revs is None
            or previous.crank_event_s is None or now.crank_event_s is None):
        return None
    revs = (now.crank_revs - previous.crank_revs) % 0x10000
    dt_s = (now.crank_event_s - previous.crank_event_s) % 64.0
    if revs == 0 or dt_s <= 0:
        return None
    return round(revs / dt_s * 60.0, 1)
