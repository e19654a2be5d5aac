"""Schema migrations with Alembic, configured in code (no alembic.ini), and SQLite backups."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from zonetrainer.core.store.errors import StoreError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migration"
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in
            ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def has_tables(connection: Connection) -> bool:
    return bool(inspect(connection).get_table_names())


def upgrade(connection: Connection, target: str = "head") -> None:
    """Migrate the database behind ``connection`` to ``target``, inside its transaction."""
    command.upgrade(alembic_config(connection), target)


def backup_sqlite(source: Path, out: Path) -> Path:
    """Copy a live SQLite database consistently (SQLite's online backup), never overwriting."""
    if out.exists():
        raise StoreError(f"backup not written: {out} already exists")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(out)
            try:
                src.backup(dst)
                # A copy is one self-contained file, not a WAL database with side files.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        out.unlink(missing_ok=True)
        raise StoreError(f"cannot back up {source} to {out}: {exc}") from None
    out.chmod(0o600)
    log.info("backed up %s to %s", source, out)
    return out


def free_backup_path(db_path: Path, label: str) -> Path:
    """``<db>.<label>.bak``, or ``.bak2``, ``.bak3``, ... when that name is taken."""
    n = 1
    while True:
        suffix = ".bak" if n == 1 else f".bak{n}"
        candidate = db_path.with_name(f"{db_path.name}.{label}{suffix}")
        if not candidate.exists():
            return candidate
        n += 1
