"""Issue 16, points 3 and 5: one rule for every format against impossible values, and no
decode error that is not the import's own clear error."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from zonetrainer.core.imports import ImportFileError, read_recording
from zonetrainer.core.imports.fit import _laps

TCX = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="Running"><Id>2026-03-14T07:30:00Z</Id>
<Lap StartTime="2026-03-14T07:30:00Z"><TotalTimeSeconds>{total}</TotalTimeSeconds>
<Intensity>Active</Intensity><Track>{points}</Track></Lap>
</Activity></Activities></TrainingCenterDatabase>
"""
POINT = ("<Trackpoint><Time>{time}</Time><HeartRateBpm><Value>{hr}</Value></HeartRateBpm>"
         "</Trackpoint>")


def tcx(tmp_path: Path, total: str = "60", hrs: tuple[str, ...] = ("120",) * 40,
        times: tuple[str, ...] | None = None) -> Path:
    times = times or tuple(f"2026-03-14T07:30:{i:02d}Z" for i in range(len(hrs)))
    path = tmp_path / "a.tcx"
    path.write_text(TCX.format(total=total, points="".join(
        POINT.format(time=t, hr=h) for t, h in zip(times, hrs, strict=True))))
    return path


def csv_file(tmp_path: Path, rows: list[str], header: str = "t_s,hr_bpm") -> Path:
    path = tmp_path / "a.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


@pytest.mark.parametrize("total", ["inf", "nan", "-5", "1e12"])
def test_a_tcx_lap_of_impossible_length_is_refused(tmp_path: Path, total: str) -> None:
    with pytest.raises(ImportFileError, match="lap 1"):
        read_recording(tcx(tmp_path, total=total))


@pytest.mark.parametrize("t_s", ["inf", "nan", "-1", "1e12"])
def test_a_csv_time_that_is_no_time_is_refused(tmp_path: Path, t_s: str) -> None:
    with pytest.raises(ImportFileError, match="time"):
        read_recording(csv_file(tmp_path, ["0,120", "1,121", f"{t_s},122"]))


def test_tcx_times_that_go_backwards_are_refused(tmp_path: Path) -> None:
    times = ("2026-03-14T07:30:00Z", "2026-03-14T07:30:05Z", "2026-03-14T07:30:02Z")
    with pytest.raises(ImportFileError, match="goes back"):
        read_recording(tcx(tmp_path, hrs=("120",) * 3, times=times))


@pytest.mark.parametrize("make", ["tcx", "csv"])
def test_one_heart_rate_rule_for_every_format(tmp_path: Path, make: str) -> None:
    """A single glitch (1e9 bpm) is no heart rate in any format: dropped with a warning; a file
    full of them is refused."""
    hrs = ["120"] * 39 + ["1e9"]
    path = tcx(tmp_path, hrs=tuple(hrs)) if make == "tcx" else \
        csv_file(tmp_path, [f"{i},{h}" for i, h in enumerate(hrs)])
    recording = read_recording(path)
    assert recording.hr_count == 39 and len(recording.samples) == 40
    assert any("1 heart-rate reading" in w and "300 bpm" in w for w in recording.warnings)
    hrs = ["120"] * 20 + ["1e9"] * 20
    path = tcx(tmp_path, hrs=tuple(hrs)) if make == "tcx" else \
        csv_file(tmp_path, [f"{i},{h}" for i, h in enumerate(hrs)])
    with pytest.raises(ImportFileError, match="not heart rates"):
        read_recording(path)


@pytest.mark.parametrize("energy", ["nan", "inf", "-3", "1e30"])
def test_csv_energy_that_is_no_energy_is_a_clear_error(tmp_path: Path, energy: str) -> None:
    path = csv_file(tmp_path, ["0,120,1", f"1,121,{energy}"], header="t_s,hr_bpm,energy_kj")
    with pytest.raises(ImportFileError, match="energy"):
        read_recording(path)


def test_a_csv_cell_over_128_kib_is_a_clear_error(tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["0,120", "1,121,\"" + "x" * 200_000 + "\""])
    with pytest.raises(ImportFileError, match="line 3"):
        read_recording(path)


def test_a_non_utf8_intervals_sibling_is_a_clear_error(tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["0,120", "1,121"])
    (tmp_path / "a-intervals.csv").write_bytes(b"kind,start_s\n\xff\xfe,0\n")
    with pytest.raises(ImportFileError, match=r"a-intervals\.csv"):
        read_recording(path)


def test_a_fit_lap_intensity_the_profile_does_not_name_is_work(tmp_path: Path) -> None:
    """A zero-filled FIT file gives the SDK an intensity number it has no name for."""
    start = datetime(2026, 3, 14, tzinfo=UTC)
    laps = _laps({"lap_mesgs": [{"start_time": start, "total_elapsed_time": 60,
                                 "intensity": 0x7F}]}, start, None)
    assert [(lap.kind, lap.intensity) for lap in laps] == [("work", "127")]


def test_our_csv_export_of_a_raw_strap_glitch_imports_back(tmp_path: Path) -> None:
    """Point 6: a session holds a raw glitch (27,895 bpm, stored, never counted); its CSV
    export imports again, the glitch dropped with a warning, every other reading kept."""
    import dataclasses

    from zonetrainer.core.export import export_session
    from zonetrainer.core.imports import recording_to_record

    source = csv_file(tmp_path, [f"{i},{120 + i % 7}" for i in range(60)])
    record = recording_to_record(read_recording(source))
    glitch = dataclasses.replace(record.samples[30], hr_bpm=27_895.0)
    record = dataclasses.replace(record, samples=(*record.samples[:30], glitch,
                                                  *record.samples[31:]))
    out = tmp_path / "out" / "s.csv"
    out.parent.mkdir()
    export_session(record, "csv", out)
    back = read_recording(out)
    assert [s.hr_bpm for s in back.samples] == [
        None if i == 30 else s.hr_bpm for i, s in enumerate(record.samples)]
    assert any("27895 bpm at 30 s" in w for w in back.warnings)


def test_a_big_csv_is_read_as_a_stream_with_progress(tmp_path: Path) -> None:
    """Point 7: the reader is told how far it is, ending at the file's size."""
    path = csv_file(tmp_path, [f"{i},{120 + i % 9}" for i in range(300_000)])
    told: list[tuple[int, int]] = []
    recording = read_recording(path, progress=lambda done, size: told.append((done, size)))
    assert recording.hr_count == 300_000
    size = path.stat().st_size
    assert len(told) >= 3 and told[-1] == (size, size)
    assert [d for d, _ in told] == sorted(d for d, _ in told)


def test_more_rows_than_one_session_is_a_clear_error(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from zonetrainer.core.imports import csv as csv_module

    monkeypatch.setattr(csv_module, "MAX_ROWS", 1000)
    path = csv_file(tmp_path, [f"{i},120" for i in range(2000)])
    with pytest.raises(ImportFileError, match="more than 1,000 rows"):
        read_recording(path)
