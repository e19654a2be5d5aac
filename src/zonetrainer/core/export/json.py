"""A session's summary as JSON: header, band and zones with their sources, summary figures,
intervals (with their mean effort and target and their timer time), events, the alpha1 trend,
the effort's summary and derived figures. No samples (the CSV has those)."""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from typing import Any, BinaryIO, Final

from zonetrainer.core.export.effort import effort_summary
from zonetrainer.core.export.fit import session_end_s
from zonetrainer.core.export.metrics import (
    DRIFT_METHOD,
    RECOVERY_METHOD,
    derived_figures,
    time_in_zone_s,
)
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.timing import session_timer_s

FORMAT_NAME: Final = "zonetrainer-session-summary"
FORMAT_VERSION: Final = 1


def _maybe_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def summary_dict(record: SessionRecord) -> dict[str, Any]:
    """Everything in the JSON summary, as plain JSON-ready values."""
    header = record.header
    figures = derived_figures(record)
    effort = effort_summary(record.efforts)
    elapsed_s = session_end_s(record)
    return {
        "format": FORMAT_NAME, "format_version": FORMAT_VERSION,
        "session_id": record.session_id, "status": record.status,
        "started_at": header.started_at.isoformat(), "plan": header.plan_name,
        "athlete": header.athlete_name, "sport": header.sport, "source_id": header.source_id,
        "band": asdict(header.band), "zones": asdict(header.zones),
        "profile": _maybe_json(header.profile_json),
        "summary": None if record.summary is None else asdict(record.summary),
        # Elapsed runs through pauses; the timer (moving) time does not.
        "elapsed_s": elapsed_s, "timer_s": session_timer_s(record, elapsed_s),
        "effort": None if effort is None else asdict(effort),
        "time_in_zone_s": list(time_in_zone_s(record)),
        "sample_count": len(record.samples),
        "rr_count": sum(len(s.rr_ms) for s in record.samples),
        "intervals": [{**asdict(i), "actual_s": i.actual_s} for i in record.intervals],
        "events": [asdict(e) for e in record.events],
        "alpha1": [asdict(a) for a in record.alpha1],
        "derived": {
            "drift_bpm_per_min": figures.drift_bpm_per_min,
            "drift_intervals": figures.drift_intervals, "drift_method": DRIFT_METHOD,
            "recovery_bpm": figures.recovery_bpm, "recovery_rests": figures.recovery_rests,
            "recovery_method": RECOVERY_METHOD,
        },
        "extra": {k: _maybe_json(v) for k, v in record.extra.items()},
    }


def _finite(value: Any) -> Any:
    """NaN and infinity are not JSON: they become null (an unknown value)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def write_json(record: SessionRecord, out: BinaryIO) -> None:
    text = json.dumps(_finite(summary_dict(record)), indent=2, allow_nan=False)
    out.write((text + "\n").encode("utf-8"))
