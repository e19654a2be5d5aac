"""``zonetrainer sessions``: list, show, delete and recover stored sessions."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from zonetrainer.cli.db import confirm, hms, open_store, printable, since_date, whole_arg
from zonetrainer.core import control
from zonetrainer.core.errors import UserError
from zonetrainer.core.export.effort import effort_summary, effort_text
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.signal import FIGURES_WIDTH, describe, record_figures
from zonetrainer.core.store import SessionListing, Store
from zonetrainer.core.timing import session_timer_s


def register(sub: Any) -> None:
    parser = sub.add_parser("sessions", help="stored sessions: list, show, delete, recover")
    ssub = parser.add_subparsers(dest="sessions_command", metavar="ACTION", required=True)
    ls = ssub.add_parser("list", help="list stored sessions, newest first")
    ls.add_argument("--since", type=since_date, metavar="DATE", help="from this day (YYYY-MM-DD)")
    ls.add_argument("--plan", help="only sessions of this plan")
    ls.add_argument("--athlete", help="only sessions of this athlete")
    ls.add_argument("--limit", type=count_arg, metavar="N", help="at most N sessions (N >= 1)")
    ls.set_defaults(func=_list)
    show = ssub.add_parser("show", help="a session's summary and interval table")
    show.add_argument("id", type=int)
    show.set_defaults(func=_show)
    rm = ssub.add_parser("delete", help="delete a session and everything recorded in it")
    rm.add_argument("id", type=int)
    rm.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    rm.set_defaults(func=_delete)
    rec = ssub.add_parser("recover", help="keep or discard sessions a crash left unfinished")
    rec.add_argument("id", type=int, nargs="?", help="one session (default: every one)")
    choice = rec.add_mutually_exclusive_group()
    choice.add_argument("--keep", action="store_true", help="keep, marked 'interrupted'")
    choice.add_argument("--discard", action="store_true", help="delete (after a question)")
    rec.add_argument("--yes", action="store_true", help="discard without asking")
    rec.set_defaults(func=_recover)


#: --limit: 0 would list nothing and read as an empty history; a negative number meant no
#: limit at all.
count_arg = whole_arg(lambda n: n >= 1, "a whole number of at least 1 is needed")


def _line(s: SessionListing) -> str:
    share = "-" if s.band_share is None else f"{100 * s.band_share:5.1f}%"
    avg = "-" if s.avg_hr_bpm is None else f"{s.avg_hr_bpm:.0f}"
    when = s.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    plan, athlete = printable(s.plan_name)[:24], printable(s.athlete_name)[:14]
    return (f"{s.id:>6}  {when}  {plan:<24}  {athlete:<14}  "
            f"{hms(s.duration_s):>8}  {share:>6}  {avg:>4}  {s.status}")


def _list(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        listed = store.list_sessions(args.since, args.plan, args.athlete, args.limit)
        interrupted = store.interrupted()
    finally:
        store.close()
    if not listed:
        print("no sessions stored yet" if not (args.since or args.plan or args.athlete)
              else "no session matches")
    else:
        print(f"{'ID':>6}  {'started':<16}  {'plan':<24}  {'athlete':<14}  "
              f"{'duration':>8}  {'band':>6}  {'avg':>4}  status")
        for s in listed:
            print(_line(s))
    if interrupted:
        ids = ", ".join(str(s.id) for s in interrupted)
        print(f"\n{len(interrupted)} session(s) were left unfinished by a crash ({ids}): "
              f"keep them with 'zonetrainer sessions recover --keep' or drop them with "
              f"'--discard'")
    return 0


def format_record(r: SessionRecord) -> list[str]:
    h = r.header
    lines = [f"session {r.session_id}: {printable(h.plan_name)}, "
             f"{printable(h.athlete_name)}, "
             f"{h.started_at.astimezone():%Y-%m-%d %H:%M} ({r.status})",
             f"band {h.band.low_bpm:.0f}-{h.band.high_bpm:.0f} bpm ({h.band.method}, "
             f"+/- {h.band.uncertainty_bpm:.0f} bpm; {h.band.source})"]
    s = r.summary
    if s is None:
        lines.append("no summary: the session never finished")
    else:
        zones = "  ".join(f"Z{k + 1} {hms(t)}" for k, t in enumerate(s.time_in_zone_s))
        avg = "-" if s.avg_hr_bpm is None else f"{s.avg_hr_bpm:.0f}"
        mx = "-" if s.max_hr_bpm is None else f"{s.max_hr_bpm:.0f}"
        lines += [f"duration {hms(s.duration_s)}, in band {hms(s.time_in_band_s)} "
                  f"({100 * s.band_share:.1f}%), average HR {avg}, max HR {mx}, "
                  f"{s.sample_count} samples",
                  f"time per zone: {zones}"]
        timer_s = session_timer_s(r, s.duration_s)
        if s.duration_s - timer_s >= 1.0:
            lines.append(f"moving time {hms(timer_s)} (paused {hms(s.duration_s - timer_s)})")
    effort = effort_summary(r.efforts)
    if effort is not None:
        target = ("" if effort.mean_target is None
                  else f", target {effort_text(effort.mean_target, effort.unit)}")
        lines.append(f"effort: mean {effort_text(effort.mean, effort.unit)}{target}, "
                     f"highest {effort_text(effort.peak, effort.unit)}, "
                     f"{effort.readings} readings")
    if r.intervals:
        with_effort = any(i.avg_effort is not None or i.avg_target_effort is not None
                          for i in r.intervals)
        head = f"{'effort / target':<20}  " if with_effort else ""
        lines.append(f"{'#':>3}  {'kind':<8}  {'start':>8}  {'planned':>8}  {'actual':>8}  "
                     f"{'avg':>4}  {head}{'drift / recovery':<{FIGURES_WIDTH}}  ended because")
        for i, f in zip(r.intervals, record_figures(r), strict=True):
            avg = "-" if i.avg_hr_bpm is None else f"{i.avg_hr_bpm:.0f}"
            cell = (f"{effort_text(i.avg_effort, i.effort_unit)} / "
                    f"{effort_text(i.avg_target_effort, i.effort_unit)}")
            lines.append(f"{i.index + 1:>3}  {i.kind:<8}  {hms(i.start_s):>8}  "
                         f"{hms(i.planned_s):>8}  {hms(i.actual_s):>8}  {avg:>4}  "
                         + (f"{cell:<20}  " if with_effort else "")
                         + f"{describe(f) or '-':<{FIGURES_WIDTH}}  {i.end_reason}")
    for key, value in sorted(r.extra.items()):
        lines.append(f"{key}: {_readable_extra(key, value)}")
    return lines


def _readable_extra(key: str, value: str) -> str:
    if key == control.BOUT_HISTORY_KEY:
        try:
            return control.BoutHistory.from_json(value).describe()
        except control.BoutHistoryError as exc:
            return f"{value} (cannot be read: {exc})"
    return value


def _show(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        record = store.load(args.id)
    finally:
        store.close()
    print("\n".join(format_record(record)))
    return 0


def _delete(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        listing = store.load(args.id)  # fails clearly for an unknown id
        if not args.yes and not confirm(f"delete session {args.id} "
                                         f"({listing.header.plan_name}, "
                                         f"{listing.header.started_at:%Y-%m-%d})?"):
            raise UserError(f"session {args.id} not deleted (confirm, or add --yes)")
        store.delete(args.id)
    finally:
        store.close()
    print(f"deleted session {args.id}")
    return 0


def _recover(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        return _recover_in(store, args)
    finally:
        store.close()


def _recover_in(store: Store, args: argparse.Namespace) -> int:
    pending = store.interrupted()
    if args.id is not None:
        pending = [s for s in pending if s.id == args.id]
        if not pending:
            raise UserError(f"session {args.id} is not a session left unfinished by a crash")
    if not pending:
        print("no unfinished sessions")
        return 0
    if args.discard and not args.yes:
        listed = ", ".join(f"{s.id} ({s.plan_name})" for s in pending)
        if not confirm(f"discard unfinished session(s) {listed}? this deletes them"):
            raise UserError("not discarded (confirm, or add --yes)")
    for s in pending:
        keep = args.keep
        if not args.keep and not args.discard:
            if not sys.stdin.isatty():
                raise UserError("say --keep or --discard")
            keep = confirm(f"keep unfinished session {s.id} ({s.plan_name}, "
                            f"{s.started_at.astimezone():%Y-%m-%d %H:%M})?")
        store.resolve_interrupted(s.id, keep)
        print(f"session {s.id}: {'kept as interrupted' if keep else 'discarded'}")
    return 0
