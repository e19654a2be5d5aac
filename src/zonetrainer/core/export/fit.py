"""A session as a FIT activity file, written with Garmin's own SDK (``garmin_fit_sdk.Encoder``).

Layout, as the FIT activity file cookbook describes it: ``file_id`` and ``device_info`` first;
a timer ``event`` start (and a stop and a start around each pause, so a reader's moving time is
ours); one ``record`` per sample with its heart rate and the effort of its second (power or
speed, see :mod:`.fit_effort`); after each record, the
beat-to-beat intervals that arrived with that sample as ``hrv`` messages (seconds, at most 5 per
message, so the importer can hand them back to the same sample); the summary messages last:
one ``lap`` per interval (work = active, rest = rest, warmup, cooldown), the ``session`` and the
``activity``.

FIT resolution: ``record.heart_rate`` is a whole bpm (uint8), ``hrv.time`` a whole millisecond
(uint16, scale 1000) and every timestamp a whole second. Values already on that grid (a strap's
bpm, the stored t_s of a 1 Hz strap) come back exactly; a 1/1024-s RR such as 812.5 ms comes
back rounded to the nearest millisecond.
"""

from __future__ import annotations

import logging
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Final

from garmin_fit_sdk import Encoder, Profile

from zonetrainer.core.export.fit_effort import (
    effort_fields,
    lap_effort_fields,
    record_stream,
    session_effort_fields,
)
from zonetrainer.core.model import HeartRateSample, IntervalRecord, SessionRecord
from zonetrainer.core.signal import mean_hr_bpm
from zonetrainer.core.timing import interval_timer_s, paused_spans, session_timer_s

log = logging.getLogger(__name__)

_MESG: Final = Profile["mesg_num"]
#: Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
FIT_EPOCH_OFFSET_S: Final = 631065600
#: The FIT hrv message holds an array of up to five intervals (FIT profile, message 78).
HRV_VALUES_PER_MESSAGE: Final = 5
#: hrv.time is uint16 ms; 0xFFFF is FIT's "invalid", so 65.534 s is the largest storable RR.
MAX_FIT_RR_MS: Final = 65534.0

INTENSITY_BY_KIND: Final = {"work": "active", "rest": "rest", "warmup": "warmup",
                            "cooldown": "cooldown"}

#: Our sport names -> FIT (sport, sub_sport). A FIT sport name passes through as it is.
SPORT_ALIASES: Final = {
    "run": ("running", "generic"), "ride": ("cycling", "generic"), "bike": ("cycling", "generic"),
    "indoor_cycling": ("cycling", "indoor_cycling"), "strength": ("training", "strength_training"),
    "strength_training": ("training", "strength_training"), "row": ("rowing", "generic"),
    "walk": ("walking", "generic"),
}
_FIT_SPORTS: Final = frozenset(Profile["types"]["sport"].values())


def fit_sport(sport: str) -> tuple[str, str]:
    """The FIT (sport, sub_sport) for a session's sport name; unknown names become generic."""
    key = sport.strip().lower()
    if key in SPORT_ALIASES:
        return SPORT_ALIASES[key]
    return (key, "generic") if key in _FIT_SPORTS else ("generic", "generic")


def as_utc(moment: datetime) -> datetime:
    """The moment in UTC; a naive datetime is taken to be UTC already (SessionHeader's rule)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def fit_timestamp(moment: datetime) -> int:
    """Whole seconds since the FIT epoch."""
    return int(as_utc(moment).timestamp()) - FIT_EPOCH_OFFSET_S


def fit_hr(hr_bpm: float | None) -> int | None:
    """A whole bpm FIT can store (uint8, 0xFF is "invalid"), or None for no value."""
    if hr_bpm is None or not math.isfinite(hr_bpm):
        return None
    value = round(hr_bpm)
    return value if 0 < value < 255 else None


def _hr_stats(samples: Iterable[HeartRateSample]) -> tuple[float | None, float | None]:
    kept = [s for s in samples if s.hr_bpm is not None and fit_hr(s.hr_bpm) is not None]
    if not kept:
        return None, None
    # Time-weighted, as the session summary (a plain mean favours fast beats in RR data).
    return mean_hr_bpm(kept), max(s.hr_bpm or 0.0 for s in kept)


def _hrv_chunks(rr_ms: tuple[float, ...]) -> Iterator[list[float]]:
    valid = [rr / 1000.0 for rr in rr_ms if 0 < rr <= MAX_FIT_RR_MS]
    for i in range(0, len(valid), HRV_VALUES_PER_MESSAGE):
        yield valid[i:i + HRV_VALUES_PER_MESSAGE]


def session_end_s(record: SessionRecord) -> float:
    """Elapsed seconds of the whole session: the summary's duration, or the last thing seen."""
    ends = [0.0]
    if record.summary is not None:
        ends.append(record.summary.duration_s)
    if record.samples:
        ends.append(record.samples[-1].t_s)
    if record.intervals:
        ends.append(record.intervals[-1].end_s)
    if record.efforts:
        ends.append(record.efforts[-1].t_s)
    return max(ends)


def _laps(record: SessionRecord) -> list[IntervalRecord]:
    if record.intervals:
        return list(record.intervals)
    # A session without intervals (an import, a free run) still needs one lap for the readers.
    return [IntervalRecord(0, "work", 0.0, session_end_s(record), session_end_s(record), "end")]


