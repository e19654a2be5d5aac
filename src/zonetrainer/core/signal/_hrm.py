"""Heart Rate Measurement (Bluetooth SIG characteristic 0x2A37) bytes -> :class:`HeartRateSample`.

Also the two small characteristics a strap offers beside it: Body Sensor Location (0x2A38)
and Battery Level (0x2A19).
"""

from __future__ import annotations

from typing import Final

from zonetrainer.core.model import HeartRateSample

#: 16-bit SIG UUIDs in the 128-bit form bleak reports (Bluetooth Base UUID).
HR_SERVICE_UUID: Final = "0000180d-0000-1000-8000-00805f9b34fb"
HR_MEASUREMENT_UUID: Final = "00002a37-0000-1000-8000-00805f9b34fb"
BODY_SENSOR_LOCATION_UUID: Final = "00002a38-0000-1000-8000-00805f9b34fb"
BATTERY_SERVICE_UUID: Final = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL_UUID: Final = "00002a19-0000-1000-8000-00805f9b34fb"

_FLAG_UINT16: Final = 0x01
_FLAG_CONTACT_DETECTED: Final = 0x02
_FLAG_CONTACT_SUPPORTED: Final = 0x04
_FLAG_ENERGY: Final = 0x08
_FLAG_RR: Final = 0x10

#: RR intervals travel in units of 1/1024 s (Heart Rate Service spec 1.0, section 3.1.1.5).
RR_UNITS_PER_S: Final = 1024.0

#: Body Sensor Location values (Heart Rate Service spec 1.0, section 3.2); 7..255 reserved.
BODY_LOCATIONS: Final[dict[int, str]] = {
    0: "other", 1: "chest", 2: "wrist", 3: "finger", 4: "hand", 5: "ear lobe", 6: "foot",
}


class MalformedMeasurement(ValueError):
    """The bytes are not a valid Heart Rate Measurement (too short, or an odd RR byte count)."""


def parse(data: bytes | bytearray, t_s: float, source_id: str) -> HeartRateSample:
    """Parse one 0x2A37 notification into a sample stamped ``t_s``.

    Layout (little-endian)::

        byte 0      flags
                      bit 0  heart-rate format: 0 = uint8, 1 = uint16
                      bit 1  sensor contact detected   (meaningful only if bit 2 is set)
                      bit 2  sensor contact supported
                      bit 3  energy expended present (uint16, kJ, cumulative)
                      bit 4  RR intervals present (uint16 each, 1/1024 s)
                      bits 5-7 reserved for future use (ignored)
        byte 1      heart rate, uint8            (bit 0 clear)
        bytes 1-2   heart rate, uint16           (bit 0 set)
        next 2      energy expended, kJ          (bit 3 set)
        rest        RR intervals, 2 bytes each   (bit 4 set; zero or more of them)

    ``contact`` is None when the strap does not support contact detection. When contact is
    supported but not detected, or the heart rate is 0, ``hr_bpm`` is None and the RR list is
    empty: such readings are not beats and must never reach the controller as if they were.
    Bytes after the defined fields when bit 4 is clear are ignored (reserved by the spec).

    Raises :class:`MalformedMeasurement` for data too short for the fields its flags announce
    and for an odd number of RR bytes.
    """
    data = bytes(data)  # bleak hands over a bytearray: keep no reference to a mutable buffer
    if not data:
        raise MalformedMeasurement("empty Heart Rate Measurement")
    flags = data[0]
    hr_size = 2 if flags & _FLAG_UINT16 else 1
    needed = 1 + hr_size + (2 if flags & _FLAG_ENERGY else 0)
    if len(data) < needed:
        raise MalformedMeasurement(
            f"Heart Rate Measurement of {len(data)} bytes; flags 0x{flags:02x} need {needed}")
    hr_raw = int.from_bytes(data[1:1 + hr_size], "little")
    offset = 1 + hr_size
    energy_kj: int | None = None
    if flags & _FLAG_ENERGY:
        energy_kj = int.from_bytes(data[offset:offset + 2], "little")
        offset += 2
    rr_ms: tuple[float, ...] = ()
    if flags & _FLAG_RR:
        rr_bytes = data[offset:]
        if len(rr_bytes) % 2:
            raise MalformedMeasurement(
                f"odd number of RR bytes ({len(rr_bytes)}) in a Heart Rate Measurement")
        rr_ms = tuple(int.from_bytes(rr_bytes[i:i + 2], "little") * 1000.0 / RR_UNITS_PER_S
                      for i in range(0, len(rr_bytes), 2))
    contact = bool(flags & _FLAG_CONTACT_DETECTED) if flags & _FLAG_CONTACT_SUPPORTED else None
    live = hr_raw > 0 and contact is not False
    return HeartRateSample(
        t_s=t_s,
        hr_bpm=float(hr_raw) if live else None,
        rr_ms=rr_ms if live else (),
        contact=contact,
        energy_kj=energy_kj,
        source_id=source_id,
    )


def body_location(data: bytes | bytearray) -> str | None:
    """Body Sensor Location (0x2A38) as a word ("chest", "wrist", ...); None if unknown."""
    if len(data) < 1:
        return None
    return BODY_LOCATIONS.get(data[0])


def battery_pct(data: bytes | bytearray) -> int | None:
    """Battery Level (0x2A19): a uint8 percentage; None when absent or out of 0..100."""
    if len(data) < 1 or data[0] > 100:
        return None
    return int(data[0])
