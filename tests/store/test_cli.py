"""The store's commands: sessions list/show/delete/recover, stats, db info/upgrade/backup."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import update

from tests.export.test_atomic_export import file_size_limit
from tests.support import store_data as data
from zonetrainer.cli import main
from zonetrainer.core.control import BOUT_HISTORY_KEY as EXTRA_KEY
from zonetrainer.core.control import BoutHistory
from zonetrainer.core.store import Store
from zonetrainer.core.store.schema import SessionRow
from zonetrainer.core.store.writer import writer_id


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "z.sqlite"
    store = Store.open(path)
    try:
        for n in range(3):
            store.import_record(data.record(data.day(7 * n), plan="zone2-continuous",
                                            athlete="Ann" if n else "Ben"))
    finally:
        store.close()
    return path


def test_list_and_filters(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, db, "sessions", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["ID", "started", "plan"]
    assert [int(line.split()[0]) for line in lines[1:]] == [3, 2, 1]
    _, out, _ = _run(capsys, db, "sessions", "list", "--athlete", "Ben")
    assert [int(line.split()[0]) for line in out.splitlines()[1:]] == [1]
    _, out, _ = _run(capsys, db, "sessions", "list", "--since", "2026-01-10")
    assert [int(line.split()[0]) for line in out.splitlines()[1:]] == [3, 2]
    _, out, _ = _run(capsys, db, "sessions", "list", "--plan", "nope")
    assert out.strip() == "no session matches"


def test_bad_since_date_is_a_usage_error(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "sessions", "list", "--since", "last tuesday"])
    assert exc.value.code == 2
    assert "'last tuesday' is not a date like 2026-03-01" in capsys.readouterr().err


@pytest.mark.parametrize(("limit", "message"), [
    ("0", "a whole number of at least 1 is needed, not 0"),
    ("-1", "a whole number of at least 1 is needed, not -1"),
    ("2.5", "'2.5' is not a whole number"),
])
def test_limit_is_a_whole_number_of_at_least_one(db: Path, capsys: pytest.CaptureFixture[str],
                                                 limit: str, message: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "sessions", "list", "--limit", limit])
    assert exc.value.code == 2 and message in capsys.readouterr().err
    _, out, _ = _run(capsys, db, "sessions", "list", "--limit", "2")
    assert [int(line.split()[0]) for line in out.splitlines()[1:]] == [3, 2]


def test_show(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, db, "sessions", "show", "2")
    assert code == 0
    assert out.startswith("session 2: zone2-continuous, Ann")
    assert "in band 0:06:40 (70.0%)" in out and "band reached" in out
    numbers = [line.split()[0] for line in out.splitlines() if line[:3].strip().isdigit()]
    assert numbers[0] == "1"  # counted from 1, as the run's summary and the dashboard do
    code, _, err = _run(capsys, db, "sessions", "show", "99")
    assert code == 2 and err == f"zonetrainer: error: no session 99 in {db}\n"


def test_show_reads_the_bout_history_out(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(db)
    try:
        store.set_extra(2, EXTRA_KEY, BoutHistory(work_bouts=8, eased_bouts=6).to_json())
        store.set_extra(3, EXTRA_KEY, '{"work_bouts": 1, "eased_bouts": 5}')
    finally:
        store.close()
    _, out, _ = _run(capsys, db, "sessions", "show", "2")
    assert 'zone_control_bouts: 6 of 8 work bouts needed "ease off"' in out
    code, out, _ = _run(capsys, db, "sessions", "show", "3")
    assert code == 0
    assert 'zone_control_bouts: {"work_bouts": 1, "eased_bouts": 5} (cannot be read: ' in out


def test_delete_needs_confirmation(db: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", open("/dev/null"))  # noqa: SIM115 - not a terminal
    code, _, err = _run(capsys, db, "sessions", "delete", "2")
    assert code == 2 and "not deleted (confirm, or add --yes)" in err
    code, out, _ = _run(capsys, db, "sessions", "delete", "2", "--yes")
    assert code == 0 and out.strip() == "deleted session 2"
    _, out, _ = _run(capsys, db, "sessions", "list")
    assert [int(line.split()[0]) for line in out.splitlines()[1:]] == [3, 1]


def test_stats(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, db, "stats", "--by", "week")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["week", "of", "sessions"]
    assert len(lines) == 1 + 3 + 1  # header, three weeks, the TRIMP note
    assert lines[1].split()[:5] == ["2026-01-05", "1", "0:10:00", "0:06:40", "0:00:10"]
    _, out, _ = _run(capsys, db, "stats", "--by", "month", "--athlete", "Ann")
    assert out.splitlines()[1].split()[:2] == ["2026-01", "2"]


def test_db_info_upgrade_backup(db: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, db, "db", "info")
    assert code == 0 and "schema revision: 0004 (up to date)" in out and "sessions: 3" in out
    code, out, _ = _run(capsys, db, "db", "upgrade")
    assert code == 0 and "already at revision 0004" in out
    target = tmp_path / "copy.sqlite"
    code, out, _ = _run(capsys, db, "db", "backup", "--out", str(target))
    assert code == 0 and out.strip() == f"backup written: {target}"
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone() == (3,)
    finally:
        conn.close()
    before = target.read_bytes()
    code, _, err = _run(capsys, db, "db", "backup", "--out", str(target))
    assert code == 2 and "already exists" in err and target.read_bytes() == before


def test_backup_into_an_existing_directory(db: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "bk"
    folder.mkdir()
    first, second = folder / "z.sqlite.backup.bak", folder / "z.sqlite.backup.bak2"
    code, out, _ = _run(capsys, db, "db", "backup", "--out", f"{folder}/")
    assert code == 0 and out.strip() == f"backup written: {first}"
    before = first.read_bytes()
    code, out, _ = _run(capsys, db, "db", "backup", "--out", str(folder))
    assert code == 0 and out.strip() == f"backup written: {second}"  # the first one is kept
    assert first.read_bytes() == before
    code, _, err = _run(capsys, db, "db", "backup", "--out", f"{tmp_path / 'none'}/")
    assert code == 2 and f"directory {tmp_path / 'none'} does not exist" in err
    assert not (tmp_path / "none").exists()
    missing = tmp_path / "missing.sqlite"
    code, _, err = _run(capsys, missing, "db", "backup", "--out", str(folder))
    assert code == 2 and f"no database at {missing}: nothing to back up" in err
    assert not missing.exists() and len(list(folder.iterdir())) == 2


#: Above the 32 KiB WAL index the open database needs, below the copy of the test history.
BACKUP_LIMIT_BYTES = 64 * 1024


def test_a_failed_backup_says_why_and_leaves_nothing(db: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "copy.sqlite"
    assert db.stat().st_size > BACKUP_LIMIT_BYTES
    with file_size_limit(BACKUP_LIMIT_BYTES):  # a real write failure, as a full disk gives
        code, _, err = _run(capsys, db, "db", "backup", "--out", str(target))
    assert code == 2
    assert err.startswith(f"zonetrainer: error: could not write the backup to {target}: "
                          "file too large: a file may grow to 65.5 kB here ('ulimit -f')")
    assert list(out_dir.iterdir()) == []


def test_a_backup_that_fails_midway_leaves_no_side_file(db: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    target = tmp_path / "copy.sqlite"
    # The copy is written, then SQLite cannot make the WAL index it needs to finish it.
    (tmp_path / "copy.sqlite-shm").mkdir()
    code, _, err = _run(capsys, db, "db", "backup", "--out", str(target))
    assert sorted(p.name for p in tmp_path.iterdir()  # the day of the last integrity check
                  if p.name != ".z.sqlite.checked") == ["copy.sqlite-shm", "z.sqlite"]
    assert code == 2 and f"could not write the backup to {target}: " in err


def test_recover_with_a_dead_writer(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a process id that no longer runs
    store = Store.open(db)
    try:
        rec = store.recorder()
        crashed = rec.begin(replace(data.header(), plan_name="crashed"))
        rec.write(crashed, data.batches(20.0)[0])
        live = rec.begin(replace(data.header(), plan_name="still running"))
        rec.flush()
        host = writer_id().rpartition(":")[0]
        with store._engine.begin() as conn:
            conn.execute(update(SessionRow).where(SessionRow.id == crashed)
                         .values(writer=f"{host}:{dead.pid}"))
        assert [s.id for s in store.interrupted()] == [crashed]
    finally:
        store.close()
    _, out, _ = _run(capsys, db, "sessions", "list")
    assert f"left unfinished by a crash ({crashed})" in out
    code, out, _ = _run(capsys, db, "sessions", "recover", str(live), "--keep")
    assert code == 2  # a session of a live process is not offered
    code, out, _ = _run(capsys, db, "sessions", "recover", "--discard", "--yes")
    assert code == 0 and out.strip() == f"session {crashed}: discarded"
    _, out, _ = _run(capsys, db, "sessions", "recover")
    assert out.strip() == "no unfinished sessions"
