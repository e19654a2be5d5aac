"""FTMS (0x1826), Cycling Power (0x2A63) and RSC (0x2A53) codecs: tables of bytes built from
the specifications' field layouts, and 10^5 random payloads per parser that each give a value
or a typed rejection, never another exception."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import numpy as np
import pytest

from zonetrainer.core.sources import ftms_control as cp
from zonetrainer.core.sources.base import EffortRange
from zonetrainer.core.sources.ftms_data import (
    LAYOUTS,
    MachineData,
    MalformedMachineData,
    parse_machine_data,
)
from zonetrainer.core.sources.sensor_data import (
    MalformedSensorData,
    PowerReading,
    crank_cadence_rpm,
    parse_cycling_power,
    parse_rsc,
)


def u16(v: int) -> bytes:
    return struct.pack("<H", v)


def s16(v: int) -> bytes:
    return struct.pack("<h", v)


@pytest.mark.parametrize(("kind", "data", "expected"), [
    # treadmill: speed 9.45 km/h only
    ("treadmill", u16(0x0000) + u16(945), MachineData("treadmill", False, speed_kmh=9.45)),
    # treadmill: speed, distance 1234 m, inclination 2.5 % and ramp angle, HR 141, elapsed 600 s
    ("treadmill", u16(0x0001 << 2 | 1 << 3 | 1 << 8 | 1 << 10) + u16(1000)
     + (1234).to_bytes(3, "little") + s16(25) + s16(14) + bytes([141]) + u16(600),
     MachineData("treadmill", False, speed_kmh=10.0, incline_pct=2.5, hr_bpm=141,
                 distance_m=1234, elapsed_s=600)),
    # treadmill: more data (no speed), every field from bit 1 to bit 12
    ("treadmill", u16(0x1FFF) + u16(1) + b"\x01\x00\x00" + s16(-10) + s16(0) + u16(0) + u16(0)
     + bytes([5, 6]) + u16(1) + u16(2) + bytes([3]) + bytes([0]) + bytes([40]) + u16(9)
     + u16(8) + s16(120) + s16(230),
     MachineData("treadmill", True, incline_pct=-1.0, power_w=230, distance_m=1, elapsed_s=9)),
    # indoor bike: speed 30.5 km/h, cadence 90 rpm (180 half-rpm), power 215 W
    ("indoor_bike", u16(1 << 2 | 1 << 6) + u16(3050) + u16(180) + s16(215),
     MachineData("indoor_bike", False, speed_kmh=30.5, cadence_rpm=90.0, power_w=215)),
    # indoor bike: negative power (a trainer braking), HR 0 means none
    ("indoor_bike", u16(1 << 6 | 1 << 9) + u16(0) + s16(-5) + bytes([0]),
     MachineData("indoor_bike", False, speed_kmh=0.0, power_w=-5)),
    # cross trainer: 24-bit flags; speed, step rate 120 and average, power 180 W, backwards
    ("cross_trainer", (1 << 3 | 1 << 8 | 1 << 15).to_bytes(3, "little") + u16(800) + u16(120)
     + u16(110) + s16(180),
     MachineData("cross_trainer", False, speed_kmh=8.0, cadence_rpm=120, power_w=180)),
    # rower: stroke rate 26 spm (52 half), count 400, power 190 W
    ("rower", u16(1 << 5) + bytes([52]) + u16(400) + s16(190),
     MachineData("rower", False, cadence_rpm=26.0, power_w=190)),
    # rower: more data: pace fields only
    ("rower", u16(0x0001 | 1 << 3 | 1 << 4) + u16(125) + u16(130),
     MachineData("rower", True)),
    # trailing bytes after the promised fields: ignored (later versions append fields)
    ("treadmill", u16(0) + u16(500) + b"\xff\xff", MachineData("treadmill", False,
                                                              speed_kmh=5.0)),
])
def test_known_machine_data(kind: str, data: bytes, expected: MachineData) -> None:
    assert parse_machine_data(kind, data) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "data", "message"), [
    ("treadmill", b"", "treadmill data: 0 bytes end before its fields do (need 2)"),
    ("treadmill", u16(0) + b"\x01", "treadmill data: 3 bytes end before its fields do (need 4)"),
    ("indoor_bike", u16(1 << 6) + u16(100), "indoor bike data: 4 bytes end before its fields"),
    ("cross_trainer", u16(0), "cross trainer data: 2 bytes end before its fields do (need 3)"),
    ("rower", u16(0) + bytes([20]), "rower data: 3 bytes end before its fields do (need 5)"),
])
def test_short_machine_data_is_rejected_with_a_reason(kind: str, data: bytes,
                                                      message: str) -> None:
    with pytest.raises(MalformedMachineData, match="^" + message.replace("(", r"\(")
                       .replace(")", r"\)")):
        parse_machine_data(kind, data)  # type: ignore[arg-type]


def test_layouts_list_each_bit_once_in_order() -> None:
    for _kind, (_size, layout) in LAYOUTS.items():
        bits = [bit for bit, _ in layout]
        assert bits == sorted(set(bits)) and bits[0] == 0


def test_features_ranges_and_status() -> None:
    features = cp.parse_features(struct.pack("<II", 0x0000_4008, 0b1001))
    assert features.accepts(cp.TARGET_SPEED_BIT) and features.accepts(cp.TARGET_POWER_BIT)
    assert not features.accepts(cp.TARGET_INCLINE_BIT)
    assert cp.parse_speed_range(u16(100) + u16(2000) + u16(10)) == EffortRange(1.0, 20.0, 0.1,
                                                                               "km/h")
    assert cp.parse_power_range(s16(-10) + s16(1500) + u16(1)) == EffortRange(-10, 1500, 1, "W")
    assert cp.parse_incline_range(s16(-30) + s16(150) + u16(5)) == (-3.0, 15.0, 0.5)
    assert cp.parse_training_status(bytes([0x00, 0x0D])) == ("manual mode (quick start)", "")
    assert cp.parse_training_status(bytes([0x01, 0x04]) + b"Hill 3") == (
        "high intensity interval", "Hill 3")
    assert cp.parse_machine_status(bytes([0x05]) + u16(1050)) == cp.MachineStatus(
        0x05, "target speed changed", 10.5)
    assert cp.parse_machine_status(bytes([0x08]) + s16(-20)) == cp.MachineStatus(
        0x08, "target power changed", -20)
    assert cp.parse_machine_status(bytes([0xFF])).what == "control permission lost"
    assert cp.parse_machine_status(bytes([0x42])).what == "machine status 0x42"


@pytest.mark.parametrize(("parse", "data", "message"), [
    (cp.parse_features, b"\x00" * 7, "fitness machine feature: 7 bytes, need at least 8"),
    (cp.parse_speed_range, u16(2000) + u16(100) + u16(10),
     "supported speed range: minimum 20 above maximum 1"),
    (cp.parse_power_range, s16(0) + s16(100) + u16(0), "supported power range: minimum incr"),
    (cp.parse_speed_range, u16(1), "supported speed range: 2 bytes, need at least 4"),
    (cp.parse_machine_status, bytes([0x05, 0x01]), "target speed changed: 2 bytes, need"),
    (cp.parse_control_response, bytes([0x02, 0x00, 0x01]), "control point indication 0x02 is"),
    (cp.parse_control_response, bytes([0x80, 0x00]), "control point response: 2 bytes"),
    (cp.parse_training_status, b"", "training status: 0 bytes"),
])
def test_bad_ftms_bytes_are_rejected_with_a_reason(parse: Callable[[bytes], object],
                                                   data: bytes, message: str) -> None:
    with pytest.raises(cp.MalformedFtms, match="^" + message):
        parse(data)


def test_control_point_encoding_and_responses() -> None:
    assert cp.request_control() == b"\x00"
    assert cp.start_or_resume() == b"\x07"
    assert cp.stop_or_pause() == b"\x08\x01" and cp.stop_or_pause(pause=True) == b"\x08\x02"
    assert cp.set_target_speed(9.4) == b"\x02" + u16(940)  # 0.01 km/h
    assert cp.set_target_incline(-1.5) == b"\x03" + s16(-15)  # 0.1 %
    assert cp.set_target_power(180) == b"\x05" + s16(180)  # W
    assert cp.set_target("km/h", 12.345) == b"\x02" + u16(1234)  # rounds to the field's unit
    with pytest.raises(ValueError, match=r"outside 0-655\.35"):
        cp.set_target_speed(-1.0)
    ok = cp.parse_control_response(bytes([0x80, 0x02, 0x01]))
    assert ok.ok and ok.request_opcode == 0x02 and ok.reason == "success"
    refused = cp.parse_control_response(bytes([0x80, 0x00, 0x05]))
    assert not refused.ok and refused.reason == "control not permitted"
    assert cp.parse_control_response(bytes([0x80, 0x05, 0x03])).reason == "invalid parameter"
    assert cp.parse_control_response(bytes([0x80, 0x05, 0x09])).reason == "result code 0x09"


def test_cycling_power_and_rsc() -> None:
    # flags: balance (bit 0), crank data (bit 5), accumulated energy (bit 11)
    data = u16(1 | 1 << 5 | 1 << 11) + s16(245) + bytes([100]) + u16(1000) + u16(2048) + u16(7)
    assert parse_cycling_power(data) == PowerReading(245, 1000, 2.0)
    # wheel data (bit 4) before crank data: 6 bytes skipped
    data = u16(1 << 4 | 1 << 5) + s16(100) + bytes(6) + u16(5) + u16(1024)
    assert parse_cycling_power(data) == PowerReading(100, 5, 1.0)
    assert parse_cycling_power(u16(0) + s16(-3)) == PowerReading(-3)
    # 90 rpm: 3 revolutions in 2 s; the counters wrap
    assert crank_cadence_rpm(PowerReading(0, 0xFFFF, 63.0), PowerReading(0, 2, 1.0)) == 90.0
    assert crank_cadence_rpm(PowerReading(0, 5, 1.0), PowerReading(0, 5, 1.0)) is None
    assert crank_cadence_rpm(PowerReading(0), PowerReading(0, 5, 1.0)) is None
    # RSC: 3.0 m/s = 10.8 km/h, 172 steps/min, stride 1.05 m, distance 1234.5 m, running
    rsc = parse_rsc(bytes([0x07]) + u16(768) + bytes([172]) + u16(105)
                    + struct.pack("<I", 12345))
    assert (rsc.speed_kmh, rsc.cadence_spm, rsc.running, rsc.stride_m, rsc.distance_m) == (
        10.8, 172, True, 1.05, 1234.5)
    walk = parse_rsc(bytes([0x00]) + u16(384) + bytes([110]))
    assert (walk.speed_kmh, walk.running, walk.stride_m) == (5.4, False, None)


@pytest.mark.parametrize(("parse", "data", "message"), [
    (parse_cycling_power, u16(0) + b"\x01", "cycling power measurement: 3 bytes end before"),
    (parse_cycling_power, u16(1 << 5) + s16(1) + u16(1), "cycling power measurement: 6 bytes"),
    (parse_rsc, bytes([0x00, 0x01, 0x00]), "RSC measurement: 3 bytes end before its fields"),
    (parse_rsc, bytes([0x02]) + u16(1) + bytes([1, 0, 0]), "RSC measurement: 6 bytes end"),
])
def test_bad_sensor_bytes_are_rejected_with_a_reason(parse: Callable[[bytes], object],
                                                     data: bytes, message: str) -> None:
    with pytest.raises(MalformedSensorData, match="^" + message):
        parse(data)


PARSERS: list[tuple[str, Callable[[bytes], object], type[ValueError]]] = [
    *((f"{kind} data", (lambda k: lambda d: parse_machine_data(k, d))(kind),
       MalformedMachineData) for kind in LAYOUTS),
    ("feature", cp.parse_features, cp.MalformedFtms),
    ("speed range", cp.parse_speed_range, cp.MalformedFtms),
    ("incline range", cp.parse_incline_range, cp.MalformedFtms),
    ("power range", cp.parse_power_range, cp.MalformedFtms),
    ("training status", cp.parse_training_status, cp.MalformedFtms),
    ("machine status", cp.parse_machine_status, cp.MalformedFtms),
    ("control response", cp.parse_control_response, cp.MalformedFtms),
    ("cycling power", parse_cycling_power, MalformedSensorData),
    ("rsc", parse_rsc, MalformedSensorData),
]


@pytest.mark.parametrize(("name", "parse", "error"), PARSERS, ids=[p[0] for p in PARSERS])
def test_random_payloads_give_a_value_or_a_typed_rejection(
        name: str, parse: Callable[[bytes], object], error: type[ValueError]) -> None:
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    lengths = rng.integers(0, 40, size=100_000)
    blob = rng.integers(0, 256, size=int(lengths.sum()), dtype=np.uint8).tobytes()
    parsed = rejected = pos = 0
    for n in lengths:
        data = blob[pos:pos + n]
        pos += n
        try:
            parse(data)
        except error as exc:
            assert str(exc)  # a reason, never an empty message
            rejected += 1
        else:
            parsed += 1
    assert parsed + rejected == 100_000
    assert rejected > 0  # the random lengths include short ones
