"""Where the data lives: the default file, its permissions, WAL; URLs shown without passwords."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.support import store_data as data
from zonetrainer.core.store import Store, StoreError
from zonetrainer.core.store.url import default_path, resolve, safe_url


def test_default_file_in_user_data_dir_is_private_and_wal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # never the user's real directory
    expected = tmp_path / "zonetrainer" / "zonetrainer.sqlite"
    assert default_path() == expected
    store = Store.open(None)
    try:
        assert store.path == expected
        rec = store.recorder()
        sid = rec.begin(data.header())
        rec.write(sid, data.batches(10.0)[0])
        rec.flush()
        assert stat.S_IMODE(expected.stat().st_mode) == 0o600
        assert stat.S_IMODE(expected.parent.stat().st_mode) == 0o700
        wal = expected.with_name(expected.name + "-wal")
        assert wal.exists() and stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        store.close()
    conn = sqlite3.connect(expected)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        conn.close()


def test_paths_and_urls(tmp_path: Path) -> None:
    assert resolve(str(tmp_path / "a.sqlite")).database == str(tmp_path / "a.sqlite")
    assert resolve("relative.sqlite").database == str(Path.cwd() / "relative.sqlite")
    url = resolve("postgresql+psycopg://coach:hunter2-pw@db.example/zt")
    assert safe_url(url) == "postgresql+psycopg://coach:***@db.example/zt"
    with pytest.raises(StoreError) as exc:
        resolve("postgresql+psycopg://coach:hunter2-pw@db.example:notaport/zt")
    assert "hunter2-pw" not in str(exc.value)
    with pytest.raises(StoreError, match="in-memory SQLite"):
        Store.open("sqlite://")


def test_store_describes_itself_without_password(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    try:
        password = make_url(postgres_url).password
        assert password and str(password) not in store.describe and "***" in store.describe
    finally:
        store.close()
