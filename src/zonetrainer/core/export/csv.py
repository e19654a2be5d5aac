"""A session as three CSV files: samples (with their RR), RR beat by beat, and intervals.

``session.csv`` -> ``session.csv`` (samples), ``session-rr.csv``, ``session-intervals.csv``.
Numbers are written with Python's shortest round-trip repr, so reading them back gives the very
same floats; the sample file's ``rr_ms`` column (values separated by spaces) lets the CSV
importer rebuild each sample exactly. A machine's or effort sensor's readings are rows of the
sample file too, at their own times, with the effort columns filled in and no heart rate
(``effort`` and ``target_effort`` in ``effort_unit``, km/h or W); the intervals file has each
interval's mean effort and target, and its timer (moving) time beside its elapsed one.
"""

from __future__ import annotations

import csv
import heapq
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO, Final, TextIO

from zonetrainer.core.export.fit import as_utc
from zonetrainer.core.model import EffortSample, HeartRateSample, SessionRecord

SAMPLE_COLUMNS: Final = ("t_s", "time_utc", "hr_bpm", "rr_ms", "contact", "energy_kj",
                         "source_id", "effort", "target_effort", "effort_unit", "incline_pct",
                         "cadence_rpm")
RR_COLUMNS: Final = ("beat", "t_s", "rr_ms")
INTERVAL_COLUMNS: Final = ("index", "kind", "start_s", "end_s", "planned_s", "actual_s",
                           "end_reason", "exercise", "avg_hr_bpm", "max_hr_bpm", "avg_effort",
                           "avg_target_effort", "effort_unit", "timer_s")


def _num(value: float | int | None) -> str:
    return "" if value is None else repr(value)


def sibling_paths(out_path: Path) -> tuple[Path, Path, Path]:
    """The samples, RR and intervals files for an export to ``out_path``."""
    stem = out_path.with_suffix("")
    return (out_path, stem.with_name(stem.name + "-rr.csv"),
            stem.with_name(stem.name + "-intervals.csv"))


@contextmanager
def _text(binary: BinaryIO) -> Iterator[TextIO]:
    """A UTF-8 text view of ``binary`` that leaves it open (the caller renames it into place)."""
    text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    try:
        yield text
    finally:
        text.flush()
        text.detach()


def write_csv(record: SessionRecord, samples_fh: BinaryIO, rr_fh: BinaryIO,
              intervals_fh: BinaryIO) -> None:
    """Write the three files (see :func:`sibling_paths` for their names)."""
    start = as_utc(record.header.started_at)
    with _text(samples_fh) as fh:
        writer = csv.writer(fh)
        writer.writerow(SAMPLE_COLUMNS)
        rows: Iterator[tuple[float, HeartRateSample | EffortSample]] = heapq.merge(
            ((s.t_s, s) for s in record.samples), ((e.t_s, e) for e in record.efforts),
            key=lambda x: x[0])
        for t_s, s in rows:
            moment = (start + timedelta(seconds=t_s)).isoformat()
            if isinstance(s, EffortSample):
                writer.writerow((_num(t_s), moment, "", "", "", "", s.source_id, _num(s.value),
                                 _num(s.target), s.unit, _num(s.incline_pct),
                                 _num(s.cadence_rpm)))
                continue
            writer.writerow((_num(s.t_s), moment, _num(s.hr_bpm),
                             " ".join(repr(v) for v in s.rr_ms),
                             "" if s.contact is None else int(s.contact), _num(s.energy_kj),
                             s.source_id, "", "", "", "", ""))
    with _text(rr_fh) as fh:
        writer = csv.writer(fh)
        writer.writerow(RR_COLUMNS)
        beat = 0
        for s in record.samples:
            for rr in s.rr_ms:
                writer.writerow((beat, _num(s.t_s), repr(rr)))
                beat += 1
    with _text(intervals_fh) as fh:
        writer = csv.writer(fh)
        writer.writerow(INTERVAL_COLUMNS)
        for i in record.intervals:
            writer.writerow((i.index, i.kind, _num(i.start_s), _num(i.end_s), _num(i.planned_s),
                             _num(i.actual_s), i.end_reason, i.exercise or "",
                             _num(i.avg_hr_bpm), _num(i.max_hr_bpm), _num(i.avg_effort),
                             _num(i.avg_target_effort), i.effort_unit or "", _num(i.timer_s)))