def _lap_mesg(index: int, lap: IntervalRecord, last: bool, base_ts: int,
              record: SessionRecord, times: list[float], sport: tuple[str, str],
              spans: list[tuple[float, float]]) -> dict[str, Any]:
    samples = record.samples
    avg, peak = lap.avg_hr_bpm, lap.max_hr_bpm
    if avg is None or peak is None:
        # Samples are in time order: the lap's own are one slice (the last lap keeps its end).
        end = bisect_right(times, lap.end_s) if last else bisect_left(times, lap.end_s)
        own_avg, own_peak = _hr_stats(samples[bisect_left(times, lap.start_s):end])
        avg = own_avg if avg is None else avg
        peak = own_peak if peak is None else peak
    trigger = "time" if lap.kind in ("warmup", "cooldown") else "manual"
    if last:
        trigger = "session_end"
    return {
        "mesg_num": _MESG["LAP"], "message_index": index,
        "timestamp": base_ts + round(lap.end_s), "start_time": base_ts + round(lap.start_s),
        "total_elapsed_time": lap.actual_s, "total_timer_time": interval_timer_s(lap, spans),
        "event": "lap", "event_type": "stop", "lap_trigger": trigger,
        "intensity": INTENSITY_BY_KIND.get(lap.kind, "active"),
        "sport": sport[0], "sub_sport": sport[1],
        "avg_heart_rate": fit_hr(avg), "max_heart_rate": fit_hr(peak),
    } | lap_effort_fields(lap, record.efforts)


def encode_fit(record: SessionRecord) -> bytes:
    """The FIT activity file of a session, as bytes."""
    header = record.header
    base_ts = fit_timestamp(header.started_at)
    sport = fit_sport(header.sport)
    end_s = session_end_s(record)
    end_ts = base_ts + round(end_s)
    enc = Encoder()
    enc.write_mesg({"mesg_num": _MESG["FILE_ID"], "type": "activity",
                    "manufacturer": "development", "product": 0, "product_name": "zonetrainer",
                    "serial_number": max(1, record.session_id), "time_created": base_ts})
    enc.write_mesg({"mesg_num": _MESG["DEVICE_INFO"], "timestamp": base_ts, "device_index": 0,
                    "manufacturer": "development", "product": 0,
                    "product_name": "zonetrainer"})
    enc.write_mesg({"mesg_num": _MESG["EVENT"], "timestamp": base_ts, "event": "timer",
                    "event_type": "start", "event_group": 0})
    record_num = _MESG["RECORD"]
    hrv_num = _MESG["HRV"]
    spans = paused_spans(record.events, end_s)
    # The device's timer stops while paused: readers take the moving time from these events.
    timer_events = sorted([(a, "stop_all") for a, _ in spans] + [(b, "start") for _, b in spans
                                                                 if b < end_s])
    for t_s, sample, effort in record_stream(record.samples, record.efforts, fit_hr):
        while timer_events and timer_events[0][0] <= t_s:
            at, kind = timer_events.pop(0)
            enc.write_mesg({"mesg_num": _MESG["EVENT"], "timestamp": base_ts + round(at),
                            "event": "timer", "event_type": kind, "event_group": 0})
        mesg: dict[str, Any] = {"mesg_num": record_num, "timestamp": base_ts + round(t_s)}
        if sample is not None:
            mesg["heart_rate"] = fit_hr(sample.hr_bpm)
        if effort is not None:
            mesg |= effort_fields(effort)
        enc.write_mesg(mesg)
        for chunk in _hrv_chunks(sample.rr_ms if sample is not None else ()):
            enc.write_mesg({"mesg_num": hrv_num, "time": chunk})
    for at, kind in timer_events:
        enc.write_mesg({"mesg_num": _MESG["EVENT"], "timestamp": base_ts + round(at),
                        "event": "timer", "event_type": kind, "event_group": 0})
    enc.write_mesg({"mesg_num": _MESG["EVENT"], "timestamp": end_ts, "event": "timer",
                    "event_type": "stop_all", "event_group": 0})
    laps = _laps(record)
    times = [s.t_s for s in record.samples]
    for index, lap in enumerate(laps):
        enc.write_mesg(_lap_mesg(index, lap, index == len(laps) - 1, base_ts, record,
                                 times, sport, spans))
    timer_s = session_timer_s(record, end_s)
    avg, peak = _hr_stats(record.samples)
    if record.summary is not None:
        avg, peak = record.summary.avg_hr_bpm, record.summary.max_hr_bpm
    enc.write_mesg({"mesg_num": _MESG["SESSION"], "message_index": 0, "timestamp": end_ts,
                    "start_time": base_ts, "total_elapsed_time": end_s,
                    "total_timer_time": timer_s, "sport": sport[0], "sub_sport": sport[1],
                    "event": "session", "event_type": "stop", "trigger": "activity_end",
                    "first_lap_index": 0, "num_laps": len(laps),
                    "avg_heart_rate": fit_hr(avg), "max_heart_rate": fit_hr(peak)}
                   | session_effort_fields(record.efforts))
    enc.write_mesg({"mesg_num": _MESG["ACTIVITY"], "timestamp": end_ts,
                    "total_timer_time": timer_s, "num_sessions": 1, "type": "manual",
                    "event": "activity", "event_type": "stop", "event_group": 0})
    data = enc.close()
    log.debug("FIT: %d samples, %d laps, %d bytes", len(record.samples), len(laps), len(data))
    return bytes(data)

