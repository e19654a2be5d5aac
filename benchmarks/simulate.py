"""Wall time of a 60-minute simulated session through the whole pipeline, database writes included.

    .venv/bin/python benchmarks/simulate.py [--repeats N] [--no-alpha1] [--source simulated|toy]
                                            [--db URL]

The pipeline is the one ``zonetrainer run --simulate --speed 0`` uses: the simulated strap
(closed loop), the session runner on a virtual clock, the engine (zone controller per intervals
block, live DFA alpha1 unless --no-alpha1), batches every 2 s of session time into a fresh SQLite
file (or --db), and the final summary; the timing ends once the store has committed everything.
The plan: 6 min warm-up, 8 x (240 s work / 120 s rest) under the controller, 6 min cool-down.
``--source toy`` swaps the simulated athlete for the tests' exact first-order strap.

Prints one JSON object: the median and each repeat's wall time in seconds (``wall_s``: opening
and migrating a fresh database, the session, the last commit), the same without the opening
(``session_s``), and what was stored.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.engine import SessionEngine, default_alpha1
from zonetrainer.core.model import SessionHeader
from zonetrainer.core.plan import Plan, parse_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.runner import run_session
from zonetrainer.core.sources.base import HeartRateSource
from zonetrainer.core.store import Store

PLAN_TOML = """title = "60-minute benchmark"
[[block]]
kind = "warmup"
duration_min = 6
[[block]]
kind = "intervals"
repeats = 8
work_s = 240
rest_s = 120
[[block]]
kind = "cooldown"
duration_min = 6
"""

PROFILE = Profile(name="Benchmark", age_years=40, rest_hr_bpm=58)


def make_source(kind: str, profile: Profile, seed: int) -> HeartRateSource:
    band = profile.band()
    if kind == "toy":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.core.test_engine_fakes import ToyStrap

        return ToyStrap(work_bpm=band.high_bpm + 15, rest_bpm=band.low_bpm - 20)
    from zonetrainer.core.sources.simulated import simulated_source_for

    source: HeartRateSource = simulated_source_for(profile, band, seed)
    return source


def one_run(plan: Plan, kind: str, alpha1: bool, db: str | None, seed: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        store = Store.open(db or Path(tmp) / "bench.sqlite")
        opened = time.perf_counter()
        band, zones = PROFILE.band(), PROFILE.zones()
        engine = SessionEngine(plan, band, zones, PROFILE.safety_ceiling_bpm,
                               alpha1_factory=default_alpha1 if alpha1 else None)
        source = make_source(kind, PROFILE, seed)
        header = SessionHeader(datetime.now(UTC), plan.name, PROFILE.name, band, zones,
                               source.source_id)
        try:
            session_id, summary = asyncio.run(run_session(engine, source, VirtualClock(),
                                                          store.recorder(), header))
            store.flush()
        finally:
            store.close()
        ended = time.perf_counter()
        check = Store.open(db or Path(tmp) / "bench.sqlite")
        try:
            record = check.load(session_id)
        finally:
            check.close()
    return {"wall_s": ended - started, "open_s": opened - started,
            "session_s": ended - opened, "samples": len(record.samples),
            "intervals": len(record.intervals),
            "alpha1_readings": len(record.alpha1), "duration_s": summary.duration_s,
            "band_share": summary.band_share}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-alpha1", action="store_true", help="no live DFA alpha1")
    parser.add_argument("--source", choices=("simulated", "toy"), default="simulated")
    parser.add_argument("--db", help="a database URL (default: a fresh SQLite file per run)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    plan = parse_plan(PLAN_TOML, "benchmark-60min.toml")
    runs = [one_run(plan, args.source, not args.no_alpha1, args.db, args.seed)
            for _ in range(args.repeats)]
    walls = [r["wall_s"] for r in runs]
    sessions = [r["session_s"] for r in runs]
    opens = [r["open_s"] for r in runs]
    print(json.dumps({
        "benchmark": "60-minute simulated session, whole pipeline incl. SQLite writes",
        "planned_s": plan.planned_s, "source": args.source, "alpha1": not args.no_alpha1,
        "median_wall_s": round(statistics.median(walls), 3),
        "wall_s": [round(w, 3) for w in walls], "target_wall_s": 1.0,
        "median_session_s": round(statistics.median(sessions), 3),
        "median_open_db_s": round(statistics.median(opens), 3),
        "stored": {k: v for k, v in runs[-1].items() if not k.endswith("_s") or k == "duration_s"},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
