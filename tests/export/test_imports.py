"""Importing the real recordings: FIT (Garmin SDK, checked against fitdecode), TCX and CSV;
truncated files keep what could be read and say so; damaged or foreign files are clear errors."""

from __future__ import annotations

import io
from pathlib import Path

import fitdecode
import pytest

from zonetrainer.core.errors import UserError
from zonetrainer.core.imports import (
    CorruptFileError,
    ImportFileError,
    read_recording,
    recording_to_record,
)

GOOD_FIT = ["2013-02-06-12-11-14.fit", "4801048867.fit", "developer-types-sample.fit",
            "garmin-edge-820-bike.fit", "garmin-fenix-5-run.fit", "garmin-fenix-5-walk.fit",
            "sample-activity-indoor-trainer.fit"]


def fitdecode_hr_and_rr(path: Path) -> tuple[list[int | None], list[float]]:
    """Heart rates of the record messages and every valid RR, read by a second decoder."""
    hr: list[int | None] = []
    rr: list[float] = []
    reader = fitdecode.FitReader(io.BytesIO(path.read_bytes()),
                                 error_handling=fitdecode.ErrorHandling.IGNORE)
    try:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "record" and frame.get_value("timestamp", fallback=None):
                hr.append(frame.get_value("heart_rate", fallback=None))
            elif frame.name == "hrv":
                values = frame.get_value("time", fallback=None) or ()
                rr += [round(v * 1000.0) for v in values if v is not None and v < 65.535]
    except fitdecode.FitEOFError:
        pass  # a truncated file: compare what both decoders could read
    finally:
        reader.close()
    return hr, rr


@pytest.mark.parametrize("name", GOOD_FIT)
def test_real_fit_files_import_and_agree_with_fitdecode(data_dir: Path, name: str) -> None:
    path = data_dir / "fit" / name
    recording = read_recording(path)
    hr, rr = fitdecode_hr_and_rr(path)
    assert recording.warnings == ()
    assert [s.hr_bpm for s in recording.samples] == [None if not v else float(v) for v in hr]
    assert [v for s in recording.samples for v in s.rr_ms] == rr
    assert recording.hr_count > 0
    assert recording.started_at is not None and recording.started_at.tzinfo is not None
    assert recording.samples[0].t_s == 0.0


def test_fit_rr_intervals_and_device(data_dir: Path) -> None:
    recording = read_recording(data_dir / "fit" / "garmin-fenix-5-run.fit")
    assert recording.rr_count > 50
    assert all(300.0 <= rr <= 2000.0 for s in recording.samples for rr in s.rr_ms)
    assert recording.device == "garmin fenix5"
    assert recording.sport == "running"


def test_laps_come_with_their_intensity(data_dir: Path) -> None:
    recording = read_recording(data_dir / "fit" / "2013-02-06-12-11-14.fit")
    assert len(recording.laps) == 5
    assert {lap.kind for lap in recording.laps} == {"work"}  # "active" laps
    assert recording.laps[0].start_s == 0.0


def test_truncated_long_file_keeps_what_could_be_read(data_dir: Path) -> None:
    recording = read_recording(data_dir / "fit" / "nick.fit")
    assert len(recording.samples) == 14391
    assert recording.warnings == ("file truncated after 14391 records; kept what could be read",)
    hr, _ = fitdecode_hr_and_rr(data_dir / "fit" / "nick.fit")
    assert [s.hr_bpm for s in recording.samples] == [None if not v else float(v) for v in hr]
    # The strap lost contact now and then: 0 bpm becomes "no heart rate", never a number.
    lost = [s for s in recording.samples if s.hr_bpm is None]
    assert lost and all(s.contact is False for s in lost)
    assert recording.duration_s > 4.5 * 3600


def test_truncated_short_file_says_so(data_dir: Path) -> None:
    recording = read_recording(data_dir / "fit" / "activity-unexpected-eof.fit")
    assert len(recording.samples) == 14
    assert "file truncated after 14 records; kept what could be read" in recording.warnings
    assert "no heart-rate values in this file" in recording.warnings


def test_corrupt_header_is_a_clear_error(data_dir: Path) -> None:
    with pytest.raises(CorruptFileError, match="corrupt FIT file header") as caught:
        read_recording(data_dir / "fit" / "activity-settings-corruptheader.fit")
    assert isinstance(caught.value, UserError)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "not a FIT file"),
    (b"this is a text file, not a FIT file at all", "not a FIT file"),
    (b"\x0e\x10\x00\x00" + b"\xff" * 40, "not a FIT file"),
])
def test_not_a_fit_file_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.fit"
    path.write_bytes(content)
    with pytest.raises(CorruptFileError, match=message):
        read_recording(path)


def test_missing_file_and_unknown_type_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        read_recording(tmp_path / "gone.fit")
    (tmp_path / "track.gpx").write_text("<gpx/>")
    with pytest.raises(ImportFileError, match=r"unknown file type '\.gpx'"):
        read_recording(tmp_path / "track.gpx")


def test_real_tcx_imports(data_dir: Path) -> None:
    recording = read_recording(data_dir / "tcx" / "activity_5039744860.tcx")
    assert recording.warnings == ()
    assert len(recording.samples) == recording.hr_count == 100
    assert len(recording.laps) == 5
    assert recording.sport == "cycling"
    assert recording.device == "Garmin Edge 1000"
    assert recording.samples[0].hr_bpm is not None


