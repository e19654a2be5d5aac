"""``zonetrainer import FILE...``: FIT, TCX or CSV recordings from other apps into the history."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from zonetrainer.cli.db import hms, missing_db_file, open_store, printable
from zonetrainer.cli.run import add_quick_profile_options, profile_from_json, quick_profile_values
from zonetrainer.core.errors import UserError
from zonetrainer.core.imports import (
    START_FROM_FILE,
    START_FROM_MTIME,
    read_recording,
    recording_start,
    recording_to_record,
)
from zonetrainer.core.imports.recording import Recording
from zonetrainer.core.imports.twins import is_stub, stored_twin
from zonetrainer.core.profile import Profile
from zonetrainer.core.store import SessionListing, Store


def start_time(text: str) -> datetime:
    """An argparse type: an ISO 8601 time (without a zone: local time)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time like 2026-03-14T07:30"
                                         ) from None
    return moment if moment.tzinfo else moment.astimezone()


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "import", help="import FIT, TCX or CSV recordings into the history",
        description="Each file becomes a session with status 'imported'; its band and zones "
                    "come from --athlete's stored profile, or the profile given here (the "
                    "default profile otherwise). A file that was cut short keeps what could be "
                    "read, with a warning. A recording already in the history, recorded or "
                    "imported (same athlete, same start, about the same length), is skipped.")
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
    parser.add_argument("--athlete", default=None,
                        help="file the sessions under this athlete, with the athlete's stored "
                             "profile (band, zones, safety) when there is one")
    add_quick_profile_options(parser)
    parser.add_argument("--start", type=start_time, metavar="TIME",
                        help="start of a file that has none of its own (a CSV of seconds from "
                             "0, or of RR intervals), ISO 8601, local time unless a zone is "
                             "given (default: the file's modification time)")
    parser.add_argument("--dry-run", action="store_true", help="read and report, store nothing")
    parser.add_argument("--again", action="store_true",
                        help="import a recording even if it is already in the history")
    parser.set_defaults(func=run)


def _profile(args: argparse.Namespace, store: Store | None) -> tuple[Profile, str | None]:
    """The profile to import with, and a note when --athlete has none stored."""
    values = quick_profile_values(args)
    if not args.athlete:
        return Profile(**values), None  # raises ProfileError (a UserError) for impossible values
    stored = dict(store.athletes()) if store is not None else {}
    if args.athlete in stored:
        base = profile_from_json(stored[args.athlete], args.athlete)
        return replace(base, name=args.athlete, **values), None
    given = " with " + ", ".join(f"--{o.replace('_', '-')}" for o in ("age", "rest_hr", "hrmax")
                                 if getattr(args, o) is not None) if values else ""
    note = (f"note: no stored profile for athlete '{printable(args.athlete)}': band and "
            f"zones from the default profile{given} (zonetrainer profile saves one)")
    return Profile(name=args.athlete, **values), note


def _nothing_kept(path: Path, recording: Recording) -> UserError:
    # "kept what could be read" is true of the file, not of the import: nothing is kept.
    reasons = [w.split("; kept", 1)[0] for w in recording.warnings if "heart-rate" not in w]
    return UserError(f"{path}: nothing to import, no heart-rate values in it"
                     + "".join(f"; {r}" for r in reasons))


def _start_line(recording: Recording, args: argparse.Namespace) -> str | None:
    start, start_from = recording_start(recording, args.start)
    if start_from == START_FROM_FILE:
        if args.start is None:
            return None
        return f"  note: --start not used: the file says it started {start.astimezone():%c}"
    hint = " (--start TIME gives another)" if start_from == START_FROM_MTIME else ""
    return (f"  start: {start.astimezone():%Y-%m-%d %H:%M:%S %z}, from {start_from}{hint}; "
            "the file has no date of its own")


def _stub_to_replace(store: Store, twin: SessionListing) -> int:
    """The id of the partial session the file replaces; an error while it is still being
    recorded (its process runs on)."""
    if any(s.id == twin.id for s in store.interrupted()):
        return twin.id
    raise UserError(f"session {twin.id} at the same time is still being recorded; import "
                    "this file once that session has ended")


def _progress_bar(path: Path) -> Callable[[int, int], None] | None:
    """A bar on the terminal's stderr while a big file is read (none into a pipe or a log)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, size: int) -> None:
        share = done / size if size else 1.0
        bar = "#" * int(30 * share)
        sys.stderr.write(f"\r  reading {path.name}: [{bar:<30}] {100 * share:3.0f}%")
        if done >= size:
            sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()
    return show


def run(args: argparse.Namespace) -> int:
    failed = 0
    if not args.athlete:
        Profile(**quick_profile_values(args))  # an impossible value stops before the history opens
    # A dry run opens the history only to read --athlete's stored profile, and never creates
    # it: a SQLite file that is not there holds no profile.
    wanted = not args.dry_run or (args.athlete and missing_db_file(args) is None)
    opened = open_store(args) if wanted else None
    store = None if args.dry_run else opened
    try:
        profile, note = _profile(args, opened)
        if note:
            print(note)
        for path in args.files:
            try:
                recording = read_recording(path, _progress_bar(path))
                if recording.hr_count == 0:
                    raise _nothing_kept(path, recording)
                record = recording_to_record(recording, profile, started_at=args.start)
                twin = None if store is None or args.again else stored_twin(store, record)
                replaces = None
                if twin is not None and store is not None and is_stub(twin):
                    replaces = _stub_to_replace(store, twin)
                elif twin is not None:
                    how = "imported" if twin.status == "imported" else "recorded"
                    print(f"{path}: already in the history as session {twin.id} ({how} "
                          f"{twin.started_at.astimezone():%Y-%m-%d %H:%M}); skipped "
                          "(--again imports it anyway)")
                    continue
                where = "read" if store is None else \
                    f"imported as session {store.import_record(record, replaces=replaces)}"
                if replaces is not None:
                    where += f" (replaces the partial session {replaces}, which the run " \
                             "could not finish writing)"
            except UserError as exc:
                failed += 1
                print(f"zonetrainer: error: {exc}", file=sys.stderr)
                continue
            print(f"{path}: {where}: {recording.hr_count} heart-rate samples, "
                  f"{recording.rr_count} RR intervals, {len(recording.laps)} laps, "
                  f"{hms(recording.duration_s)}, {printable(recording.sport)}, "
                  f"{printable(recording.device)}")
            start = _start_line(recording, args)
            if start:
                print(start)
            for warning in recording.warnings:
                print(f"  warning: {warning}")
    finally:
        if opened is not None:
            opened.close()
    return 2 if failed else 0
