"""``zonetrainer db``: where the database is, upgrade it, back it up."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from zonetrainer.core.errors import UserError
from zonetrainer.core.store import Store, migrate
from zonetrainer.core.store.url import resolve, sqlite_path


def open_store(args: argparse.Namespace, *, migrate_db: bool = True) -> Store:
    """The store named by the global ``--db`` option (default: the user data file)."""
    return Store.open(getattr(args, "db", None), migrate_db=migrate_db)


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
    """Ask a yes/no question on the terminal; without one (a script, a pipe) the answer is no."""
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def since_date(text: str) -> date:
    """argparse type for ``--since``: an ISO date such as 2026-03-01."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-03-01") from None


def hms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
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
    backup.add_argument("--out", type=Path, metavar="PATH",
                        help="where to write the copy (default: next to the database)")
    backup.set_defaults(func=_backup)


def _info(args: argparse.Namespace) -> int:
    path = sqlite_path(resolve(getattr(args, "db", None)))
    if path is not None and not path.exists():  # a look must not create an empty database
        print(f"database: {path}\nno database there yet (the first session or import "
              "creates it)")
        return 1
    store = open_store(args, migrate_db=False)
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
    store = open_store(args)
    try:
        out = args.out.expanduser().absolute() if args.out else None
        if out is not None and not out.parent.is_dir():
            raise UserError(f"cannot write backup {out}: directory {out.parent} does not exist")
        path = store.backup(out)
    finally:
        store.close()
    print(f"backup written: {path}")
    return 0
