"""Every way opening or writing the database can fail gives one clear line; nothing is lost."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tests.support import store_data as data
from tests.support.postgres import postgres_base_url
from zonetrainer.core.store import Store, StoreError, migrate

ROOT = Path(__file__).resolve().parents[2]


def _one_line(exc: pytest.ExceptionInfo[StoreError]) -> str:
    text = str(exc.value)
    assert "\n" not in text and text
    return text


def _cli(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "zonetrainer", *args], cwd=ROOT,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"my training notes, not a database\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError) as exc:
        Store.open(path)
    assert "is not a SQLite database" in _one_line(exc) and str(path) in str(exc.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]
    done = _cli("--db", str(path), "sessions", "list")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "is not a SQLite database" in done.stderr


def test_corrupt_sqlite_file_is_reported_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "z.sqlite"
    store = Store.open(path)
    store.import_record(data.record(data.day(0)))
    store.close()
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page, keep the header
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreError) as exc:
        Store.open(path)
    assert "corrupt" in _one_line(exc)
    assert path.read_bytes() == bytes(raw)


def test_locked_database_during_migration(tmp_path: Path) -> None:
    path = tmp_path / "z.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0001")
    engine.dispose()
    locker = sqlite3.connect(path, isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError) as exc:
            Store.open(path, busy_timeout_s=0.1)
        assert "is locked by another program" in _one_line(exc)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    store = Store.open(path)  # the lock is gone: now it migrates
    try:
        assert store.revision() == migrate.head_revision()
    finally:
        store.close()


def test_locked_database_while_recording_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "z.sqlite"
    store = Store.open(path, busy_timeout_s=0.1, retry_pause_s=0.0)
    batches = data.batches(8.0)
    try:
        rec = store.recorder()
        sid = rec.begin(data.header())
        rec.write(sid, batches[0])
        rec.flush()
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        rec.write(sid, batches[1])  # returns at once; the worker meets the lock
        with pytest.raises(StoreError) as exc:
            rec.flush()
        assert "1 batch(es) not written" in _one_line(exc)
        assert "locked by another program" in str(exc.value)
        assert rec.problem is not None and "locked" in rec.problem
        rec.write(sid, batches[2])  # still accepted while the database is locked
        locker.execute("ROLLBACK")
        locker.close()
        rec.write(sid, batches[3])
        rec.flush()  # the kept batches are written with the next one
        assert rec.problem is None
        stored = store.load(sid).samples
    finally:
        store.close()
    assert stored == tuple(s for b in batches for s in b.samples)


def test_a_lock_that_outlasts_the_end_of_a_session_costs_a_wait_not_the_session(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The finish tries again (writer.FINAL_RETRIES) before it gives up; here the other
    program lets go after the second try."""
    path = tmp_path / "z.sqlite"
    store = Store.open(path, busy_timeout_s=0.1, retry_pause_s=0.3)
    batches = data.batches(8.0)
    locker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        rec = store.recorder()
        sid = rec.begin(data.header())
        locker.execute("BEGIN IMMEDIATE")
        for batch in batches:
            rec.write(sid, batch)
        release = threading.Timer(0.5, lambda: locker.execute("ROLLBACK"))
        release.start()
        rec.finish(sid, data.summary(len(batches)))  # waits through the lock, then writes
        release.join()
        record = store.load(sid)
    finally:
        locker.close()
        store.close()
    assert record.status == "finished"
    assert record.samples == tuple(s for b in batches for s in b.samples)
    assert "still unwritten: trying again" in caplog.text
    assert "written after all" in caplog.text


def _drop_dac_override() -> tuple[str, ...]:
    """As root, permissions are not enforced; run the child without that power."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a directory read-only")
    caps = "-dac_override,-dac_read_search"
    return (setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", "--")


@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "existing-file"])
def test_read_only_directory(tmp_path: Path, existing: bool) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "z.sqlite"
    if existing:
        store = Store.open(path)
        store.import_record(data.record(data.day(0)))
        store.close()
        before = path.read_bytes()
    folder.chmod(0o555)
    try:
        done = _cli("--db", str(path), "sessions", "list", prefix=_drop_dac_override())
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    if existing:
        assert "read-only" in done.stderr
        assert path.read_bytes() == before
    else:
        assert "cannot create database" in done.stderr and "Permission denied" in done.stderr
        assert not path.exists()


def test_missing_directory_and_directory_path(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "nowhere" / "z.sqlite")
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path)


def test_bad_urls() -> None:
    with pytest.raises(StoreError) as exc:
        Store.open("nosuchdb://user:s3cret-pw@host/db")
    assert "s3cret-pw" not in _one_line(exc)
    with pytest.raises(StoreError) as exc:
        Store.open("postgresql+nosuchdriver://user:s3cret-pw@host/db")
    assert "s3cret-pw" not in _one_line(exc)


def test_wrong_postgres_password_is_one_clear_line(caplog: pytest.LogCaptureFixture) -> None:
    url = make_url(postgres_base_url()).set(password="not-the-password-xyz")
    with pytest.raises(StoreError) as exc:
        Store.open(url.render_as_string(hide_password=False))
    text = _one_line(exc)
    assert "wrong user name or password" in text
    assert "not-the-password-xyz" not in text and "***" in text
    assert "not-the-password-xyz" not in caplog.text
    done = _cli("--db", url.render_as_string(hide_password=False), "-v", "sessions", "list")
    assert done.returncode == 2 and "not-the-password-xyz" not in done.stderr + done.stdout
    assert "wrong user name or password" in done.stderr


def test_unreachable_postgres_server() -> None:
    url = make_url(postgres_base_url()).set(host="127.0.0.1", port=1, password="pw-secret-1")
    with pytest.raises(StoreError) as exc:
        Store.open(url.render_as_string(hide_password=False))
    assert "pw-secret-1" not in _one_line(exc)
