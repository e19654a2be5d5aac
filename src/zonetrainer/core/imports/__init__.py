"""Recordings from other apps in: FIT, TCX, CSV files and RR logs (``rrlog``) as
:class:`Recording` values, and a :class:`SessionRecord` made of one for the history
(``Store.import_record``) or a replay.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from zonetrainer.core.imports.recording import (
    CorruptFileError,
    ImportFileError,
    Recording,
    RecordingLap,
)
from zonetrainer.core.model import (
    EffortSample,
    IntervalRecord,
    SessionEvent,
    SessionHeader,
    SessionRecord,
)
from zonetrainer.core.profile import Profile
from zonetrainer.core.signal import summarize
from zonetrainer.core.timing import PAUSE_EVENT, RESUME_EVENT

#: File suffixes the importers understand.
SUFFIXES: Final = (".fit", ".tcx", ".csv", ".txt")


def read_recording(path: str | Path, progress: Callable[[int, int], None] | None = None
                   ) -> Recording:
    """Read a FIT, TCX or CSV file (chosen by its suffix), or an RR log from another app (a
    .csv or .txt told by its first lines: ``rrlog``), held to the one rule of
    :mod:`~zonetrainer.core.imports.checks`. Raises ImportFileError.
    ``progress(bytes read, file size)`` is told as a CSV is read (a big file takes a while).
    """
    from zonetrainer.core.imports.checks import checked
    return checked(_read(Path(path), progress))


def _read(path: Path, progress: Callable[[int, int], None] | None) -> Recording:
    suffix = path.suffix.lower()
    if not path.exists():
        raise ImportFileError(f"cannot import {path}: no such file")
    if suffix == ".fit":
        from zonetrainer.core.imports.fit import read_fit
        return read_fit(path)
    if suffix == ".tcx":
        from zonetrainer.core.imports.tcx import read_tcx
        return read_tcx(path)
    if suffix in (".csv", ".txt"):
        from zonetrainer.core.imports import rrlog
        kind = rrlog.sniff(path)
        # A .csv of one number a line stays the CSV reader's (its RR-only path).
        if kind is not None and not (suffix == ".csv" and kind == rrlog.PLAIN):
            return rrlog.read_rrlog(path, kind)
        if suffix == ".txt":
            raise ImportFileError(f"cannot import {path}: not an RR log zonetrainer knows; "
                                  f"{rrlog.accepted_text()}")
        from zonetrainer.core.imports.csv import read_csv
        return read_csv(path, progress)
    from zonetrainer.core.imports.rrlog import accepted_text
    raise ImportFileError(f"cannot import {path}: unknown file type '{suffix or path.name}'; "
                          f"zonetrainer reads {', '.join(SUFFIXES)}; {accepted_text()}")


def _lap_effort(lap: RecordingLap, efforts: tuple[EffortSample, ...]
                ) -> tuple[float | None, float | None, str | None]:
    """The lap's mean effort and target: the file's own, else the mean of its readings."""
    if lap.avg_effort is not None or not efforts:
        return lap.avg_effort, lap.avg_target_effort, lap.effort_unit
    unit = efforts[0].unit
    own = [e for e in efforts if lap.start_s <= e.t_s < lap.end_s and e.unit == unit]
    values = [e.value for e in own if e.value is not None]
    targets = [e.target for e in own if e.target is not None]
    if not values and not targets:
        return None, None, None
    return (sum(values) / len(values) if values else None,
            sum(targets) / len(targets) if targets else None, unit)


def _intervals(laps: tuple[RecordingLap, ...], efforts: tuple[EffortSample, ...] = ()
               ) -> tuple[IntervalRecord, ...]:
    # A foreign lap has no plan: its planned length is its actual length, and the reason says so.
    out = []
    for i, lap in enumerate(laps):
        avg, target, unit = _lap_effort(lap, efforts)
        out.append(IntervalRecord(
            i, lap.kind, lap.start_s, lap.end_s, lap.end_s - lap.start_s,
            lap.note or f"imported lap ({lap.intensity or 'no intensity'})", None,
            lap.avg_hr_bpm, lap.max_hr_bpm, avg, target, unit,  # type: ignore[arg-type]
            lap.timer_s))
    return tuple(out)


def _pause_events(recording: Recording) -> tuple[SessionEvent, ...]:
    events: list[SessionEvent] = []
    for begin, end in recording.pauses:
        events += [SessionEvent(begin, PAUSE_EVENT, "timer stopped on the recording device"),
                   SessionEvent(end, RESUME_EVENT, "timer started on the recording device")]
    return tuple(events)


#: Where :func:`recording_start` found the start: only the first is the recording's own.
START_FROM_FILE: Final = "the file"
START_GIVEN: Final = "the start given"
START_FROM_MTIME: Final = "the file's modification time"


def recording_start(recording: Recording, given: datetime | None = None
                    ) -> tuple[datetime, str]:
    """When ``recording`` started, and where that came from (one of the START_ values).

    A file that says it (FIT, TCX, a CSV with times of day) is believed; a CSV of seconds from
    0 or of RR intervals alone has no date, so ``given`` is used, else the file's modification
    time (the day it was written is closer than 1970, and two such files differ).
    """
    if recording.started_at is not None:
        return recording.started_at, START_FROM_FILE
    if given is not None:
        return (given if given.tzinfo else given.astimezone()).astimezone(UTC), START_GIVEN
    try:
        mtime = Path(recording.path).stat().st_mtime
    except OSError as exc:
        raise ImportFileError(f"{recording.path} says no start time and its file cannot be "
                              f"read for one ({exc.strerror or exc})") from exc
    return datetime.fromtimestamp(mtime, UTC), START_FROM_MTIME


def file_sha256(path: str | Path) -> str | None:
    """The file's SHA-256 (hex), or None when it cannot be read: how a re-import is told."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def recording_to_record(recording: Recording, profile: Profile | None = None,
                        session_id: int = 0, started_at: datetime | None = None
                        ) -> SessionRecord:
    """A history entry (status "imported") from a recording, with the band and zones of
    ``profile`` (the default profile when None) and the summary counted by the engine's rule.

    ``started_at`` is used when the file has no start time of its own (see
    :func:`recording_start`); the ``import`` extra says where the start came from and holds the
    file's SHA-256.
    """
    profile = profile or Profile()
    band, zones = profile.band(), profile.zones()
    intervals = _intervals(recording.laps, recording.efforts)
    summary = summarize(recording.samples, intervals, band, zones,
                        duration_s=recording.duration_s)
    timer_s = recording.timer_s
    if timer_s is None and any(lap.timer_s is not None for lap in recording.laps):
        timer_s = sum(lap.timer_s if lap.timer_s is not None else lap.end_s - lap.start_s
                      for lap in recording.laps)
    summary = replace(summary, timer_s=timer_s)
    start, start_from = recording_start(recording, started_at)
    name = Path(recording.path).name
    header = SessionHeader(started_at=start, plan_name=f"imported {recording.file_format}",
                           athlete_name=profile.name, band=band, zones=zones,
                           source_id=f"{recording.file_format}:{name}",
                           profile_json=json.dumps(asdict(profile)), sport=recording.sport)
    extra = {"import": json.dumps({"file": name, "device": recording.device,
                                   "warnings": list(recording.warnings),
                                   "start_from": start_from,
                                   "sha256": file_sha256(recording.path)})}
    return SessionRecord(session_id, header, recording.samples, intervals,
                         _pause_events(recording), summary, "imported", (), extra,
                         recording.efforts)


__all__ = ["START_FROM_FILE", "START_FROM_MTIME", "START_GIVEN", "SUFFIXES",
           "CorruptFileError", "ImportFileError", "Recording", "RecordingLap", "file_sha256",
           "read_recording", "recording_start", "recording_to_record"]
