"""``zonetrainer export``: one stored session, or all of them, as FIT, TCX, CSV, JSON, HTML, PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from zonetrainer.cli.db import open_store, since_date
from zonetrainer.core.errors import UserError
from zonetrainer.core.export import FORMATS, default_name, export_session


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export", help="export stored sessions (fit, tcx, csv, json, html, pdf, png)",
        description="Export one stored session to a file, or --all of them into a directory. "
                    "CSV writes three files: samples, -rr and -intervals.")
    parser.add_argument("id", type=int, nargs="?", help="the session to export")
    parser.add_argument("--all", action="store_true", help="every stored session (or --since)")
    parser.add_argument("--since", type=since_date, metavar="DATE",
                        help="with --all: sessions from this day on (YYYY-MM-DD)")
    parser.add_argument("--athlete", metavar="NAME",
                        help="with --all: only this athlete's sessions (coach mode)")
    parser.add_argument("--format", choices=FORMATS, metavar="FORMAT",
                        help=f"one of {', '.join(FORMATS)} (default: from --out's suffix)")
    parser.add_argument("--out", required=True, metavar="PATH",
                        help="file (or directory) for one session; directory for --all")
    parser.set_defaults(func=run)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if args.all or suffix not in FORMATS:
        raise UserError(f"say which format with --format ({', '.join(FORMATS)})")
    return suffix


def _check_out(args: argparse.Namespace) -> None:
    """Refuse an --out no export can be written to, before anything is read."""
    if args.out == "-":
        raise UserError("--out -: export to standard output is not supported; give a file "
                        "name (or a directory)")
    out = Path(args.out)
    if args.all and out.exists() and not out.is_dir():
        raise UserError(f"--out {out} must be a directory with --all")
    # The nearest part of the path that exists must be a directory to write under it.
    for above in (out, *out.parents) if args.all else out.parents:
        if above.exists():
            if not above.is_dir():
                raise UserError(f"cannot write {out}: {above} is a file, not a directory")
            return


def progress_line(done: int, total: int, width: int = 30) -> str:
    """``[##########--------------------]  12/36``"""
    filled = round(width * done / total) if total else width
    return f"[{'#' * filled}{'-' * (width - filled)}] {done:>{len(str(total))}}/{total}"


def _show_progress(done: int, total: int, label: str, stream: TextIO) -> None:
    if stream.isatty():
        end = "\n" if done == total else ""
        stream.write(f"\rexporting {progress_line(done, total)} {label[-40:]:<40}{end}")
    else:
        stream.write(f"exporting {progress_line(done, total)} {label}\n")
    stream.flush()


def run(args: argparse.Namespace) -> int:
    if args.all == (args.id is not None):
        raise UserError("give one session ID or --all")
    if args.since is not None and not args.all:
        raise UserError("--since goes with --all")
    if args.athlete is not None and not args.all:
        raise UserError("--athlete goes with --all")
    _check_out(args)
    fmt = _format(args)
    store = open_store(args)
    try:
        if args.id is not None:
            record = store.load(args.id)
            out = Path(args.out)
            if out.is_dir():
                out = out / default_name(record, fmt)
            for path in export_session(record, fmt, out):
                print(path)
            return 0
        out_dir = Path(args.out)
        listed = store.list_sessions(since=args.since, athlete=args.athlete)
        if not listed:
            print("no stored session to export" if args.athlete is None
                  else f"no stored session of {args.athlete} to export")
            return 0
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
        written = 0
        for done, listing in enumerate(listed, start=1):
            record = store.load(listing.id)
            written += len(export_session(record, fmt, out_dir / default_name(record, fmt)))
            _show_progress(done, len(listed), default_name(record, fmt), sys.stderr)
        print(f"exported {len(listed)} sessions ({written} files) to {out_dir}")
        return 0
    finally:
        store.close()
