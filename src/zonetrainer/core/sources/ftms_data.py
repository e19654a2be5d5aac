"""Fitness Machine Service (FTMS, 0x1826) machine data: Treadmill Data 0x2ACD, Cross Trainer
Data 0x2ACE, Rower Data 0x2AD1 and Indoor Bike Data 0x2AD2, from the field layouts of the
Bluetooth SIG's FTMS 1.0 specification (section 4.9-4.11, 4.16).

Each characteristic is a little-endian flags field followed by the fields whose flag bit is
set, in bit order. Bit 0 is "More Data" and works the other way round: when it is 0 the first
field (instantaneous speed, or the rower's stroke rate and count) is present. The layouts are
tables (:data:`LAYOUTS`) so the parser and the tests read the same list of fields.

Why our own code and not ``pyftms``: see the README, "Connecting a fitness machine".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

TREADMILL_DATA_UUID: Final = "00002acd-0000-1000-8000-00805f9b34fb"
CROSS_TRAINER_DATA_UUID: Final = "00002ace-0000-1000-8000-00805f9b34fb"
ROWER_DATA_UUID: Final = "00002ad1-0000-1000-8000-00805f9b34fb"
INDOOR_BIKE_DATA_UUID: Final = "00002ad2-0000-1000-8000-00805f9b34fb"

MachineKind = Literal["treadmill", "cross_trainer", "rower", "indoor_bike"]

DATA_UUIDS: Final[dict[MachineKind, str]] = {
    "treadmill": TREADMILL_DATA_UUID, "cross_trainer": CROSS_TRAINER_DATA_UUID,
    "rower": ROWER_DATA_UUID, "indoor_bike": INDOOR_BIKE_DATA_UUID}


class MalformedMachineData(ValueError):
    """The bytes are not valid FTMS machine data (too short for the fields its flags name)."""


# (name, struct size in bytes, signed, scale); a name of "" is read (to move on) but not kept.
_Field = tuple[str, int, bool, float]
_U8, _U16, _S16, _U24 = (1, False), (2, False), (2, True), (3, False)


def _f(name: str, kind: tuple[int, bool], scale: float = 1.0) -> _Field:
    return (name, kind[0], kind[1], scale)


_ENERGY = (_f("", _U16), _f("", _U16), _f("", _U8))  # total kcal, kcal/h, kcal/min

#: Per machine: flag-field size in bytes, then (bit, fields present when set) in bit order.
LAYOUTS: Final[dict[MachineKind, tuple[int, tuple[tuple[int, tuple[_Field, ...]], ...]]]] = {
    "treadmill": (2, (
        (0, (_f("speed_kmh", _U16, 0.01),)),
        (1, (_f("", _U16),)),  # average speed
        (2, (_f("distance_m", _U24),)),
        (3, (_f("incline_pct", _S16, 0.1), _f("", _S16))),  # inclination, ramp angle
        (4, (_f("", _U16), _f("", _U16))),  # elevation gain +/-
        (5, (_f("", _U8),)),  # instantaneous pace, 0.1 km/min
        (6, (_f("", _U8),)),  # average pace
        (7, _ENERGY),
        (8, (_f("hr_bpm", _U8),)),
        (9, (_f("", _U8),)),  # metabolic equivalent
        (10, (_f("elapsed_s", _U16),)),
        (11, (_f("", _U16),)),  # remaining time
        (12, (_f("", _S16), _f("power_w", _S16))),  # force on belt, power output
    )),
    "cross_trainer": (3, (
        (0, (_f("speed_kmh", _U16, 0.01),)),
        (1, (_f("", _U16),)),
        (2, (_f("distance_m", _U24),)),
        (3, (_f("cadence_rpm", _U16), _f("", _U16))),  # steps per minute, average step rate
        (4, (_f("", _U16),)),  # stride count
        (5, (_f("", _U16), _f("", _U16))),
        (6, (_f("incline_pct", _S16, 0.1), _f("", _S16))),
        (7, (_f("", _S16),)),  # resistance level
        (8, (_f("power_w", _S16),)),
        (9, (_f("", _S16),)),  # average power
        (10, _ENERGY),
        (11, (_f("hr_bpm", _U8),)),
        (12, (_f("", _U8),)),
        (13, (_f("elapsed_s", _U16),)),
        (14, (_f("", _U16),)),
    )),  # bit 15 (movement direction) is a flag without a field
    "rower": (2, (
        (0, (_f("cadence_rpm", _U8, 0.5), _f("", _U16))),  # stroke rate, stroke count
        (1, (_f("", _U8),)),
        (2, (_f("distance_m", _U24),)),
        (3, (_f("", _U16),)),  # instantaneous pace, s per 500 m
        (4, (_f("", _U16),)),
        (5, (_f("power_w", _S16),)),
        (6, (_f("", _S16),)),
        (7, (_f("", _S16),)),
        (8, _ENERGY),
        (9, (_f("hr_bpm", _U8),)),
        (10, (_f("", _U8),)),
        (11, (_f("elapsed_s", _U16),)),
        (12, (_f("", _U16),)),
    )),
    "indoor_bike": (2, (
        (0, (_f("speed_kmh", _U16, 0.01),)),
        (1, (_f("", _U16),)),
        (2, (_f("cadence_rpm", _U16, 0.5),)),
        (3, (_f("", _U16),)),
        (4, (_f("distance_m", _U24),)),
        (5, (_f("", _S16),)),  # resistance level
        (6, (_f("power_w", _S16),)),
        (7, (_f("", _S16),)),
        (8, _ENERGY),
        (9, (_f("hr_bpm", _U8),)),
        (10, (_f("", _U8),)),
        (11, (_f("elapsed_s", _U16),)),
        (12, (_f("", _U16),)),
    )),
}


@dataclass(frozen=True, slots=True)
class MachineData:
    """What one machine-data notification told; None for a field it did not carry."""

    kind: MachineKind
    more_data: bool  # the first field follows in a later notification
    speed_kmh: float | None = None
    incline_pct: float | None = None
    cadence_rpm: float | None = None  # bike cadence, steps or strokes per minute
    power_w: float | None = None
    hr_bpm: int | None = None
    distance_m: int | None = None
    elapsed_s: int | None = None


def read_field(data: bytes, pos: int, size: int, signed: bool, what: str) -> int:
    """The little-endian integer of ``size`` bytes at ``pos``; MalformedMachineData past the end."""
    if pos + size > len(data):
        raise MalformedMachineData(f"{what}: {len(data)} bytes end before its fields do "
                                   f"(need {pos + size})")
    return int.from_bytes(data[pos:pos + size], "little", signed=signed)


def parse_machine_data(kind: MachineKind, data: bytes | bytearray) -> MachineData:
    """Parse one notification of ``kind``'s data characteristic.

    Raises :class:`MalformedMachineData` when it ends before the fields its flags promise.
    Bytes after the last promised field are ignored: later spec versions append fields.
    """
    data = bytes(data)
    flags_size, layout = LAYOUTS[kind]
    what = f"{kind.replace('_', ' ')} data"
    flags = read_field(data, 0, flags_size, False, what)
    more_data = bool(flags & 1)
    pos = flags_size
    values: dict[str, float] = {}
    for bit, fields in layout:
        present = not more_data if bit == 0 else bool(flags >> bit & 1)
        if not present:
            continue
        for name, size, signed, scale in fields:
            raw = read_field(data, pos, size, signed, what)
            pos += size
            if name:
                values[name] = raw * scale
    hr = values.get("hr_bpm")
    distance, elapsed = values.get("distance_m"), values.get("elapsed_s")
    return MachineData(
        kind=kind, more_data=more_data, speed_kmh=_rounded(values.get("speed_kmh")),
        incline_pct=_rounded(values.get("incline_pct")),
        cadence_rpm=_rounded(values.get("cadence_rpm")), power_w=values.get("power_w"),
        hr_bpm=int(hr) if hr else None,  # 0 means "no heart rate" on most machines
        distance_m=None if distance is None else int(distance),
        elapsed_s=None if elapsed is None else int(elapsed))


def _rounded(value: float | None) -> float | None:
    # 0.01-unit fields: 1234 * 0.01 is 12.340000000000002 in binary; keep what was sent
    return None if value is None else round(value, 2)
