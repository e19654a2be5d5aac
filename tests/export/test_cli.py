"""``zonetrainer export`` and ``zonetrainer import`` through the real CLI and a real SQLite file."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from garmin_fit_sdk import Decoder, Stream

from tests.export.records import STARTED_AT, make_record
from zonetrainer.cli import main
from zonetrainer.core.store import Store


@pytest.fixture()
def db(tmp_path: Path) -> str:
    """A history with three sessions on three days (ids 1, 2, 3)."""
    path = tmp_path / "history.sqlite"
    store = Store.open(path)
    try:
        for day in range(3):
            record = make_record()
            header = replace(record.header, started_at=STARTED_AT + timedelta(days=day))
            store.import_record(replace(record, header=header))
    finally:
        store.close()
    return str(path)


def test_export_one_session_in_each_format(db: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("csv", "json", "fit", "tcx", "html"):
        out = tmp_path / f"s2.{fmt}"
        assert main(["--db", db, "export", "2", "--format", fmt, "--out", str(out)]) == 0
        assert out.stat().st_size > 1000
    assert (tmp_path / "s2-rr.csv").exists() and (tmp_path / "s2-intervals.csv").exists()
    assert str(tmp_path / "s2.fit") in capsys.readouterr().out


def test_format_from_the_suffix_and_into_a_directory(db: str, tmp_path: Path) -> None:
    assert main(["--db", db, "export", "1", "--out", str(tmp_path / "one.tcx")]) == 0
    assert (tmp_path / "one.tcx").read_bytes().startswith(b"<?xml")
    assert main(["--db", db, "export", "1", "--format", "fit", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "2026-03-14-0730-session-1.fit").exists()


def test_export_all_since_with_a_progress_bar(db: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "fits"
    assert main(["--db", db, "export", "--all", "--since", "2026-03-15", "--format", "fit",
                 "--out", str(out)]) == 0
    files = sorted(out.iterdir())
    assert [f.name for f in files] == ["2026-03-15-0730-session-2.fit",
                                       "2026-03-16-0730-session-3.fit"]
    for f in files:
        assert Decoder(Stream.from_file(str(f))).check_integrity()
    captured = capsys.readouterr()
    assert "[##############################] 2/2" in captured.err
    assert "exported 2 sessions (2 files)" in captured.out


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "--format", "fit", "--out", "x"], "give one session ID or --all"),
    (["export", "1", "--all", "--format", "fit", "--out", "x"], "give one session ID or --all"),
    (["export", "1", "--out", "x.gpx"], "say which format with --format"),
    (["export", "1", "--since", "2026-01-01", "--format", "fit", "--out", "x.fit"],
     "--since goes with --all"),
    (["export", "99", "--format", "fit", "--out", "x.fit"], "99"),
])
def test_export_mistakes_are_one_line_errors(db: str, tmp_path: Path, argv: list[str],
                                             message: str,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--db", db, *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x.fit").exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["1", "--out", "afile/x.fit"], "cannot write afile/x.fit: afile is a file, not a directory"),
    (["1", "--out", "afile/new/x.fit"], "afile is a file, not a directory"),
    (["--all", "--format", "fit", "--out", "afile/new"], "afile is a file, not a directory"),
    (["1", "--format", "fit", "--out", "-"], "export to standard output is not supported"),
    (["1", "--out", "-"], "export to standard output is not supported"),
])
def test_export_out_that_cannot_be_written(db: str, tmp_path: Path, argv: list[str],
                                           message: str, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("a file, where the path wants a directory")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["--db", db, "export", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no file named '-'


def test_import_files_into_the_history(tmp_path: Path, data_dir: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "history.sqlite")
    files = [data_dir / "fit" / "garmin-fenix-5-run.fit", data_dir / "fit" / "nick.fit",
             data_dir / "tcx" / "activity_5039744860.tcx"]
    assert main(["--db", db, "import", *map(str, files), "--age", "35"]) == 0
    out = capsys.readouterr().out
    assert "imported as session 1: 21 heart-rate samples, 113 RR intervals" in out
    assert "warning: file truncated after 14391 records; kept what could be read" in out
    store = Store.open(db)
    try:
        listed = store.list_sessions()
        assert sorted(s.status for s in listed) == ["imported"] * 3
        assert len(store.load(1).samples) == 21
    finally:
        store.close()


def test_import_bad_files_stores_nothing_for_them(tmp_path: Path, data_dir: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "history.sqlite")
    bad = [data_dir / "fit" / "activity-settings-corruptheader.fit",
           data_dir / "fit" / "activity-unexpected-eof.fit", tmp_path / "gone.fit"]
    good = data_dir / "fit" / "garmin-fenix-5-walk.fit"
    assert main(["--db", db, "import", *map(str, bad), str(good)]) == 2
    captured = capsys.readouterr()
    assert "corrupt FIT file header" in captured.err
    assert "nothing to import, no heart-rate values" in captured.err
    assert "no such file" in captured.err
    assert "Traceback" not in captured.err
    store = Store.open(db)
    try:
        assert len(store.list_sessions()) == 1
    finally:
        store.close()


def test_import_dry_run_and_impossible_profile(tmp_path: Path, data_dir: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "history.sqlite"
    good = str(data_dir / "fit" / "garmin-fenix-5-walk.fit")
    assert main(["--db", str(db), "import", "--dry-run", good]) == 0
    assert ": read: 17 heart-rate samples" in capsys.readouterr().out
    assert not db.exists()
    assert main(["--db", str(db), "import", "--age", "500", good]) == 2
    assert "age" in capsys.readouterr().err
    assert not db.exists()


def test_importing_the_same_file_twice_skips_it(tmp_path: Path, data_dir: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "history.sqlite")
    good = str(data_dir / "fit" / "garmin-fenix-5-walk.fit")
    assert main(["--db", db, "import", good]) == 0
    assert main(["--db", db, "import", good]) == 0
    assert "already in the history as session 1 (imported" in capsys.readouterr().out
    assert main(["--db", db, "import", "--again", good]) == 0
    assert "imported as session 2" in capsys.readouterr().out
