"""Opening a database: checks before SQLite touches a file, engine set-up, clear errors."""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from zonetrainer.core.store.errors import StoreError
from zonetrainer.core.store.url import safe_url, scrub

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"


def prepare_sqlite_file(path: Path, create_parent: bool) -> bool:
    """Check (or create, mode 0600) a SQLite file before SQLite opens it; True if it existed.

    Refusing a file that is not SQLite here means a wrong path is never overwritten.
    """
    parent = path.parent
    if create_parent and not parent.exists():
        try:
            parent.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {parent}: "
                             f"{exc.strerror}") from None
    if not parent.is_dir():
        raise StoreError(f"cannot use database {path}: directory {parent} does not exist")
    if path.is_dir():
        raise StoreError(f"cannot use database {path}: it is a directory")
    if path.exists():
        try:
            with path.open("rb") as f:
                head = f.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise StoreError(f"cannot read database {path}: {exc.strerror}") from None
        if head and head != SQLITE_MAGIC:
            raise StoreError(f"{path} is not a SQLite database (corrupt or another kind of "
                             f"file); it was left untouched")
        return bool(head)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot create database {path}: {exc.strerror} "
                         f"(is the directory writable?)") from None
    os.close(fd)
    return False


def create(url: URL, busy_timeout_s: float) -> Engine:
    """An engine; SQLite connections get WAL, full sync, foreign keys and a busy timeout."""
    kwargs: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": busy_timeout_s}
    elif url.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except ImportError as exc:  # the driver is an optional extra: say which one
        hint = ("; install the PostgreSQL driver with the 'postgres' extra: "
                "pip install 'zonetrainer[postgres]'" if url.get_backend_name() == "postgresql"
                else "")
        raise StoreError(f"cannot use database {safe_url(url)}: {scrub(str(exc), url)}"
                         f"{hint}") from None
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot use database {safe_url(url)}: {scrub(str(exc), url)}") from None
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # WAL: readers never block the writer. synchronous=FULL: a committed batch survives a
        # power cut, not only a crash; one fsync per batch (every ~2 s) costs nothing.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def explain(exc: BaseException, url: URL) -> StoreError:
    """A one-line StoreError for a driver error, naming the database without its password."""
    orig = getattr(exc, "orig", None) or exc
    text = scrub(str(orig), url)
    where = safe_url(url)
    if url.get_backend_name() == "sqlite":
        where = str(url.database)
        low = text.lower()
        if "locked" in low or "busy" in low:
            return StoreError(f"database {where} is locked by another program; close it and "
                              f"try again")
        if "not a database" in low or "malformed" in low or "corrupt" in low:
            return StoreError(f"database {where} is corrupt ({text}); it was left untouched")
        if "readonly" in low or "read-only" in low or "unable to open" in low:
            return StoreError(f"cannot write database {where}: the file or its directory is "
                              f"read-only ({text})")
    if "password authentication failed" in text:
        return StoreError(f"cannot connect to {where}: wrong user name or password")
    return StoreError(f"database {where}: {text[:300]}")


def _checked_mark(path: Path) -> Path:
    return path.with_name(f".{path.name}.checked")


def quick_check(engine: Engine, path: Path, always: bool) -> None:
    """``PRAGMA quick_check`` on a SQLite file, at least once a day (``always``: now); a
    damaged file raises a StoreError saying what to do, before anything writes to it.

    The day of the last clean check is kept in a hidden file beside the database; a damaged
    file never gets one, so it is checked (and refused) at every open until it is mended.
    """
    mark = _checked_mark(path)
    today = date.today().isoformat()
    try:
        if not always and mark.read_text(encoding="ascii").strip() == today:
            return
    except (OSError, UnicodeDecodeError):
        pass
    try:
        with engine.connect() as conn:
            found = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    except SQLAlchemyError as exc:
        error = explain(exc, engine.url)  # locked or read-only: said as such, no damage
        if "is corrupt" not in str(error):
            raise error from None
        found = [str(getattr(exc, "orig", None) or exc)]
    if found != ["ok"]:
        raise StoreError(
            f"database {path} is damaged (SQLite quick_check: {'; '.join(found[:3])[:300]}); "
            f"zonetrainer did not write to it. Keep the file as it is, then restore your "
            f"latest backup (zonetrainer db backup writes them beside it) or salvage what "
            f"is readable: sqlite3 '{path}' .recover | sqlite3 '{path}.recovered'")
    try:
        mark.write_text(today + "\n", encoding="ascii")
    except OSError as exc:  # a read-only folder: checked again next time, no harm
        log.info("cannot note the integrity check in %s: %s", mark, exc)
