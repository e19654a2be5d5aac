"""``zonetrainer import`` and the history: the athlete's stored profile, recordings already
there (recorded or imported, in any format), files without a date, RR-only files."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.export.records import make_record
from zonetrainer.cli import main
from zonetrainer.core.export import export_session
from zonetrainer.core.model import RecordBatch, SessionRecord
from zonetrainer.core.profile import Profile
from zonetrainer.core.store import Store

ANN = Profile(name="Ann", age_years=35.0, rest_hr_bpm=50.0, band_method="custom",
              custom_band_bpm=(131.0, 142.0), safety_max_bpm=171.0)


def stored(db: Path, session_id: int) -> SessionRecord:
    store = Store.open(db)
    try:
        return store.load(session_id)
    finally:
        store.close()


def session_ids(db: Path) -> list[int]:
    store = Store.open(db)
    try:
        return sorted(s.id for s in store.list_sessions())
    finally:
        store.close()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A history with Ann's profile and one session recorded here (not imported): session 1."""
    path = tmp_path / "history.sqlite"
    record = make_record()
    store = Store.open(path)
    try:
        store.save_athlete("Ann", ANN.to_json())
        recorder = store.recorder()
        sid = recorder.begin(record.header)
        recorder.write(sid, RecordBatch(record.samples, record.intervals, record.events))
        assert record.summary is not None
        recorder.finish(sid, record.summary, {})
    finally:
        store.close()
    assert stored(path, 1).status == "finished"
    return path


def test_import_uses_the_athletes_stored_profile(db: Path, data_dir: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    walk = str(data_dir / "fit" / "garmin-fenix-5-walk.fit")
    assert main(["--db", str(db), "import", walk, "--athlete", "Ann"]) == 0
    assert "note:" not in capsys.readouterr().out
    record = stored(db, 2)
    assert record.header.athlete_name == "Ann"
    assert (record.header.band.low_bpm, record.header.band.high_bpm) == (131.0, 142.0)
    assert record.header.zones == ANN.zones()
    assert json.loads(record.header.profile_json)["safety_max_bpm"] == 171.0
    # An athlete with no stored profile: filed under the name, the default band, and said so.
    assert main(["--db", str(db), "import", walk, "--athlete", "Bo", "--age", "30"]) == 0
    out = capsys.readouterr().out
    assert "note: no stored profile for athlete 'Bo': band and zones from the default " \
           "profile with --age" in out
    record = stored(db, 3)
    assert record.header.athlete_name == "Bo"
    assert record.header.band == Profile(name="Bo", age_years=30.0).band()


def test_a_recorded_session_is_not_imported_again(db: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    session = stored(db, 1)
    files = [tmp_path / "session-1.fit", tmp_path / "session-1.tcx", tmp_path / "session-1.csv"]
    for path in files:
        export_session(session, path.suffix[1:], path)
    args = ["--db", str(db), "import", "--athlete", "Test Athlete"]
    assert main([*args, *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert out.count("already in the history as session 1 (recorded") == 3
    assert session_ids(db) == [1]
    assert main([*args, "--again", str(files[1])]) == 0
    assert session_ids(db) == [1, 2]
    # The same start but twice as long is another recording.
    longer = tmp_path / "longer.fit"
    export_session(make_record(repeat=2), "fit", longer)
    assert main([*args, str(longer)]) == 0
    assert "imported as session 3" in capsys.readouterr().out


def test_files_without_a_date_start_at_their_modification_time(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "history.sqlite")
    written = datetime(2026, 5, 4, 18, 30, tzinfo=UTC)
    files = []
    for name, offset in (("a.csv", 0), ("b.csv", 5)):
        path = tmp_path / name
        path.write_text("t_s,hr_bpm\n" + "".join(f"{t},{120 + offset + t % 7}\n"
                                                 for t in range(600)))
        os.utime(path, (written.timestamp(), written.timestamp()))
        files.append(path)
    assert main(["--db", db, "import", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert "imported as session 1" in out and "imported as session 2" in out
    assert "from the file's modification time" in out
    store = Store.open(db)
    try:
        assert [s.started_at for s in store.list_sessions()] == [written, written]
        assert [t.period_start.year for t in store.totals()] == [2026]
    finally:
        store.close()
    # The very same file again is skipped; --start dates another, and says so.
    assert main(["--db", db, "import", str(files[0])]) == 0
    assert "already in the history as session 1 (imported" in capsys.readouterr().out
    assert main(["--db", db, "import", "--start", "2026-05-01T07:00+00:00", "--again",
                 str(files[0])]) == 0
    assert "start: 2026-05-01" in capsys.readouterr().out
    assert stored(Path(db), 3).header.started_at == datetime(2026, 5, 1, 7, 0, tzinfo=UTC)


def test_our_own_rr_csv_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = make_record()
    export_session(record, "csv", tmp_path / "s.csv")
    db = str(tmp_path / "history.sqlite")
    assert main(["--db", db, "import", str(tmp_path / "s-rr.csv")]) == 0
    out = capsys.readouterr().out
    with_rr = [s for s in record.samples if s.rr_ms]
    assert (f"imported as session 1: {len(with_rr)} heart-rate samples, "
            f"{sum(len(s.rr_ms) for s in with_rr)} RR intervals") in out
    imported = stored(Path(db), 1)
    assert [(s.t_s, s.rr_ms) for s in imported.samples] == [(s.t_s, s.rr_ms) for s in with_rr]


def test_nothing_kept_is_not_called_kept(tmp_path: Path, data_dir: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    eof = str(data_dir / "fit" / "activity-unexpected-eof.fit")
    assert main(["--db", str(tmp_path / "h.sqlite"), "import", eof]) == 2
    err = capsys.readouterr().err
    assert "nothing to import, no heart-rate values in it; file truncated after 14 records" \
        in err
    assert "kept" not in err


def test_a_dry_run_never_creates_the_history(tmp_path: Path, data_dir: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "none.sqlite"
    walk = str(data_dir / "fit" / "garmin-fenix-5-walk.fit")
    assert main(["--db", str(db), "import", "--dry-run", "--athlete", "Ann", walk]) == 0
    assert not db.exists()
    dry = capsys.readouterr().out
    assert dry.startswith("note: no stored profile for athlete 'Ann'")
    assert ": read: 17 heart-rate samples" in dry
    # What the real import says of the same athlete (it creates the history).
    assert main(["--db", str(db), "import", "--athlete", "Ann", walk]) == 0
    assert capsys.readouterr().out.splitlines()[0] == dry.splitlines()[0]
