"""``zonetrainer db``: where the database is, upgrade it, back it up."""

from __future__ import annotations

import argparse
import math
import shutil
import sqlite3
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from zonetrainer.core.errors import UserError
from zonetrainer.core.store import Store, StoreError, migrate
from zonetrainer.core.store.url import resolve, sqlite_path

#: What SQLite may create beside a database file while it writes one.
SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
#: Room those side files take while the copy is written (the WAL index alone is 32 KiB).
SIDE_FILES_BYTES = 64 * 1024


def open_store(args: argparse.Namespace, *, migrate_db: bool = True,
               check_now: bool = False) -> Store:
    """The store named by the global ``--db`` option (default: the user data file)."""
    return Store.open(getattr(args, "db", None), migrate_db=migrate_db, check_now=check_now)


def missing_db_file(args: argparse.Namespace) -> Path | None:
    """The SQLite file the global ``--db`` option (or the default) names, when it does not
    exist yet: opening it would create an empty database. None when it exists, or when the
    database is a server (only opening it tells)."""
    path = sqlite_path(resolve(getattr(args, "db", None)))
    return path if path is not None and not path.exists() else None


def whole_arg(ok: Callable[[int], bool], rule: str,
              name: str | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number for which ``ok`` holds, else an error "``rule``, not
    TEXT"; a text that is no whole number says so (naming ``name`` when given)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number, not {text!r}" if name
                else f"'{text}' is not a whole number") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"{rule}, not {text}")
        return value
    return parse


def number_arg(ok: Callable[[float], bool], rule: str) -> Callable[[str], float]:
    """An argparse type: a number for which ``ok`` holds (NaN never does), else an error
    "``rule``, not TEXT"."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
        if value != value or not ok(value):
            raise argparse.ArgumentTypeError(f"{rule}, not {text}")
        return value
    return parse


def confirm(question: str) -> bool:
    """Ask a yes/no question. On a terminal it is asked; from a pipe (``echo y |``) the next
    line is the answer; no answer (end of input, no input at all) is no."""
    try:
        if sys.stdin is None:
            return False
        if sys.stdin.isatty():
            answer = input(f"{question} [y/N] ")
        else:
            print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
            answer = sys.stdin.readline()
    except (EOFError, OSError):
        return False
    return answer.strip().lower() in ("y", "yes")


def since_date(text: str) -> date:
    """argparse type for ``--since``: an ISO date such as 2026-03-01."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-03-01") from None


def printable(text: str) -> str:
    """``text`` with control and format characters (escape codes, bidi overrides) spelled out
    as ``\\x1b``: a name is data, typed or from someone's file, and printed raw it could clear
    the screen or retitle the terminal."""
    return "".join(ch.encode("unicode_escape").decode("ascii")
                   if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)


def hms(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds) or abs(seconds) > 1e9:
        return "-"  # no figure, or a stored one that is no length
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def register(sub: Any) -> None:
    parser = sub.add_parser("db", help="the session database: info, upgrade, backup")
    dbsub = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    info = dbsub.add_parser("info", help="show where the database is and its schema revision")
    info.set_defaults(func=_info)
    up = dbsub.add_parser("upgrade", help="migrate the schema to this version of zonetrainer "
                                          "(a SQLite file is backed up first)")
    up.set_defaults(func=_upgrade)
    backup = dbsub.add_parser("backup", help="copy the SQLite database consistently")
    backup.add_argument("--out", metavar="PATH",
                        help="file or existing directory to write the copy to (default: next "
                             "to the database); an existing file is never overwritten")
    backup.set_defaults(func=_backup)


