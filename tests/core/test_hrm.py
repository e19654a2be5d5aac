"""Heart Rate Measurement (0x2A37) parsing: tables of known bytes and properties over any bytes."""

from __future__ import annotations

import re
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonetrainer.core.signal import MalformedMeasurement, parse
from zonetrainer.core.signal import _hrm as hrm


def encode(hr: int, *, uint16: bool = False, contact: bool | None = None,
           energy_kj: int | None = None, rr_raw: list[int] | None = None) -> bytes:
    """Build a measurement the way a strap does, from the spec's field list."""
    flags = (0x01 if uint16 else 0) | (0x08 if energy_kj is not None else 0)
    flags |= 0x10 if rr_raw is not None else 0
    if contact is not None:
        flags |= 0x04 | (0x02 if contact else 0)
    out = bytes([flags]) + (struct.pack("<H", hr) if uint16 else struct.pack("<B", hr))
    if energy_kj is not None:
        out += struct.pack("<H", energy_kj)
    for rr in rr_raw or []:
        out += struct.pack("<H", rr)
    return out


@pytest.mark.parametrize(
    ("data", "hr_bpm", "rr_ms", "contact", "energy_kj"),
    [
        (bytes([0x00, 72]), 72.0, (), None, None),
        (bytes([0x01, 0x2C, 0x01]), 300.0, (), None, None),  # uint16 HR
        (bytes([0x06, 140]), 140.0, (), True, None),  # contact supported and detected
        (bytes([0x04, 140]), None, (), False, None),  # contact supported, not detected
        (bytes([0x02, 90]), 90.0, (), None, None),  # "detected" bit without "supported"
        (bytes([0x08, 100, 0x10, 0x27]), 100.0, (), None, 10000),
        (bytes([0x10, 60, 0x00, 0x04]), 60.0, (1000.0,), None, None),  # 1024/1024 s
        (bytes([0x10, 60, 0x00, 0x04, 0x00, 0x02]), 60.0, (1000.0, 500.0), None, None),
        (bytes([0x10, 60]), 60.0, (), None, None),  # RR flag, zero RR values
        (bytes([0x1F, 0x96, 0x00, 0x05, 0x00, 0x33, 0x01]), 150.0, (299.8046875,), True, 5),
        (bytes([0x16, 0, 0x00, 0x04]), None, (), True, None),  # 0 bpm: no beat, no RR
        (bytes([0x14, 80, 0x00, 0x04]), None, (), False, None),  # RR without contact dropped
        (bytes([0xE0, 65]), 65.0, (), None, None),  # reserved bits ignored
        (bytes([0x00, 65, 0xAA]), 65.0, (), None, None),  # trailing byte without RR flag
    ],
)
def test_known_measurements(data: bytes, hr_bpm: float | None, rr_ms: tuple[float, ...],
                            contact: bool | None, energy_kj: int | None) -> None:
    s = parse(data, 12.5, "strap-a")
    assert (s.hr_bpm, s.rr_ms, s.contact, s.energy_kj) == (hr_bpm, rr_ms, contact, energy_kj)
    assert (s.t_s, s.source_id) == (12.5, "strap-a")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (bytes([0x00]), "1 bytes; flags 0x00 need 2"),
        (bytes([0x01, 0x50]), "2 bytes; flags 0x01 need 3"),
        (bytes([0x08, 70, 0x01]), "3 bytes; flags 0x08 need 4"),
        (bytes([0x10, 70, 0x01]), "odd number of RR bytes (1)"),
        (bytes([0x19, 70, 0, 0, 0, 1, 2, 3]), "odd number of RR bytes (3)"),
    ],
)
def test_malformed_measurements_are_rejected_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(MalformedMeasurement, match=re.escape(message)):
        parse(data, 0.0, "x")
    assert issubclass(MalformedMeasurement, ValueError)


def test_accepts_bytearray_as_bleak_delivers_it() -> None:
    assert parse(bytearray([0x00, 61]), 1.0, "s").hr_bpm == 61.0


def _check_against_spec(data: bytes, t_s: float) -> None:
    """Parse ``data``; if accepted, check every field against the spec, read independently."""
    try:
        s = parse(data, t_s, "p")
    except MalformedMeasurement:
        flags = data[0] if data else 0
        need = 1 + (2 if flags & 1 else 1) + (2 if flags & 8 else 0)
        odd_rr = bool(flags & 0x10) and len(data) >= need and (len(data) - need) % 2 == 1
        assert not data or len(data) < need or odd_rr
        return
    flags = data[0]
    fmt = "<H" if flags & 0x01 else "<B"
    (hr,) = struct.unpack_from(fmt, data, 1)
    pos = 1 + struct.calcsize(fmt)
    energy = None
    if flags & 0x08:
        (energy,) = struct.unpack_from("<H", data, pos)
        pos += 2
    rr = [v * 1000.0 / 1024.0 for (v,) in struct.iter_unpack("<H", data[pos:])] \
        if flags & 0x10 else []
    contact = None if not flags & 0x04 else bool(flags & 0x02)
    live = hr != 0 and contact is not False
    assert s.contact == contact
    assert s.energy_kj == energy
    assert s.hr_bpm == (float(hr) if live else None)
    assert s.rr_ms == (tuple(rr) if live else ())
    assert s.t_s == t_s
    assert s.hr_bpm is None or s.hr_bpm > 0  # never a 0-bpm "beat"


@settings(max_examples=1500, deadline=None)
@given(st.binary(max_size=24), st.floats(0, 1e6, allow_nan=False))
def test_any_bytes_give_a_sample_or_a_typed_rejection(data: bytes, t_s: float) -> None:
    _check_against_spec(data, t_s)


@settings(max_examples=600, deadline=None)
@given(
    uint16=st.booleans(),
    hr=st.integers(0, 255),
    contact=st.none() | st.booleans(),
    energy=st.none() | st.integers(0, 0xFFFF),
    rr=st.none() | st.lists(st.integers(0, 0xFFFF), max_size=9),
)
def test_every_flag_combination_round_trips(uint16: bool, hr: int, contact: bool | None,
                                            energy: int | None, rr: list[int] | None) -> None:
    data = encode(hr, uint16=uint16, contact=contact, energy_kj=energy, rr_raw=rr)
    s = parse(data, 3.0, "p")
    live = hr > 0 and contact is not False
    assert s.hr_bpm == (float(hr) if live else None)
    assert s.energy_kj == energy
    assert s.contact == contact
    expected_rr = tuple(v / 1.024 for v in rr or []) if live else ()
    assert s.rr_ms == pytest.approx(expected_rr, rel=1e-12)
    _check_against_spec(data, 3.0)


def test_body_location_and_battery() -> None:
    assert hrm.body_location(b"\x01") == "chest"
    assert hrm.body_location(b"\x02") == "wrist"
    assert hrm.body_location(b"\x07") is None
    assert hrm.body_location(b"") is None
    assert hrm.battery_pct(b"\x57") == 87
    assert hrm.battery_pct(b"\x65") is None  # 101 % is not a battery level
    assert hrm.battery_pct(b"") is None
