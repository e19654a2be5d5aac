"""CSV and JSON carry the effort and the timer time; our CSV reads back exactly through our own
importer and into the history."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.export.effort_records import PAUSE, effort_record
from zonetrainer.core.export import export_session
from zonetrainer.core.imports import ImportFileError, recording_to_record
from zonetrainer.core.imports.csv import read_csv
from zonetrainer.core.store import Store


def test_csv_round_trips_effort_samples_and_interval_means(tmp_path: Path) -> None:
    record = effort_record("km/h")
    samples_path, _, intervals_path = export_session(record, "csv", tmp_path / "s.csv")
    with samples_path.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(record.samples) + len(record.efforts)
    effort_rows = [r for r in rows if r["effort_unit"]]
    assert [float(r["effort"]) for r in effort_rows] == [e.value for e in record.efforts]
    assert all(r["hr_bpm"] == "" for r in effort_rows)
    with intervals_path.open() as fh:
        laps = list(csv.DictReader(fh))
    assert [float(r["timer_s"]) for r in laps] == [i.timer_s for i in record.intervals]
    assert [float(r["avg_target_effort"]) for r in laps] == \
        [i.avg_target_effort for i in record.intervals]
    back = read_csv(samples_path)
    assert back.samples == record.samples  # effort rows are not samples
    assert back.efforts == record.efforts  # time, value, target, incline, source: all equal
    again = recording_to_record(back)
    assert [(i.avg_effort, i.avg_target_effort, i.effort_unit, i.timer_s)
            for i in again.intervals] == [
        (i.avg_effort, i.avg_target_effort, i.effort_unit, i.timer_s) for i in record.intervals]
    assert again.summary is not None and record.summary is not None
    assert again.summary.timer_s == pytest.approx(record.summary.timer_s)


def test_csv_effort_through_the_history(tmp_path: Path) -> None:
    record = effort_record("W")
    export_session(record, "csv", tmp_path / "s.csv")
    store = Store.open(tmp_path / "z.sqlite")
    try:
        stored = store.load(store.import_record(recording_to_record(read_csv(tmp_path / "s.csv"))))
    finally:
        store.close()
    assert stored.efforts == record.efforts
    assert stored.intervals[1].avg_effort == record.intervals[1].avg_effort
    assert stored.summary is not None and record.summary is not None
    assert stored.summary.timer_s == pytest.approx(record.summary.timer_s)


def test_a_bad_effort_cell_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("t_s,hr_bpm,effort,effort_unit\n0,120,,\n1,,9.5,mph\n")
    with pytest.raises(ImportFileError, match=r"line 3, column effort_unit: 'mph'"):
        read_csv(path)
    path.write_text("t_s,hr_bpm,effort,effort_unit\n0,120,,\n1,,nan,km/h\n")
    with pytest.raises(ImportFileError, match=r"line 3, column effort: nan is not a finite"):
        read_csv(path)


def test_a_foreign_power_column_is_read_as_effort(tmp_path: Path) -> None:
    path = tmp_path / "ride.csv"
    path.write_text("seconds,heart_rate,power_w\n0,110,150\n1,111,155\n2,112,\n")
    recording = read_csv(path)
    assert [s.hr_bpm for s in recording.samples] == [110.0, 111.0, 112.0]
    assert [(e.t_s, e.value, e.unit) for e in recording.efforts] == [(0.0, 150.0, "W"),
                                                                     (1.0, 155.0, "W")]


def test_json_has_timer_elapsed_and_effort(tmp_path: Path) -> None:
    record = effort_record("km/h")
    (path,) = export_session(record, "json", tmp_path / "s.json")
    doc = json.loads(path.read_text())
    assert record.summary is not None
    assert doc["elapsed_s"] == record.summary.duration_s
    assert doc["timer_s"] == record.summary.duration_s - (PAUSE[1] - PAUSE[0])
    assert doc["summary"]["timer_s"] == doc["timer_s"]
    assert doc["effort"]["unit"] == "km/h"
    assert doc["effort"]["readings"] == len(record.efforts)
    assert doc["effort"]["mean_target"] == pytest.approx(
        sum(e.target or 0 for e in record.efforts) / len(record.efforts))
    assert [i["avg_effort"] for i in doc["intervals"]] == \
        [i.avg_effort for i in record.intervals]
    assert [i["timer_s"] for i in doc["intervals"]] == [i.timer_s for i in record.intervals]
