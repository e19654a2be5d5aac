"""Alembic: a database made at the first revision upgrades to head with its data intact."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, insert

from tests.support import store_data as data
from zonetrainer.cli import main
from zonetrainer.core.model import HeartRateSample
from zonetrainer.core.store import Store, StoreError, migrate
from zonetrainer.core.store.rows import header_row, sample_rows, summary_row
from zonetrainer.core.store.schema import Base, SampleRow, SessionRow


def _make_first_revision_db(url: str) -> list[HeartRateSample]:
    """A database at revision 0001 holding one finished session, written with 0001's columns."""
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    samples = list(data.samples(0.0, 120.0))
    with engine.begin() as conn:
        migrate.upgrade(conn, "0001")
        values = header_row(data.header()) | summary_row(data.summary(), None)
        del values["trimp"], values["local_date"], values["timer_s"]  # added by 0002-0004
        sid = conn.execute(insert(SessionRow.__table__).returning(SessionRow.id),
                           values | {"status": "finished", "writer": ""}).scalar_one()
        rows, rr = sample_rows(sid, 0, samples, "sim-1")
        conn.execute(insert(SampleRow.__table__), rows)
        conn.execute(insert(SessionRow.metadata.tables["rr"]), rr)
    engine.dispose()
    return samples


def test_first_revision_upgrades_with_data_intact(db_url: str) -> None:
    samples = _make_first_revision_db(db_url)
    store = Store.open(db_url)
    try:
        assert store.revision() == migrate.head_revision() == "0004"
        [listing] = store.list_sessions()
        record = store.load(listing.id)
        assert record.samples == tuple(samples)
        assert record.header == data.header()
        assert record.summary == data.summary()
        assert listing.trimp is None  # not recomputed: unknown rather than guessed
        store.set_extra(listing.id, "note", json.dumps("after upgrade"))  # a 0002 table works
        [week] = store.totals("week")  # 0003 filled in the local day of the old session
        assert week.sessions == 1 and week.duration_s == data.summary().duration_s
        day = data.header().started_at.astimezone().date()
        assert week.period_start == day - timedelta(days=day.weekday())
    finally:
        store.close()


def test_sqlite_backup_is_taken_before_migrating(tmp_path: Path) -> None:
    path = tmp_path / "z.sqlite"
    samples = _make_first_revision_db(str(path))
    store = Store.open(path)
    store.close()
    backup = tmp_path / "z.sqlite.pre-0001.bak"
    assert store.backup_path == backup
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert conn.execute("SELECT count(*) FROM samples").fetchone()[0] == len(samples)
    finally:
        conn.close()
    assert backup.stat().st_mode & 0o777 == 0o600
    # Opening again migrates nothing, so no second backup.
    Store.open(path).close()
    assert sorted(p.name for p in tmp_path.glob("*.bak*")) == ["z.sqlite.pre-0001.bak"]


def test_new_database_gets_no_backup(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "new.sqlite")
    store.close()
    assert store.backup_path is None
    assert list(tmp_path.glob("*.bak*")) == []


def test_models_match_migrations(db_url: str) -> None:
    store = Store.open(db_url)
    store.close()
    engine = create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def _newer_schema_db(path: Path) -> None:
    """A database as a later zonetrainer (schema revision 0999) would leave it."""
    Store.open(path).close()
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
        conn.commit()
    finally:
        conn.close()


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "z.sqlite"
    _newer_schema_db(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="schema revision 0999, newer than this zonetrainer"):
        Store.open(path)
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.bak*")) == []


def test_db_info_on_a_newer_or_a_missing_database(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "z.sqlite"
    _newer_schema_db(path)
    assert main(["--db", str(path), "db", "info"]) == 0
    out = capsys.readouterr().out
    assert "schema revision: 0999 (newer than this zonetrainer knows: update zonetrainer)" in out
    typo = tmp_path / "z.sqlit"
    assert main(["--db", str(typo), "db", "info"]) == 1
    assert "no database there yet" in capsys.readouterr().out
    assert not typo.exists()  # a look created nothing


def test_db_upgrade_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "z.sqlite"
    _make_first_revision_db(str(path))
    assert main(["--db", str(path), "db", "info"]) == 0
    assert "schema revision: 0001 (needs upgrade to 0004)" in capsys.readouterr().out
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"{path}: migrated from 0001 to 0004" in out
    assert f"backup of the previous database: {path}.pre-0001.bak" in out