def _info(args: argparse.Namespace) -> int:
    path = missing_db_file(args)
    if path is not None:  # a look must not create an empty database
        print(f"database: {path}\nno database there yet (the first session or import "
              "creates it)")
        return 1
    store = open_store(args, migrate_db=False, check_now=True)
    try:
        current = store.revision()
        head = migrate.head_revision()
        if current == head:
            state = "up to date"
        elif current is not None and current not in migrate.known_revisions():
            state = "newer than this zonetrainer knows: update zonetrainer"
        else:
            state = f"needs upgrade to {head}"
        print(f"database: {store.describe}")
        print(f"schema revision: {current or 'none'} ({state})")
        if store.path is not None:
            print("integrity: ok (SQLite quick_check)")
        if current == head:
            print(f"sessions: {len(store.list_sessions())}")
    finally:
        store.close()
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    store = open_store(args, migrate_db=False)
    try:
        before = store.revision()
        backup = store.upgrade()
        after = store.revision()
    finally:
        store.close()
    if before == after:
        print(f"{store.describe}: already at revision {after}")
    else:
        print(f"{store.describe}: migrated from {before or 'empty'} to {after}")
        if backup:
            print(f"backup of the previous database: {backup}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    db_file = missing_db_file(args)
    if db_file is not None:  # opening would create an empty one
        raise UserError(f"no database at {db_file}: nothing to back up")
    store = open_store(args, check_now=True)
    try:
        # Without a file, the store refuses with the pg_dump hint.
        path = (store.backup() if store.path is None
                else _backup_sqlite(store, store.path, args.out))
    finally:
        store.close()
    print(f"backup written: {path}")
    return 0


def _backup_target(db_path: Path, out_text: str | None) -> Path:
    """Where ``--out`` puts the copy: the default name beside the database, or inside an
    existing directory, or the file named."""
    if out_text is None:
        return migrate.free_backup_path(db_path, "backup")
    out = Path(out_text).expanduser().absolute()
    if out.is_dir():
        return migrate.free_backup_path(out / db_path.name, "backup")
    if out_text.endswith(("/", "\\")):  # the user meant a directory
        raise UserError(f"cannot write backup: directory {out} does not exist")
    if out.exists():
        raise UserError(f"backup not written: {out} already exists")
    if not out.parent.is_dir():
        raise UserError(f"cannot write backup {out}: directory {out.parent} does not exist")
    return out


def _backup_sqlite(store: Store, db_path: Path, out_text: str | None) -> Path:
    target = _backup_target(db_path, out_text)
    new_side_files = [s for s in _side_files(target) if not s.exists()]
    try:
        return store.backup(target)
    except StoreError as exc:
        # The copy is all or nothing: a partial file or its journal must not pass for a backup.
        for partial in (target, *new_side_files):
            partial.unlink(missing_ok=True)
        raise UserError(f"could not write the backup to {target}: "
                        f"{_why_not_written(db_path, target, exc)}") from exc


def _side_files(target: Path) -> list[Path]:
    return [target.with_name(target.name + suffix) for suffix in SIDE_SUFFIXES]


def _why_not_written(db_path: Path, target: Path, exc: StoreError) -> str:
    """Name the cause SQLite reports only as 'disk I/O error': a full disk or a size limit."""
    detail = str(exc.__context__ or exc)
    needed = _database_bytes(db_path)
    limit = _file_size_limit()
    if limit is not None and limit < needed:
        return (f"file too large: a file may grow to {_size(limit)} here ('ulimit -f'), the "
                f"backup needs {_size(needed)} ({detail})")
    free = shutil.disk_usage(target.parent).free
    if free < needed + SIDE_FILES_BYTES:
        return (f"disk full: {_size(free)} free, the backup needs about "
                f"{_size(needed + SIDE_FILES_BYTES)} ({detail})")
    return detail


def _database_bytes(db_path: Path) -> int:
    """The size of a consistent copy: the database's pages, the WAL's included."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        finally:
            conn.close()
        return int(pages) * int(page_size)
    except sqlite3.Error:
        return db_path.stat().st_size


def _file_size_limit() -> int | None:
    """The process's file size limit in bytes ('ulimit -f'); None without one or off Unix."""
    try:
        import resource  # Unix only
    except ImportError:
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY else soft


def _size(n_bytes: int) -> str:
    if n_bytes < 1000:
        return f"{n_bytes} bytes"
    if n_bytes < 1_000_000:
        return f"{n_bytes / 1000:.1f} kB"
    return f"{n_bytes / 1_000_000:.1f} MB"
