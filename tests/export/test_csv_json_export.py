"""CSV (samples, RR, intervals) and the JSON summary."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from zonetrainer.core.export import ExportError, export_session
from zonetrainer.core.imports.csv import read_csv
from zonetrainer.core.model import SessionRecord


def test_csv_writes_samples_rr_and_intervals(record: SessionRecord, tmp_path: Path) -> None:
    samples, rr, intervals = export_session(record, "csv", tmp_path / "s.csv")
    assert (samples.name, rr.name, intervals.name) == ("s.csv", "s-rr.csv", "s-intervals.csv")
    with rr.open() as fh:
        rows = list(csv.DictReader(fh))
    stored = [(s.t_s, v) for s in record.samples for v in s.rr_ms]
    assert [(float(r["t_s"]), float(r["rr_ms"])) for r in rows] == stored
    with intervals.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["kind"], float(r["planned_s"]), float(r["actual_s"]), r["end_reason"])
            for r in rows] == [(i.kind, i.planned_s, i.actual_s, i.end_reason)
                               for i in record.intervals]


def test_csv_reads_back_exactly(record: SessionRecord, tmp_path: Path) -> None:
    export_session(record, "csv", tmp_path / "s.csv")
    back = read_csv(tmp_path / "s.csv")
    assert back.samples == record.samples  # HR, RR (1/1024 s floats), contact, source: all equal
    assert back.started_at == record.header.started_at
    assert [(lap.kind, lap.start_s, lap.end_s) for lap in back.laps] == \
        [(i.kind, i.start_s, i.end_s) for i in record.intervals]


def test_json_summary_holds_the_session_figures(record: SessionRecord, tmp_path: Path) -> None:
    (path,) = export_session(record, "json", tmp_path / "s.json")
    doc = json.loads(path.read_text())
    summary = record.summary
    assert summary is not None
    assert doc["format"] == "zonetrainer-session-summary"
    assert doc["session_id"] == record.session_id
    assert doc["summary"]["duration_s"] == summary.duration_s
    assert doc["summary"]["time_in_band_s"] == summary.time_in_band_s
    assert doc["summary"]["avg_hr_bpm"] == summary.avg_hr_bpm
    assert doc["band"]["source"] == record.header.band.source
    assert doc["sample_count"] == len(record.samples)
    assert doc["rr_count"] == sum(len(s.rr_ms) for s in record.samples)
    assert [i["end_reason"] for i in doc["intervals"]] == \
        [i.end_reason for i in record.intervals]
    assert len(doc["alpha1"]) == len(record.alpha1)
    assert doc["profile"] == {"age_years": 40, "rest_hr_bpm": 55}


def test_unknown_format_is_a_clear_error(record: SessionRecord, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"unknown export format 'gpx'.*fit, tcx"):
        export_session(record, "gpx", tmp_path / "s.gpx")


def test_missing_directory_is_a_clear_error(record: SessionRecord, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export_session(record, "fit", tmp_path / "nowhere" / "s.fit")


def test_unwritable_path_is_a_clear_error(record: SessionRecord, tmp_path: Path) -> None:
    # A name longer than any file system allows fails even for root, unlike a read-only mode.
    with pytest.raises(ExportError, match=r"cannot write fit export .*File name too long"):
        export_session(record, "fit", tmp_path / ("x" * 300 + ".fit"))


def test_a_directory_as_out_path_is_a_clear_error(record: SessionRecord, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a directory"):
        export_session(record, "json", tmp_path)



def test_unknown_values_do_not_break_any_format(tmp_path: Path) -> None:
    """NaN where a figure could not be computed: JSON says null, FIT and TCX leave it out."""
    from dataclasses import replace

    from tests.export.records import make_record
    from zonetrainer.core.model import Alpha1Reading

    record = make_record()
    assert record.summary is not None
    nan = float("nan")
    record = replace(record, summary=replace(record.summary, avg_hr_bpm=nan),
                     intervals=(replace(record.intervals[0], avg_hr_bpm=nan),
                                *record.intervals[1:]),
                     alpha1=(Alpha1Reading(120.0, nan, 0.2, 200, 120.0, False),))
    for fmt in ("json", "fit", "tcx", "csv", "html"):
        export_session(record, fmt, tmp_path / f"s.{fmt}")
    doc = json.loads((tmp_path / "s.json").read_text())
    assert doc["summary"]["avg_hr_bpm"] is None and doc["alpha1"][0]["alpha1"] is None
