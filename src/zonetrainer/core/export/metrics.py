"""Figures the report and the JSON summary derive from a stored session, each with its method.

Pure functions over :class:`SessionRecord`; nothing here is stored, so a better method later
changes old reports too, which is what a reader expects of a derived figure.
"""

from __future__ import annotations

from zonetrainer.core.model import SessionRecord
from zonetrainer.core.signal import (
    DRIFT_METHOD,
    RECOVERY_METHOD,
    SessionFigures,
    record_session_figures,
    summarize,
)

__all__ = ["DRIFT_METHOD", "RECOVERY_METHOD", "derived_figures", "time_in_zone_s"]


def derived_figures(record: SessionRecord) -> SessionFigures:
    """Drift and recovery of the session, by the one method of :mod:`zonetrainer.core.signal`
    (the CLI's per-interval figures are the same numbers, before averaging)."""
    return record_session_figures(record)


def time_in_zone_s(record: SessionRecord) -> tuple[float, ...]:
    """Seconds per zone: the stored summary's, else counted by the engine's rule."""
    if record.summary is not None:
        return tuple(record.summary.time_in_zone_s)
    header = record.header
    return tuple(summarize(record.samples, record.intervals, header.band,
                           header.zones).time_in_zone_s)
