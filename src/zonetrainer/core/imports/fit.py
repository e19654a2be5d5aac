"""FIT activity files in: records with heart rate, ``hrv`` RR intervals, laps, sport, device.

Read with Garmin's own SDK. A file cut short (a device that died, a partial download) keeps
every message before the damage and says so in the warnings; a corrupt file header, including
the header of a second file chained after the first, is an error: nothing after it can be
trusted, and a header that lies about sizes is how a wrong file looks.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from garmin_fit_sdk import Decoder, Profile, Stream

from zonetrainer.core.imports.recording import (
    CorruptFileError,
    ImportFileError,
    Recording,
    RecordingLap,
    kind_of,
    no_hr_warning,
)
from zonetrainer.core.model import HeartRateSample

log = logging.getLogger(__name__)

_RECORD: Final = Profile["mesg_num"]["RECORD"]
_HRV: Final = Profile["mesg_num"]["HRV"]
#: hrv.time values at or above 65.535 s are FIT's "invalid" padding.
_RR_INVALID_S: Final = 65.535


def _rr_ms(mesg: dict[str, Any]) -> list[float]:
    values = mesg.get("time")
    if values is None:
        return []
    if not isinstance(values, list):
        values = [values]
    # FIT stores whole milliseconds; rounding undoes the SDK's division by 1000.
    return [float(round(v * 1000.0)) for v in values
            if isinstance(v, int | float) and 0 < v < _RR_INVALID_S]


def _device(messages: Mapping[str, Any]) -> str:
    file_id = (messages.get("file_id_mesgs") or [{}])[0]
    name = file_id.get("product_name") or file_id.get("garmin_product") or file_id.get("product")
    parts = [str(p) for p in (file_id.get("manufacturer"), name) if p not in (None, "")]
    return " ".join(parts) or "unknown device"


def _sport(messages: Mapping[str, Any]) -> str:
    for key in ("session_mesgs", "sport_mesgs", "lap_mesgs"):
        for mesg in messages.get(key, []):
            if isinstance(mesg.get("sport"), str):
                return str(mesg["sport"])
    return "generic"


def _start(messages: Mapping[str, Any], stamps: list[datetime]) -> datetime | None:
    candidates = [m["start_time"] for m in messages.get("session_mesgs", [])
                  if isinstance(m.get("start_time"), datetime)]
    candidates += stamps[:1]
    if not candidates:
        candidates = [m["time_created"] for m in messages.get("file_id_mesgs", [])
                      if isinstance(m.get("time_created"), datetime)]
    return min(candidates) if candidates else None


def _laps(messages: Mapping[str, Any], start: datetime) -> list[RecordingLap]:
    laps = []
    for mesg in messages.get("lap_mesgs", []):
        begin, length = mesg.get("start_time"), mesg.get("total_elapsed_time")
        if not isinstance(begin, datetime) or not isinstance(length, int | float):
            continue
        start_s = (begin - start).total_seconds()
        intensity = mesg.get("intensity")
        laps.append(RecordingLap(start_s, start_s + float(length), kind_of(intensity),
                                 str(intensity or ""), _num(mesg.get("avg_heart_rate")),
                                 _num(mesg.get("max_heart_rate"))))
    return laps


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def read_fit(path: str | Path) -> Recording:
    """Read a FIT activity file. Raises ImportFileError / CorruptFileError (see the module)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not Decoder(Stream.from_byte_array(bytearray(data))).is_fit():
        raise CorruptFileError(f"{path}: not a FIT file (its header is missing or corrupt)")
    order: list[tuple[int, dict[str, Any]]] = []

    def keep(mesg_num: int, mesg: dict[str, Any]) -> None:
        if mesg_num in (_RECORD, _HRV):
            order.append((mesg_num, mesg))

    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read(mesg_listener=keep)
    warnings: list[str] = []
    records = sum(1 for num, _ in order if num == _RECORD)
    for error in errors:
        text = str(error)
        if "not a fit file" in text.lower():
            raise CorruptFileError(f"{path}: corrupt FIT file header ({text})")
        if "crc" in text.lower():
            warnings.append(f"file checksum (CRC) does not match after {records} records; "
                            "kept what could be read")
        elif "bytes remaining" in text.lower():
            warnings.append(f"file truncated after {records} records; kept what could be read")
        else:
            warnings.append(f"reading stopped after {records} records ({text}); kept what "
                            "could be read")
        log.info("%s: %s", path, text)
    stamps = [m["timestamp"] for num, m in order
              if num == _RECORD and isinstance(m.get("timestamp"), datetime)]
    start = _start(messages, stamps)
    samples: list[HeartRateSample] = []
    source_id = f"fit:{path.name}"
    for num, mesg in order:
        if num == _HRV:
            rr = tuple(_rr_ms(mesg))
            if rr and samples:
                last = samples[-1]
                samples[-1] = HeartRateSample(last.t_s, last.hr_bpm, last.rr_ms + rr,
                                              last.contact, last.energy_kj, last.source_id)
            elif rr:
                warnings.append("RR intervals before the first record were dropped")
            continue
        stamp = mesg.get("timestamp")
        if not isinstance(stamp, datetime) or start is None:
            continue
        hr = mesg.get("heart_rate")
        hr_bpm = float(hr) if isinstance(hr, int | float) and hr > 0 else None
        contact = False if hr == 0 else None
        samples.append(HeartRateSample((stamp - start).total_seconds(), hr_bpm, (), contact,
                                       None, source_id))
    warnings += no_hr_warning(samples)
    return Recording(str(path), "fit", start, _sport(messages), _device(messages),
                     tuple(samples), tuple(_laps(messages, start)) if start else (),
                     tuple(dict.fromkeys(warnings)))
