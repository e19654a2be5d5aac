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
from itertools import pairwise
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
from zonetrainer.core.model import EffortSample, EffortUnit, HeartRateSample

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


def _laps(messages: Mapping[str, Any], start: datetime, unit: EffortUnit | None
          ) -> list[RecordingLap]:
    laps = []
    for mesg in messages.get("lap_mesgs", []):
        begin, length = mesg.get("start_time"), mesg.get("total_elapsed_time")
        if not isinstance(begin, datetime) or not isinstance(length, int | float):
            continue
        start_s = (begin - start).total_seconds()
        intensity = mesg.get("intensity")
        laps.append(RecordingLap(start_s, start_s + float(length), kind_of(intensity),
                                 str(intensity or ""), _num(mesg.get("avg_heart_rate")),
                                 _num(mesg.get("max_heart_rate")),
                                 timer_s=_num(mesg.get("total_timer_time")),
                                 **_lap_effort(mesg, unit)))
    return laps


_EFFORT_FIELDS: Final = frozenset({"power", "speed", "enhanced_speed", "grade", "cadence"})
#: FIT speeds are m/s; ours km/h.
_KMH_PER_MS: Final = 3.6
#: Speed counts as an effort (a belt's speed) unless the sport rides: a wheel's speed is not.
_SPEED_IS_NO_EFFORT: Final = frozenset({"cycling", "e_biking", "driving", "motorcycling"})


def _effort_unit(records: list[dict[str, Any]], sport: str) -> EffortUnit | None:
    """Watts when any record has power above 0 (a device with no power meter writes 0),
    else km/h when the records have a speed and the sport is not a ride, else none."""
    if any(_num(m.get("power")) for m in records):
        return "W"
    if sport not in _SPEED_IS_NO_EFFORT and any(_speed(m) is not None for m in records):
        return "km/h"
    return None


def _speed(mesg: dict[str, Any]) -> float | None:
    value = _num(mesg.get("enhanced_speed"))
    value = _num(mesg.get("speed")) if value is None else value
    return None if value is None else value * _KMH_PER_MS


def _lap_effort(mesg: dict[str, Any], unit: EffortUnit | None) -> dict[str, Any]:
    if unit == "W" and _num(mesg.get("avg_power")) is not None:
        return {"avg_effort": _num(mesg.get("avg_power")), "effort_unit": unit}
    speed = _num(mesg.get("enhanced_avg_speed"))
    speed = _num(mesg.get("avg_speed")) if speed is None else speed
    if unit == "km/h" and speed is not None:
        return {"avg_effort": speed * _KMH_PER_MS, "effort_unit": unit}
    return {}


def _efforts(records: list[tuple[float, dict[str, Any]]], unit: EffortUnit | None,
             source_id: str) -> tuple[EffortSample, ...]:
    if unit is None:
        return ()
    out = []
    for t_s, mesg in records:
        value = _num(mesg.get("power")) if unit == "W" else _speed(mesg)
        incline, cadence = _num(mesg.get("grade")), _num(mesg.get("cadence"))
        if value is not None or incline is not None or cadence is not None:
            out.append(EffortSample(t_s, value, unit, source_id, None, incline, cadence))
    return tuple(out)


def _timer(messages: Mapping[str, Any], start: datetime, end_s: float
           ) -> tuple[float | None, tuple[tuple[float, float], ...]]:
    """The timer time (the session message's, else the sum of the timer's running spans) and
    the spans in which the timer stood still, from the file's timer start/stop events."""
    running: list[tuple[float, float]] = []
    since: float | None = None
    stops = ("stop", "stop_all", "stop_disable", "stop_disable_all")
    for mesg in messages.get("event_mesgs", []):
        stamp = mesg.get("timestamp")
        if mesg.get("event") != "timer" or not isinstance(stamp, datetime):
            continue
        t_s = (stamp - start).total_seconds()  # a timer may start before the first record
        if mesg.get("event_type") == "start" and since is None:
            since = t_s
        elif mesg.get("event_type") in stops and since is not None:
            running.append((since, max(since, t_s)))
            since = None
    if since is not None:
        running.append((since, max(since, end_s)))
    pauses = tuple((a[1], b[0]) for a, b in pairwise(running)
                   if b[0] > a[1])
    timers = [m["total_timer_time"] for m in messages.get("session_mesgs", [])
              if isinstance(m.get("total_timer_time"), int | float)]
    if timers:
        return float(sum(timers)), pauses
    return (sum(b - a for a, b in running) if running else None), pauses


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
    # Our own files give an effort reading without a heart rate a record of its own; in other
    # files every record is a sample (a GPS record without heart rate is a moment without one).
    ours = "zonetrainer" in _device(messages)
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
        if ours and "heart_rate" not in mesg and _EFFORT_FIELDS.intersection(mesg):
            continue  # our effort reading in a second without a heart-rate sample
        hr = mesg.get("heart_rate")
        hr_bpm = float(hr) if isinstance(hr, int | float) and hr > 0 else None
        contact = False if hr == 0 else None
        samples.append(HeartRateSample((stamp - start).total_seconds(), hr_bpm, (), contact,
                                       None, source_id))
    warnings += no_hr_warning(samples)
    sport = _sport(messages)
    timed = [((m["timestamp"] - start).total_seconds(), m) for num, m in order
             if num == _RECORD and isinstance(m.get("timestamp"), datetime)] if start else []
    unit = _effort_unit([m for _, m in timed], sport)
    timer_s, pauses = _timer(messages, start, timed[-1][0] if timed else 0.0) if start else (
        None, ())
    return Recording(str(path), "fit", start, sport, _device(messages),
                     tuple(samples), tuple(_laps(messages, start, unit)) if start else (),
                     tuple(dict.fromkeys(warnings)), _efforts(timed, unit, source_id),
                     timer_s, pauses)
