"""The effort in a FIT file: power or speed (with grade and cadence) per record, and the mean
power or speed of each lap and of the session (FIT profile: record.power in W, record.speed in
m/s at 1/1000, record.grade in % at 1/100, record.cadence in rpm; lap/session avg_power,
avg_speed, max_power, max_speed).

FIT records are whole seconds: an effort reading shares the record of the heart-rate sample in
its second; a reading in a second without one gets a record of its own (no heart rate), and of
two readings in one second the later is kept.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

from zonetrainer.core.model import EffortSample, HeartRateSample, IntervalRecord

#: FIT speeds are m/s; ours km/h.
KMH_PER_MS: Final = 3.6
_UINT16_MAX: Final = 65534  # 0xFFFF is FIT's "invalid"


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def effort_fields(effort: EffortSample) -> dict[str, Any]:
    """The record fields of one effort reading (a value FIT cannot hold is left out)."""
    out: dict[str, Any] = {}
    value = _finite(effort.value)
    if value is not None and value >= 0:
        if effort.unit == "W" and round(value) <= _UINT16_MAX:
            out["power"] = round(value)
        elif effort.unit == "km/h" and value / KMH_PER_MS * 1000 <= _UINT16_MAX:
            out["speed"] = value / KMH_PER_MS
    incline = _finite(effort.incline_pct)
    if incline is not None and abs(incline) < 327:
        out["grade"] = incline
    cadence = _finite(effort.cadence_rpm)
    if cadence is not None and 0 <= round(cadence) < 255:
        out["cadence"] = round(cadence)
    return out


def record_stream(samples: Sequence[HeartRateSample], efforts: Sequence[EffortSample],
                  fit_hr: Callable[[float | None], int | None]
                  ) -> Iterator[tuple[float, HeartRateSample | None, EffortSample | None]]:
    """(time, sample, effort) of each record, in time order: every sample once, each kept
    effort reading on the sample of its second when that sample has a heart rate FIT can
    store, else on a record of its own."""
    by_second: dict[int, EffortSample] = {}
    for reading in efforts:
        by_second[round(reading.t_s)] = reading  # the later of two in one second
    merged: list[tuple[float, HeartRateSample | None, EffortSample | None]] = []
    for sample in samples:
        effort: EffortSample | None = None
        if fit_hr(sample.hr_bpm) is not None:
            effort = by_second.pop(round(sample.t_s)) if round(sample.t_s) in by_second \
                else None
        merged.append((sample.t_s, sample, effort))
    alone = sorted(((e.t_s, None, e) for e in by_second.values()), key=lambda x: x[0])
    yield from heapq.merge(merged, alone, key=lambda x: x[0])


def _mean_and_max(efforts: Sequence[EffortSample]) -> tuple[float | None, float | None]:
    values = [v for e in efforts if (v := _finite(e.value)) is not None]
    if not values:
        return None, None
    return sum(values) / len(values), max(values)


def _summary_fields(unit: str | None, avg: float | None, peak: float | None
                    ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if unit == "W":
        if avg is not None and 0 <= avg <= _UINT16_MAX:
            out["avg_power"] = round(avg)
        if peak is not None and 0 <= peak <= _UINT16_MAX:
            out["max_power"] = round(peak)
    elif unit == "km/h":
        if avg is not None and 0 <= avg / KMH_PER_MS * 1000 <= _UINT16_MAX:
            out["avg_speed"] = avg / KMH_PER_MS
        if peak is not None and 0 <= peak / KMH_PER_MS * 1000 <= _UINT16_MAX:
            out["max_speed"] = peak / KMH_PER_MS
    return out


def lap_effort_fields(lap: IntervalRecord, efforts: Sequence[EffortSample]) -> dict[str, Any]:
    """avg/max power or speed of a lap: its recorded mean, the max of its readings."""
    unit = lap.effort_unit or (efforts[0].unit if efforts else None)
    own = [e for e in efforts if lap.start_s <= e.t_s < lap.end_s and e.unit == unit]
    avg, peak = _mean_and_max(own)
    if lap.avg_effort is not None:
        avg = lap.avg_effort
    return _summary_fields(unit, _finite(avg), peak)


def session_effort_fields(efforts: Sequence[EffortSample]) -> dict[str, Any]:
    if not efforts:
        return {}
    unit = efforts[0].unit
    return _summary_fields(unit, *_mean_and_max([e for e in efforts if e.unit == unit]))
