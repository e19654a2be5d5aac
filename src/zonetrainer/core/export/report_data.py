"""The words and numbers of the session report, formatted once so the HTML, the PDF and the PNG
say exactly the same thing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from zonetrainer.core.export.effort import effort_summary, effort_text
from zonetrainer.core.export.fit import as_utc
from zonetrainer.core.export.metrics import (
    DRIFT_METHOD,
    RECOVERY_METHOD,
    derived_figures,
    time_in_zone_s,
)
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.signal import SHORTEST_DRIFT_S
from zonetrainer.core.timing import session_timer_s

#: Said on every report: the band is about the share of fat burned during the session, and
#: fat loss happens across the whole body (see the README's "Honest physiology").
WHOLE_BODY_NOTE: Final = (
    "Training in this band raises the share of energy drawn from fat during the session. "
    "Fat loss is whole-body and follows overall energy balance; no exercise removes fat "
    "from one chosen region.")

INTERVAL_COLUMNS: Final = ("#", "kind", "exercise", "planned", "actual", "avg HR", "max HR",
                           "ended because")
#: With an effort source: each bout's mean measured effort and mean target, before the reason.
EFFORT_COLUMNS: Final = ("effort", "target")


def clock_text(seconds: float) -> str:
    """1234.0 -> '20:34'; 3725 -> '1:02:05'."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _bpm(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} bpm"


def _profile_text(profile_json: str) -> str:
    try:
        profile = json.loads(profile_json)
    except ValueError:
        return profile_json
    if not isinstance(profile, dict) or not profile:
        return "not recorded"
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in profile.items()
                     if v not in (None, ""))


@dataclass(frozen=True, slots=True)
class ReportData:
    title: str
    figures: tuple[tuple[str, str], ...]
    interval_columns: tuple[str, ...]
    interval_rows: tuple[tuple[str, ...], ...]
    time_in_zone_s: tuple[float, ...]
    note: str


def report_data(record: SessionRecord) -> ReportData:
    header, summary = record.header, record.summary
    band, zones = header.band, header.zones
    derived = derived_figures(record)
    title = (f"zonetrainer session {record.session_id}: {header.plan_name}, "
             f"{as_utc(header.started_at):%Y-%m-%d %H:%M} UTC, {header.athlete_name}")
    figures: list[tuple[str, str]] = []
    if summary is not None:
        timer_s = session_timer_s(record, summary.duration_s)
        figures.append(("Duration", clock_text(summary.duration_s)))
        if summary.duration_s - timer_s >= 1.0:
            figures.append(("Moving time", f"{clock_text(timer_s)} (paused "
                                           f"{clock_text(summary.duration_s - timer_s)})"))
        figures += [
            ("Time in band", f"{clock_text(summary.time_in_band_s)} "
                             f"({100.0 * summary.band_share:.0f} % of live signal)"),
            ("Average HR", _bpm(summary.avg_hr_bpm)), ("Max HR", _bpm(summary.max_hr_bpm)),
            ("Intervals", f"{summary.work_intervals} work, {summary.rest_intervals} rest"),
        ]
    else:
        figures.append(("Summary", f"none (session status: {record.status})"))
    figures.append(("Drift", f"not available (no work interval of {SHORTEST_DRIFT_S / 60:.0f} "
                             "min or more with signal)"
                    if derived.drift_bpm_per_min is None
                    else f"{derived.drift_bpm_per_min:+.2f} bpm/min over "
                         f"{derived.drift_intervals} work intervals ({DRIFT_METHOD})"))
    figures.append(("Recovery", "not available (no rest of 60 s or more with signal)"
                    if derived.recovery_bpm is None
                    else f"{derived.recovery_bpm:.1f} bpm over {derived.recovery_rests} rests "
                         f"({RECOVERY_METHOD})"))
    effort = effort_summary(record.efforts)
    if effort is not None:
        target = ("" if effort.mean_target is None
                  else f", target {effort_text(effort.mean_target, effort.unit)}")
        figures.append(("Effort", f"mean {effort_text(effort.mean, effort.unit)}{target}, "
                                  f"highest {effort_text(effort.peak, effort.unit)}"))
    usable = [a.alpha1 for a in record.alpha1 if a.usable]
    if usable:
        figures.append(("Alpha1", f"{usable[0]:.2f} first, {usable[-1]:.2f} last, "
                                  f"{len(usable)} usable readings"))
    figures += [
        ("Band", f"{band.low_bpm:.0f}-{band.high_bpm:.0f} bpm "
                 f"(+/- {band.uncertainty_bpm:.0f} bpm), method {band.method}"),
        ("Band source", band.source),
        ("HRmax", f"{zones.hrmax_bpm:.0f} bpm; zones: {zones.source}"),
        ("Profile", _profile_text(header.profile_json)),
    ]
    with_effort = any(i.avg_effort is not None or i.avg_target_effort is not None
                      for i in record.intervals)
    columns = INTERVAL_COLUMNS[:-1] + EFFORT_COLUMNS + INTERVAL_COLUMNS[-1:] if with_effort \
        else INTERVAL_COLUMNS
    rows = tuple(
        (str(i.index + 1), i.kind, i.exercise or "", clock_text(i.planned_s),
         clock_text(i.actual_s), _bpm(i.avg_hr_bpm), _bpm(i.max_hr_bpm))
        + ((effort_text(i.avg_effort, i.effort_unit),
            effort_text(i.avg_target_effort, i.effort_unit)) if with_effort else ())
        + (i.end_reason,)
        for i in record.intervals)
    return ReportData(title, tuple(figures), columns, rows, time_in_zone_s(record),
                      WHOLE_BODY_NOTE)
