"""Time the history list, a filter and the weekly totals over 10,000 one-hour sessions.

    .venv/bin/python benchmarks/history.py [--sessions N] [--samples-per-session K] [--db URL]

Sessions are inserted with their summary columns (what the history reads); by default with no
samples, since the list and the totals never read samples. ``--samples-per-session`` adds K
samples (with RR) to each session to show the samples table does not slow the history down.
Prints JSON: the median and worst of several runs of each query, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from zonetrainer.core.model import Band, HeartRateSample, SessionHeader, ZoneTable
from zonetrainer.core.store import Store
from zonetrainer.core.store.rows import header_row, sample_rows
from zonetrainer.core.store.schema import RRRow, SampleRow, SessionRow

TARGET_MS = 100.0
RUNS = 7
ATHLETES = ("Ann", "Ben", "Cleo", "Dan", "Eve")
PLANS = ("fatmax-intervals", "zone2-continuous", "back-strength-circuit")


def fill(store: Store, sessions: int, samples_per_session: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    band = Band(112.0, 128.0, "pct_hrmax", "benchmark", 7.0)
    zones = ZoneTable((110.0, 128.0, 146.0, 164.0, 182.0), 182.0, "benchmark")
    start = datetime(2026, 1, 1, 6, 0, tzinfo=UTC) - timedelta(days=sessions // 3)
    engine = store._engine  # the benchmark writes in bulk, below the repository API
    rows = []
    for n in range(sessions):
        started = start + timedelta(hours=8 * n + rnd.random())
        athlete = ATHLETES[n % len(ATHLETES)]
        header = SessionHeader(started, PLANS[n % len(PLANS)], athlete, band, zones, "bench",
                               json.dumps({"rest_hr_bpm": 55.0}))
        z = [rnd.uniform(0, 600), rnd.uniform(1200, 2400), rnd.uniform(300, 900),
             rnd.uniform(0, 300), rnd.uniform(0, 60)]
        scale = 3600.0 / sum(z)
        z = [v * scale for v in z]
        rows.append(header_row(header) | {
            "status": "finished", "writer": "", "duration_s": 3600.0,
            "time_in_band_s": z[1], "band_share": z[1] / 3600.0,
            "time_in_z1_s": z[0], "time_in_z2_s": z[1], "time_in_z3_s": z[2],
            "time_in_z4_s": z[3], "time_in_z5_s": z[4], "avg_hr_bpm": rnd.uniform(115, 135),
            "max_hr_bpm": rnd.uniform(140, 170), "sample_count": 3600, "work_intervals": 6,
            "rest_intervals": 6, "trimp": rnd.uniform(40, 90)})
    with engine.begin() as conn:
        conn.execute(insert(SessionRow), rows)
        if samples_per_session:
            ids = [r.id for r in conn.execute(SessionRow.__table__.select())]
            step = 3600.0 / samples_per_session
            for sid in ids:
                samples = [HeartRateSample(k * step, 120.0 + rnd.random() * 10, (500.0, 498.5))
                           for k in range(samples_per_session)]
                s, rr = sample_rows(sid, 0, samples, "bench")
                conn.execute(insert(SampleRow), s)
                conn.execute(insert(RRRow), rr)


def timed(fn: object) -> dict[str, float]:
    assert callable(fn)
    runs = []
    result = None
    for _ in range(RUNS):
        t0 = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - t0) * 1000.0)
    return {"median_ms": round(statistics.median(runs), 2), "worst_ms": round(max(runs), 2),
            "first_ms": round(runs[0], 2), "rows": len(result) if isinstance(result, list) else 0}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--samples-per-session", type=int, default=0)
    parser.add_argument("--db", help="a database URL (default: a new SQLite file in a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(args.db or str(Path(tmp) / "bench.sqlite"))
        try:
            if store.list_sessions(limit=1):
                raise SystemExit(f"{store.describe} already holds sessions: give an empty one")
            t0 = time.perf_counter()
            fill(store, args.sessions, args.samples_per_session)
            fill_s = time.perf_counter() - t0
            since = date(2025, 6, 1)
            results = {
                "list_all": timed(lambda: store.list_sessions()),
                "list_first_page": timed(lambda: store.list_sessions(limit=50)),
                "filter_athlete_since": timed(lambda: store.list_sessions(since=since,
                                                                          athlete="Ann")),
                "filter_plan": timed(lambda: store.list_sessions(plan="zone2-continuous")),
                "totals_week": timed(lambda: store.totals("week")),
                "totals_month_athlete": timed(lambda: store.totals("month", athlete="Ben")),
            }
            backend = store.url.get_backend_name()
        finally:
            store.close()
    print(json.dumps({
        "benchmark": "history", "backend": backend, "sessions": args.sessions,
        "samples_per_session": args.samples_per_session, "fill_s": round(fill_s, 2),
        "target_ms": TARGET_MS, "runs": RUNS, "results": results,
        "all_under_target": all(r["median_ms"] < TARGET_MS for r in results.values()),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
