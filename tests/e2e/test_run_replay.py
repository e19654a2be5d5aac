"""``zonetrainer run --replay FILE``: a real recording as the heart-rate source of a session,
through the CLI, the engine and a real SQLite file; and every bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_cli_run import fail
from zonetrainer.cli import main
from zonetrainer.core.imports import read_recording
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.store import Store

DATA = Path(__file__).resolve().parent.parent / "data"
#: A real 38-minute indoor ride: shorter than the 40-minute FatMax plan.
RIDE = DATA / "fit" / "sample-activity-indoor-trainer.fit"


def stored(db: Path) -> SessionRecord:
    store = Store.open(db)
    try:
        return store.load(1)
    finally:
        store.close()


def test_a_recording_drives_a_session_until_it_ends(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "z.sqlite"
    code = main(["--db", str(db), "run", "--headless", "--replay", str(RIDE), "--speed", "0",
                 "--age", "35", "--plan", "fatmax-intervals"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "(ended early: recording ended)" in out and "stored as session 1" in out
    recording = read_recording(RIDE)
    record = stored(db)
    assert record.header.source_id == f"replay:{RIDE.name}"
    assert record.intervals[-1].end_reason == "recording ended"
    assert [(s.hr_bpm, s.rr_ms) for s in record.samples] == \
        [(s.hr_bpm, s.rr_ms) for s in recording.samples]
    assert record.summary is not None
    assert record.summary.duration_s == pytest.approx(recording.samples[-1].t_s, abs=1.5)


def test_replay_speed_plays_the_recording_faster(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "z.sqlite"
    code = main(["--db", str(db), "run", "--headless", "--replay", str(RIDE), "--replay-speed",
                 "4", "--speed", "0", "--age", "35"])
    assert code == 0, capsys.readouterr().err
    recording = read_recording(RIDE)
    record = stored(db)
    assert len(record.samples) == len(recording.samples)
    assert record.summary is not None
    assert record.summary.duration_s == pytest.approx(recording.samples[-1].t_s / 4, abs=1.5)


@pytest.mark.parametrize(("args", "words"), [
    (["--replay", str(RIDE), "--simulate"], ["--replay and --simulate exclude each other"]),
    (["--replay", str(RIDE), "--device", "C0:FF:EE:00:11:22"],
     ["--replay and --device exclude each other"]),
    (["--replay", "no-such-file.fit"], ["no-such-file.fit", "no such file"]),
    (["--replay", str(DATA / "fit" / "activity-settings-corruptheader.fit")],
     ["corrupt FIT file header"]),
    (["--replay", str(DATA / "xsd" / "TrainingCenterDatabasev2.xsd")], ["unknown file type"]),
    (["--simulate", "--replay-speed", "2"], ["--replay-speed needs --replay"]),
])
def test_bad_replays_are_one_line_errors_that_write_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        words: list[str]) -> None:
    db = tmp_path / "z.sqlite"
    line = fail(capsys, ["--db", str(db), "run", "--headless", "--speed", "0", *args])
    for word in words:
        assert word in line
    assert not db.exists()


def test_a_zero_replay_speed_is_refused_by_the_parser(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", "--replay", str(RIDE), "--replay-speed", "0"])
    assert exc.value.code == 2
    assert "replay speed must be above 0" in capsys.readouterr().err


def test_a_recording_without_heart_rate_is_refused_before_the_database_opens(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "no-hr.csv"
    empty.write_text("t_s,hr_bpm\n0,\n1,\n2,\n")
    db = tmp_path / "z.sqlite"
    line = fail(capsys, ["--db", str(db), "run", "--headless", "--replay", str(empty)])
    assert "no-hr.csv" in line and "no heart-rate values" in line
    assert not db.exists()