def test_truncated_tcx_keeps_what_could_be_read(data_dir: Path, tmp_path: Path) -> None:
    text = (data_dir / "tcx" / "activity_5039744860.tcx").read_bytes()
    cut = tmp_path / "cut.tcx"
    cut.write_bytes(text[: len(text) // 2])
    recording = read_recording(cut)
    assert 10 < len(recording.samples) < 100
    assert recording.warnings[0].startswith(f"file truncated after {len(recording.samples)} "
                                            "trackpoints")


@pytest.mark.parametrize(("content", "message"), [
    ("<gpx xmlns='http://www.topografix.com/GPX/1/1'/>", "not a TCX file"),
    ("this is not XML", "not a readable TCX file"),
])
def test_not_a_tcx_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.tcx"
    path.write_text(content)
    with pytest.raises(ImportFileError, match=message):
        read_recording(path)


def test_foreign_csv_with_clock_times(tmp_path: Path) -> None:
    path = tmp_path / "polar.csv"
    path.write_text("Timestamp,Heart_Rate,RR_ms\n2026-03-01T08:00:00Z,92,650;652\n"
                    "2026-03-01T08:00:01Z,93,\n2026-03-01T08:00:03Z,0,\n")
    recording = read_recording(path)
    assert [(s.t_s, s.hr_bpm, s.rr_ms) for s in recording.samples] == \
        [(0.0, 92.0, (650.0, 652.0)), (1.0, 93.0, ()), (3.0, None, ())]
    assert recording.samples[2].contact is False


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty CSV file"),
    ("t_s,power\n0,200\n", "line 1: need a heart-rate column"),
    ("t_s,hr_bpm\n0,120\n1,fast\n2,121\n", "line 3, column hr_bpm: 'fast' is not a number"),
    ("t_s,hr_bpm\n5,120\n4,121\n", "line 3: time 4.0 s goes back"),
    # One rule for every format (issue 16): a lone glitch is dropped, a column of them refused.
    ("t_s,hr_bpm\n0,120\n1,900\n", "first 900 at 1 s.: not heart rates"),
    ("time_utc,hr_bpm\nyesterday,120\n", "line 2, column time_utc: 'yesterday' is not"),
    ("t_s,hr_bpm,rr_ms\n0,120\n1,121,500\n", "line 2: 2 columns, header has 3"),
])
def test_bad_csv_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ImportFileError, match=message):
        read_recording(path)


def test_csv_cut_mid_line_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text("t_s,hr_bpm,rr_ms\n0,120,500\n1,121,498\n2,12")
    recording = read_recording(path)
    assert len(recording.samples) == 2
    assert recording.warnings == ("file truncated: incomplete last line 4 dropped; "
                                  "kept 2 samples",)


def test_recording_becomes_an_imported_session(data_dir: Path) -> None:
    recording = read_recording(data_dir / "fit" / "sample-activity-indoor-trainer.fit")
    record = recording_to_record(recording)
    assert record.status == "imported"
    assert record.summary is not None
    assert record.summary.sample_count == len(recording.samples)
    live = [s.hr_bpm for s in recording.samples if s.hr_bpm is not None]
    assert record.summary.max_hr_bpm == max(live)
    assert record.summary.avg_hr_bpm == pytest.approx(sum(live) / len(live), abs=1.0)
    assert [i.kind for i in record.intervals] == [lap.kind for lap in recording.laps]
    assert record.header.sport == "cycling"
    assert "sample-activity-indoor-trainer.fit" in record.extra["import"]


def test_semicolon_csv_and_rr_only_files(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("t_s;hr_bpm\n0;100\n1;101\n")
    assert [s.hr_bpm for s in read_recording(path).samples] == [100.0, 101.0]
    path = tmp_path / "rr.csv"
    path.write_text("800\n750\n\n1000\n")
    recording = read_recording(path)
    assert [(s.t_s, s.hr_bpm, s.rr_ms) for s in recording.samples] == \
        [(0.8, 75.0, (800.0,)), (1.55, 80.0, (750.0,)), (2.55, 60.0, (1000.0,))]
    assert "derived beat by beat" in recording.warnings[0]
    path.write_text("rr_ms\n800\n12\n")
    with pytest.raises(ImportFileError, match=r"line 3, column rr_ms: 12\.0 ms is not a beat"):
        read_recording(path)
    # One artifact beat among many is dropped, and said; the time still counts it.
    path.write_text("rr_ms\n" + "800\n" * 10 + "150\n" + "800\n" * 29)
    recording = read_recording(path)
    assert len(recording.samples) == 39 and recording.samples[10].t_s == pytest.approx(8.95)
    assert recording.warnings[1] == ("1 beat interval outside 200-3000 ms dropped as "
                                     "artifacts (first on line 12)")


def test_fit_with_a_bad_checksum_keeps_its_records(tmp_path: Path) -> None:
    from tests.export.records import make_record
    from zonetrainer.core.export.fit import encode_fit

    record = make_record()
    data = bytearray(encode_fit(record))
    data[-1] ^= 0xFF
    path = tmp_path / "crc.fit"
    path.write_bytes(bytes(data))
    recording = read_recording(path)
    assert len(recording.samples) == len(record.samples)
    assert recording.warnings == (f"file checksum (CRC) does not match after "
                                  f"{len(record.samples)} records; kept what could be read",)
