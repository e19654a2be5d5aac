"""Conversions between the frozen core values and table rows (plain dicts for bulk inserts)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any, Final

from zonetrainer.core.model import (
    Alpha1Reading,
    Band,
    EffortSample,
    HeartRateSample,
    IntervalRecord,
    SessionEvent,
    SessionHeader,
    SessionSummary,
    ZoneTable,
)

Row = dict[str, Any]

#: Beyond a week a stored time is no session's (the import rule: imports/checks.py MAX_TIME_S).
MAX_STORED_TIME_S: Final = 7 * 24 * 3600.0


def sane(value: Any, limit: float = 1e9) -> Any:
    """A stored number a reader can use, else None: a value stored before the import rule (or
    by hand) that is not finite or beyond ``limit`` never breaks a list, a sum or a format."""
    if isinstance(value, float) and not (math.isfinite(value) and abs(value) <= limit):
        return None
    return value


def _time(value: Any) -> bool:
    return sane(value, MAX_STORED_TIME_S) is not None


def header_row(header: SessionHeader) -> Row:
    return {
        "started_at": header.started_at,
        "local_date": header.started_at.astimezone().date(),
        "plan_name": header.plan_name,
        "athlete_name": header.athlete_name,
        "sport": header.sport,
        "source_id": header.source_id,
        "profile_json": header.profile_json,
        "band_low_bpm": header.band.low_bpm,
        "band_high_bpm": header.band.high_bpm,
        "band_method": header.band.method,
        "band_source": header.band.source,
        "band_uncertainty_bpm": header.band.uncertainty_bpm,
        "zones_json": json.dumps({"upper_bpm": list(header.zones.upper_bpm),
                                  "hrmax_bpm": header.zones.hrmax_bpm,
                                  "source": header.zones.source}),
    }


def header_from(row: Any) -> SessionHeader:
    zones = json.loads(row.zones_json)
    u = [float(x) for x in zones["upper_bpm"]]
    return SessionHeader(
        started_at=row.started_at,
        plan_name=row.plan_name,
        athlete_name=row.athlete_name,
        band=Band(row.band_low_bpm, row.band_high_bpm, row.band_method, row.band_source,
                  row.band_uncertainty_bpm),
        zones=ZoneTable((u[0], u[1], u[2], u[3], u[4]), float(zones["hrmax_bpm"]),
                        zones["source"]),
        source_id=row.source_id,
        profile_json=row.profile_json,
        sport=row.sport,
    )


def summary_row(summary: SessionSummary, trimp: float | None) -> Row:
    z = summary.time_in_zone_s
    return {
        "duration_s": summary.duration_s, "time_in_band_s": summary.time_in_band_s,
        "band_share": summary.band_share,
        "time_in_z1_s": z[0], "time_in_z2_s": z[1], "time_in_z3_s": z[2],
        "time_in_z4_s": z[3], "time_in_z5_s": z[4],
        "avg_hr_bpm": summary.avg_hr_bpm, "max_hr_bpm": summary.max_hr_bpm,
        "sample_count": summary.sample_count, "work_intervals": summary.work_intervals,
        "rest_intervals": summary.rest_intervals, "trimp": trimp,
        "timer_s": summary.timer_s,
    }


def summary_from(row: Any) -> SessionSummary | None:
    if not _time(row.duration_s):
        return None  # none, or not a length: the session reads as one never summed up
    def t(value: Any) -> float:
        return float(sane(value, MAX_STORED_TIME_S) or 0.0)
    return SessionSummary(
        duration_s=row.duration_s, time_in_band_s=t(row.time_in_band_s),
        band_share=sane(row.band_share, 1.0) or 0.0,
        time_in_zone_s=(t(row.time_in_z1_s), t(row.time_in_z2_s), t(row.time_in_z3_s),
                        t(row.time_in_z4_s), t(row.time_in_z5_s)),
        avg_hr_bpm=sane(row.avg_hr_bpm, 1000.0), max_hr_bpm=sane(row.max_hr_bpm, 1000.0),
        sample_count=row.sample_count, work_intervals=row.work_intervals,
        rest_intervals=row.rest_intervals, timer_s=sane(row.timer_s, MAX_STORED_TIME_S),
    )


def sample_rows(session_id: int, first_idx: int, samples: Sequence[HeartRateSample],
                source_id: str) -> tuple[list[Row], list[Row]]:
    """Rows for ``samples`` numbered from ``first_idx``, and the rows of their RR intervals."""
    rows: list[Row] = []
    rr: list[Row] = []
    for n, s in enumerate(samples):
        idx = first_idx + n
        rows.append({"session_id": session_id, "idx": idx, "t_s": s.t_s, "hr_bpm": s.hr_bpm,
                     "contact": s.contact, "energy_kj": s.energy_kj,
                     "source_id": None if s.source_id == source_id else s.source_id})
        rr.extend({"session_id": session_id, "sample_idx": idx, "seq": k, "t_s": s.t_s,
                   "rr_ms": v} for k, v in enumerate(s.rr_ms))
    return rows, rr


def samples_from(rows: Iterable[Any], rr_rows: Iterable[Any],
                 source_id: str) -> tuple[HeartRateSample, ...]:
    rr_by_sample: dict[int, list[float]] = {}
    for r in rr_rows:  # ordered by sample_idx, seq
        rr_by_sample.setdefault(r.sample_idx, []).append(r.rr_ms)
    # A sample at no time is no sample; a heart rate or energy that is no number reads as none.
    return tuple(
        HeartRateSample(t_s=r.t_s, hr_bpm=sane(r.hr_bpm, 1e6),
                        rr_ms=tuple(v for v in rr_by_sample.get(r.idx, ()) if sane(v, 1e6)),
                        contact=r.contact, energy_kj=sane(r.energy_kj, 1e6),
                        source_id=source_id if r.source_id is None else r.source_id)
        for r in rows if _time(r.t_s))


def interval_rows(session_id: int, intervals: Iterable[IntervalRecord]) -> list[Row]:
    return [{"session_id": session_id, "idx": i.index, "kind": i.kind, "start_s": i.start_s,
             "end_s": i.end_s, "planned_s": i.planned_s, "end_reason": i.end_reason,
             "exercise": i.exercise, "avg_hr_bpm": i.avg_hr_bpm, "max_hr_bpm": i.max_hr_bpm,
             "avg_effort": i.avg_effort, "avg_target_effort": i.avg_target_effort,
             "effort_unit": i.effort_unit, "timer_s": i.timer_s}
            for i in intervals]


def intervals_from(rows: Iterable[Any]) -> tuple[IntervalRecord, ...]:
    return tuple(IntervalRecord(r.idx, r.kind, r.start_s, r.end_s,
                                sane(r.planned_s, MAX_STORED_TIME_S) or 0.0, r.end_reason,
                                r.exercise, sane(r.avg_hr_bpm, 1e6), sane(r.max_hr_bpm, 1e6),
                                sane(r.avg_effort), sane(r.avg_target_effort), r.effort_unit,
                                sane(r.timer_s, MAX_STORED_TIME_S))
                 for r in rows if _time(r.start_s) and _time(r.end_s))


def effort_rows(session_id: int, first_idx: int, efforts: Sequence[EffortSample],
                source_id: str) -> list[Row]:
    """Rows for ``efforts`` numbered from ``first_idx``."""
    return [{"session_id": session_id, "idx": first_idx + n, "t_s": e.t_s, "value": e.value,
             "target": e.target, "unit": e.unit, "incline_pct": e.incline_pct,
             "cadence_rpm": e.cadence_rpm,
             "source_id": None if e.source_id == source_id else e.source_id}
            for n, e in enumerate(efforts)]


def efforts_from(rows: Iterable[Any], source_id: str) -> tuple[EffortSample, ...]:
    return tuple(EffortSample(t_s=r.t_s, value=r.value, unit=r.unit,
                              source_id=source_id if r.source_id is None else r.source_id,
                              target=r.target, incline_pct=r.incline_pct,
                              cadence_rpm=r.cadence_rpm) for r in rows)


def event_rows(session_id: int, events: Iterable[SessionEvent]) -> list[Row]:
    return [{"session_id": session_id, "t_s": e.t_s, "kind": e.kind, "detail": e.detail}
            for e in events]


def events_from(rows: Iterable[Any]) -> tuple[SessionEvent, ...]:
    return tuple(SessionEvent(r.t_s, r.kind, r.detail) for r in rows)


def alpha1_rows(session_id: int, readings: Iterable[Alpha1Reading]) -> list[Row]:
    return [{"session_id": session_id, "t_s": a.t_s, "alpha1": a.alpha1,
             "corrected_share": a.corrected_share, "beats": a.beats, "hr_bpm": a.hr_bpm,
             "usable": a.usable} for a in readings]


def alpha1_from(rows: Iterable[Any]) -> tuple[Alpha1Reading, ...]:
    return tuple(Alpha1Reading(r.t_s, r.alpha1, r.corrected_share, r.beats, r.hr_bpm,
                               bool(r.usable)) for r in rows)
