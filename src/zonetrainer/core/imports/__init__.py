"""Recordings from other apps in: FIT, TCX and CSV files as :class:`Recording` values, and a
:class:`SessionRecord` made of one for the history (``Store.import_record``) or a replay.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from zonetrainer.core.imports.recording import (
    CorruptFileError,
    ImportFileError,
    Recording,
    RecordingLap,
)
from zonetrainer.core.model import IntervalRecord, SessionHeader, SessionRecord
from zonetrainer.core.profile import Profile
from zonetrainer.core.summary import summarize

#: File suffixes the importers understand.
SUFFIXES: Final = (".fit", ".tcx", ".csv")


def read_recording(path: str | Path) -> Recording:
    """Read a FIT, TCX or CSV file (chosen by its suffix). Raises ImportFileError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise ImportFileError(f"cannot import {path}: no such file")
    if suffix == ".fit":
        from zonetrainer.core.imports.fit import read_fit
        return read_fit(path)
    if suffix == ".tcx":
        from zonetrainer.core.imports.tcx import read_tcx
        return read_tcx(path)
    if suffix == ".csv":
        from zonetrainer.core.imports.csv import read_csv
        return read_csv(path)
    raise ImportFileError(f"cannot import {path}: unknown file type '{suffix or path.name}'; "
                          f"zonetrainer reads {', '.join(SUFFIXES)}")


def _intervals(laps: tuple[RecordingLap, ...]) -> tuple[IntervalRecord, ...]:
    # A foreign lap has no plan: its planned length is its actual length, and the reason says so.
    return tuple(IntervalRecord(i, lap.kind, lap.start_s, lap.end_s, lap.end_s - lap.start_s,
                                lap.note or f"imported lap ({lap.intensity or 'no intensity'})",
                                None, lap.avg_hr_bpm, lap.max_hr_bpm)
                 for i, lap in enumerate(laps))


def recording_to_record(recording: Recording, profile: Profile | None = None,
                        session_id: int = 0) -> SessionRecord:
    """A history entry (status "imported") from a recording, with the band and zones of
    ``profile`` (the default profile when None) and the summary counted by the engine's rule."""
    profile = profile or Profile()
    band, zones = profile.band(), profile.zones()
    intervals = _intervals(recording.laps)
    summary = summarize(recording.samples, intervals, band, zones,
                        duration_s=recording.duration_s)
    started_at = recording.started_at or datetime.fromtimestamp(0, UTC)
    name = Path(recording.path).name
    header = SessionHeader(started_at=started_at, plan_name=f"imported {recording.file_format}",
                           athlete_name=profile.name, band=band, zones=zones,
                           source_id=f"{recording.file_format}:{name}",
                           profile_json=json.dumps(asdict(profile)), sport=recording.sport)
    extra = {"import": json.dumps({"file": name, "device": recording.device,
                                   "warnings": list(recording.warnings)})}
    return SessionRecord(session_id, header, recording.samples, intervals, (), summary,
                         "imported", (), extra)


__all__ = ["SUFFIXES", "CorruptFileError", "ImportFileError", "Recording", "RecordingLap",
           "read_recording", "recording_to_record"]
