"""``zonetrainer import FILE...``: FIT, TCX or CSV recordings from other apps into the history."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from zonetrainer.cli.db import hms, open_store
from zonetrainer.cli.run import add_quick_profile_options, quick_profile_values
from zonetrainer.core.errors import UserError
from zonetrainer.core.imports import read_recording, recording_to_record
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.profile import Profile
from zonetrainer.core.store import Store


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "import", help="import FIT, TCX or CSV recordings into the history",
        description="Each file becomes a session with status 'imported'; its band and zones "
                    "come from the profile given here (the default profile otherwise). A file "
                    "that was cut short keeps what could be read, with a warning.")
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
    parser.add_argument("--athlete", default=None, help="athlete name to file the sessions under")
    add_quick_profile_options(parser)
    parser.add_argument("--dry-run", action="store_true", help="read and report, store nothing")
    parser.add_argument("--again", action="store_true",
                        help="import a recording even if one with the same start is stored")
    parser.set_defaults(func=run)


def _profile(args: argparse.Namespace) -> Profile:
    values = quick_profile_values(args)
    if args.athlete:
        values["name"] = args.athlete
    return Profile(**values)  # raises ProfileError (a UserError) for impossible values


def _stored_twin(store: Store, record: SessionRecord) -> int | None:
    """An imported session with the same start time and file type, if one is stored."""
    started = record.header.started_at
    for listing in store.list_sessions(since=started - timedelta(seconds=1)):
        if (listing.started_at == started and listing.status == "imported"
                and listing.plan_name == record.header.plan_name):
            return listing.id
    return None


def run(args: argparse.Namespace) -> int:
    profile = _profile(args)
    failed = 0
    store = None if args.dry_run else open_store(args)
    try:
        for path in args.files:
            try:
                recording = read_recording(path)
                if recording.hr_count == 0:
                    raise UserError(f"{path}: nothing to import, no heart-rate values in it"
                                    + "".join(f"; {w}" for w in recording.warnings
                                              if "heart-rate" not in w))
                record = recording_to_record(recording, profile)
                twin = None if store is None or args.again else _stored_twin(store, record)
                if twin is not None:
                    print(f"{path}: already imported as session {twin}; skipped "
                          "(--again imports it anyway)")
                    continue
                where = "read" if store is None else \
                    f"imported as session {store.import_record(record)}"
            except UserError as exc:
                failed += 1
                print(f"zonetrainer: error: {exc}", file=sys.stderr)
                continue
            print(f"{path}: {where}: {recording.hr_count} heart-rate samples, "
                  f"{recording.rr_count} RR intervals, {len(recording.laps)} laps, "
                  f"{hms(recording.duration_s)}, {recording.sport}, {recording.device}")
            for warning in recording.warnings:
                print(f"  warning: {warning}")
    finally:
        if store is not None:
            store.close()
    return 2 if failed else 0
