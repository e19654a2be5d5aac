"""Issue 16, point 9: RR logs of other apps are read, dated by the file where it says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from zonetrainer.core.imports import (
    START_FROM_FILE,
    ImportFileError,
    read_recording,
    recording_start,
    recording_to_record,
)

DATA = Path(__file__).parents[1] / "data" / "rrlogs"
BEATS, TOTAL_MS = 240, 121950  # what the fixtures hold (tests/data/rrlogs/README.md)


def local(*parts: int) -> datetime:
    return datetime(*parts).astimezone().astimezone(UTC)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "start"), [
    ("fatmaxxer.rr.csv", datetime(2025, 12, 2, 10, 0, 0, tzinfo=UTC)),
    ("hrvlogger_RR_0001.csv", local(2025, 3, 15, 9, 0, 0)),
    ("polar_RR.txt", local(2026, 6, 1, 21, 17, 0)),
    ("kubios_report.txt", local(2025, 9, 12, 8, 30, 0) - timedelta(milliseconds=596)),
    ("kubios_export.txt", None),
    ("elitehrv.txt", None),
])
def test_each_rr_log_is_read_beat_by_beat(name: str, start: datetime | None) -> None:
    recording = read_recording(DATA / name)
    assert len(recording.samples) == BEATS
    assert recording.rr_count == BEATS
    assert recording.duration_s == pytest.approx(TOTAL_MS / 1000.0)
    first = recording.samples[0]
    assert first.rr_ms == (596.0,) and first.hr_bpm == pytest.approx(60000.0 / 596.0)
    if start is None:
        assert recording.started_at is None
    else:
        assert recording.started_at is not None
        assert abs((recording.started_at - start).total_seconds()) < 0.05
        assert recording_start(recording)[1] == START_FROM_FILE


def test_an_imported_rr_log_is_dated_by_its_own_timestamps() -> None:
    record = recording_to_record(read_recording(DATA / "fatmaxxer.rr.csv"))
    assert record.header.started_at.date().isoformat() == "2025-12-02"
    assert record.summary is not None and record.summary.avg_hr_bpm == pytest.approx(
        60000.0 * BEATS / TOTAL_MS, abs=0.3)


def test_an_unknown_file_says_rr_only_files_are_accepted(tmp_path: Path) -> None:
    for name, text in (("notes.txt", "hello\nworld\n"), ("other.csv", "a,b\n1,2\n"),
                       ("log.json", "{}")):
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(ImportFileError, match="RR-only files are accepted"):
            read_recording(path)


def test_a_broken_rr_log_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.rr.csv"
    path.write_text("timestamp,rr,since_start\n1764669600633,inf,0\n1764669601225,603,596\n")
    with pytest.raises(ImportFileError, match="line 2"):
        read_recording(path)
    path.write_text("timestamp,rr,since_start\nyesterday,596,0\n")
    with pytest.raises(ImportFileError, match="epoch ms"):
        read_recording(path)


def test_an_rr_log_replays(tmp_path: Path) -> None:
    import asyncio

    from zonetrainer.core.clock import VirtualClock
    from zonetrainer.core.sources.replay import ReplaySource

    clock = VirtualClock()
    source = ReplaySource(DATA / "polar_RR.txt", clock, speed=10.0)
    asyncio.run(source.start())
    played = []
    while not source.finished and clock.now_s() < 100.0:
        clock.advance_to(clock.now_s() + 1.0)
        played.extend(source.drain(clock.now_s()))
    assert len(played) == BEATS and sum(len(s.rr_ms) for s in played) == BEATS
