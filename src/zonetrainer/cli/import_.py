"""``zonetrainer import FILE...``: FIT, TCX or CSV recordings from other apps into the history."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from zonetrainer.cli.db import hms, open_store
from zonetrainer.core.errors import UserError
from zonetrainer.core.imports import read_recording, recording_to_record
from zonetrainer.core.profile import Profile


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "import", help="import FIT, TCX or CSV recordings into the history",
        description="Each file becomes a session with status 'imported'; its band and zones "
                    "come from the profile given here (the default profile otherwise). A file "
                    "that was cut short keeps what could be read, with a warning.")
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
    parser.add_argument("--athlete", default=None, help="athlete name to file the sessions under")
    parser.add_argument("--age", type=float, help="age in years, for HRmax and the band")
    parser.add_argument("--rest-hr", type=float, metavar="BPM", help="resting heart rate")
    parser.add_argument("--hrmax", type=float, metavar="BPM", help="measured maximal heart rate")
    parser.add_argument("--dry-run", action="store_true", help="read and report, store nothing")
    parser.set_defaults(func=run)


def _profile(args: argparse.Namespace) -> Profile:
    values: dict[str, Any] = {}
    if args.athlete:
        values["name"] = args.athlete
    if args.age is not None:
        values["age_years"] = args.age
    if args.rest_hr is not None:
        values["rest_hr_bpm"] = args.rest_hr
    if args.hrmax is not None:
        values["measured_hrmax_bpm"] = args.hrmax
    return Profile(**values)  # raises ProfileError (a UserError) for impossible values


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
