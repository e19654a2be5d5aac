"""``zonetrainer stats``: time in band, time per zone, sessions and TRIMP per week or month."""

from __future__ import annotations

import argparse
from typing import Any

from zonetrainer.cli.db import hms, open_store, since_date


def register(sub: Any) -> None:
    parser = sub.add_parser("stats", help="totals per week or month (time in band and zones, "
                                          "sessions, TRIMP)")
    parser.add_argument("--by", choices=("week", "month"), default="week")
    parser.add_argument("--since", type=since_date, metavar="DATE", help="from this day")
    parser.add_argument("--athlete", help="only this athlete's sessions")
    parser.set_defaults(func=_stats)


def _stats(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        totals = store.totals(args.by, args.since, args.athlete)
    finally:
        store.close()
    if not totals:
        print("no finished sessions to count")
        return 0
    label = "week of" if args.by == "week" else "month"
    print(f"{label:<10}  {'sessions':>8}  {'time':>8}  {'in band':>8}  "
          + "  ".join(f"{'Z' + str(k):>8}" for k in range(1, 6)) + f"  {'TRIMP':>7}")
    for t in totals:
        start = t.period_start.isoformat() if args.by == "week" else f"{t.period_start:%Y-%m}"
        trimp = f"{t.trimp:7.0f}" if t.trimp_sessions else f"{'-':>7}"
        if 0 < t.trimp_sessions < t.sessions:
            trimp += f" ({t.trimp_sessions} of {t.sessions})"
        print(f"{start:<10}  {t.sessions:>8}  {hms(t.duration_s):>8}  {hms(t.time_in_band_s):>8}  "
              + "  ".join(f"{hms(z):>8}" for z in t.time_in_zone_s) + f"  {trimp}")
    print("TRIMP: Banister (1991), summed per sample; needs a resting HR in the profile.")
    return 0
