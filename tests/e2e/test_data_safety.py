"""Issue 16, data safety: a deleted database, the rescue import, a damaged file."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zonetrainer.cli import main
from zonetrainer.cli.run import _rescued
from zonetrainer.cli.run_text import LiveLine
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.model import SessionState
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.runner import runner_for
from zonetrainer.core.sources.simulated import simulated_source_for
from zonetrainer.core.store import Store, StoreError

PROFILE = Profile(name="Ann", age_years=40)
SHORT_PLAN = """title = "Short"
[[block]]
kind = "warmup"
duration_s = 120
[[block]]
kind = "cooldown"
duration_s = 120
"""


def test_a_database_deleted_mid_session_is_rescued_not_called_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    plan = tmp_path / "short.toml"
    plan.write_text(SHORT_PLAN)
    db = tmp_path / "z.sqlite"
    shown = LiveLine.show

    def delete_later(self: LiveLine, state: SessionState) -> None:
        if state.elapsed_s >= 60 and db.exists():
            db.unlink()  # the user (or a cleaner) removes the file while the session runs
        shown(self, state)

    monkeypatch.setattr(LiveLine, "show", delete_later)
    code = main(["--db", str(db), "run", "--simulate", "--plan", str(plan), "--speed", "0",
                 "--age", "40"])
    out = capsys.readouterr().out
    assert code == 2
    assert "stored as session" not in out
    assert "was deleted or replaced" in out
    rescued = sorted((tmp_path / "data" / "zonetrainer" / "unsaved").glob("*.fit"))
    assert len(rescued) == 1 and f"zonetrainer import '{rescued[0]}'" in out
    assert main(["--db", str(tmp_path / "new.sqlite"), "import", str(rescued[0])]) == 0
    store = Store.open(tmp_path / "new.sqlite")
    try:
        back = store.load(1)
    finally:
        store.close()
    assert back.summary is not None and back.summary.duration_s >= 239


def test_the_rescue_import_completes_the_partial_running_stub(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The database stops taking writes 10 minutes in (a lock standing for a full disk): the
    stub it holds (status running, no duration) is no duplicate of the rescued file; the
    import replaces the stub, and the history holds the whole session once."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = tmp_path / "z.sqlite"
    store = Store.open(db, busy_timeout_s=0.05, retry_pause_s=0.0)
    locker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    plan = load_plan("zone2-continuous")
    runner = runner_for(plan, PROFILE, simulated_source_for(PROFILE, PROFILE.band(), 4),
                        VirtualClock(), store.recorder(), datetime.now(UTC), alpha1_factory=None)

    def lock_later(state: SessionState) -> None:
        if state.elapsed_s >= 600 and not locker.in_transaction:
            locker.execute("BEGIN EXCLUSIVE")

    runner.on_state = lock_later
    try:
        with pytest.raises(StoreError):
            asyncio.run(runner.run())
        assert _rescued(plan, PROFILE, runner, StoreError("disk full")) == 2
    finally:
        with pytest.raises(StoreError):
            store.close()
        locker.close()
    capsys.readouterr()
    # The run process has ended: its stub names a process that is gone.
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sessions SET writer = ?",
                     (f"{socket.gethostname()}:{ended.stdout.strip()}",))
    rescued = sorted((tmp_path / "data" / "zonetrainer" / "unsaved").glob("*.fit"))
    assert len(rescued) == 1
    assert main(["--db", str(db), "import", str(rescued[0]), "--athlete", "Ann"]) == 0
    out = capsys.readouterr().out
    assert "already in the history" not in out
    assert "replaces the partial session 1" in out
    store = Store.open(db)
    try:
        listed = store.list_sessions()
        back = store.load(listed[0].id)
    finally:
        store.close()
    assert len(listed) == 1 and listed[0].status == "imported"
    with_hr = [s for s in runner.engine.samples if s.hr_bpm is not None]
    assert len([s for s in back.samples if s.hr_bpm is not None]) == len(with_hr)
    # A second import of the same file is the duplicate now.
    assert main(["--db", str(db), "import", str(rescued[0]), "--athlete", "Ann"]) == 0
    assert "already in the history" in capsys.readouterr().out


def _damaged_database(tmp_path: Path) -> Path:
    """A database of one imported session, a page in the middle of it overwritten."""
    csv = tmp_path / "a.csv"
    csv.write_text("t_s,hr_bpm\n" + "".join(f"{i},{100 + i % 50}\n" for i in range(20_000)))
    db = tmp_path / "z.sqlite"
    assert main(["--db", str(db), "import", str(csv)]) == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    with db.open("r+b") as fh:
        fh.seek(page * (pages // 2))
        fh.write(b"\x5a" * page)
    return db


def test_a_damaged_database_is_found_and_never_written_to(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _damaged_database(tmp_path)
    capsys.readouterr()
    before = db.read_bytes()
    csv = tmp_path / "b.csv"
    csv.write_text("t_s,hr_bpm\n0,120\n1,121\n")
    for command in (["db", "info"], ["db", "backup"], ["sessions", "list"],
                    ["import", str(csv)]):
        assert main(["--db", str(db), *command]) != 0, command
        err = capsys.readouterr().err
        assert "is damaged" in err and ".recover" in err and "backup" in err, command
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("z-backup*"))


def test_a_sound_database_is_checked_once_a_day(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "z.sqlite"
    csv = tmp_path / "b.csv"
    csv.write_text("t_s,hr_bpm\n0,120\n1,121\n")
    assert main(["--db", str(db), "import", str(csv)]) == 0
    assert main(["--db", str(db), "db", "info"]) == 0
    assert "integrity: ok" in capsys.readouterr().out
    mark = tmp_path / ".z.sqlite.checked"
    assert mark.read_text().strip() == datetime.now().date().isoformat()


def _finished_runner():  # type: ignore[no-untyped-def]
    from zonetrainer.core.plan import parse_plan
    from zonetrainer.core.recorder import MemoryRecorder

    runner = runner_for(parse_plan(SHORT_PLAN), PROFILE,
                        simulated_source_for(PROFILE, PROFILE.band(), 2), VirtualClock(),
                        MemoryRecorder(), datetime.now(UTC), alpha1_factory=None)
    asyncio.run(runner.run())
    return runner


def test_rescued_files_are_private_and_the_fallback_name_is_not_predictable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import stat
    import tempfile

    from zonetrainer.cli.rescue import rescue_to_fit

    runner = _finished_runner()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    old = os.umask(0o022)
    try:
        path = rescue_to_fit(runner)
        assert path is not None
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        # The data folder cannot be written: the copy goes to a fresh private temp folder.
        (tmp_path / "blocked").write_text("")
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "blocked"))
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
        (tmp_path / "tmp").mkdir()
        first, second = rescue_to_fit(runner), rescue_to_fit(runner)
    finally:
        os.umask(old)
    assert first is not None and second is not None and first != second
    for fallback in (first, second):
        assert fallback.parent.parent == tmp_path / "tmp"  # a folder of its own, random name
        assert stat.S_IMODE(fallback.stat().st_mode) == 0o600
        assert stat.S_IMODE(fallback.parent.stat().st_mode) == 0o700


EVIL = "Ann\x1b]0;owned\x07\x1b[2J\x9b31m"


def test_escape_codes_in_names_are_never_printed_raw(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A name is data (typed, or from someone's file): printed, it must not move the cursor,
    clear the screen or retitle the terminal."""
    db = tmp_path / "z.sqlite"
    csv = tmp_path / "b.csv"
    csv.write_text("t_s,hr_bpm\n0,120\n1,121\n")
    assert main(["--db", str(db), "import", str(csv), "--athlete", EVIL]) == 0
    assert main(["--db", str(db), "profile", "add", EVIL, "--age", "40"]) == 0
    for command in (["sessions", "list"], ["sessions", "show", "1"], ["profile", "list"],
                    ["profile", "show", EVIL]):
        assert main(["--db", str(db), *command]) == 0, command
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err and "\x9b" not in out + err
    assert "Ann\\x1b]0;owned" in out
