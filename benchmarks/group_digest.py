#!/usr/bin/env python3
"""A digest of everything a simulated group stores, to prove a speed-up changed no result.

Runs N simulated athletes (the seeds and profiles of ``benchmarks/group.py``) for a plan of
about M minutes at ``--speed 0``, stored in a real SQLite file, then hashes every row of every
table: samples, RR, alpha1 readings, intervals, decisions, cues, events, time in band, the
summaries. Only what depends on the wall clock or the process is left out (row ids, the
session's ``writer`` host:pid); rows are ordered by athlete and then by their order of
insertion within the session, so the writer thread's interleaving of athletes does not matter.

    .venv/bin/python benchmarks/group_digest.py [--athletes 30] [--minutes 60] [--tables]

Prints JSON: the digest of all tables, and with ``--tables`` one digest and row count per
table (to tell which one moved).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from zonetrainer.cli.group import SIM_NAMES, sim_profile
from zonetrainer.cli.run import simulated_source
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.group import GroupSession
from zonetrainer.core.plan import Plan, parse_plan
from zonetrainer.core.runner import runner_for
from zonetrainer.core.store import Store

#: A fixed wall-clock start: stored with each session, it must not differ between runs.
STARTED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
#: Columns that depend on the process, not on the simulation.
SKIPPED_COLUMNS = frozenset({"id", "writer"})


def plan_of(minutes: int) -> Plan:
    """The hour of benchmarks/group.py for 60 minutes; the same shape, shrunk, for fewer."""
    if minutes >= 60:
        warm, repeats, work_s, rest_s = 10, 7, 240, 120
    else:
        warm = max(1, minutes // 6)
        work_s, rest_s = 120, 60
        repeats = max(1, (minutes - 2 * warm) * 60 // (work_s + rest_s))
    return parse_plan(f"""title = "Digest"
[[block]]
kind = "warmup"
duration_min = {warm}
[[block]]
kind = "intervals"
repeats = {repeats}
work_s = {work_s}
rest_s = {rest_s}
[[block]]
kind = "cooldown"
duration_min = {warm}
""", "digest.toml")


def run_group(path: Path, athletes: int, minutes: int) -> str:
    """The group of benchmarks/group.py's stored run (seed 100 + k for athlete k). Returns
    the sha256 of every state each athlete's runner published (cues, phases, alpha1, time in
    band second by second), athlete by athlete."""
    plan = plan_of(minutes)
    hashes: dict[str, Any] = {}
    store = Store.open(path)
    try:
        recorder = store.recorder()
        members = []
        for k in range(athletes):
            profile = sim_profile(k)
            source = simulated_source(profile, 100 + k)
            source.source_id = f"simulated-{k + 1}"
            name = f"Sim {SIM_NAMES[k]}"
            hashes[name] = h = hashlib.sha256()
            members.append((name, runner_for(
                plan, profile, source, VirtualClock(), recorder, STARTED_AT,
                on_state=lambda state, h=h: h.update(repr(state).encode()))))
        group = GroupSession(members)
        asyncio.run(group.run())
        errors = [f"{m.name}: {m.error}" for m in group.members.values() if m.error]
        if errors:
            raise RuntimeError("; ".join(errors))
        store.flush()
    finally:
        store.close()
    total = hashlib.sha256()
    for name in sorted(hashes):
        total.update(f"{name} {hashes[name].hexdigest()}\n".encode())
    return total.hexdigest()


def table_digests(path: Path) -> dict[str, tuple[int, str]]:
    """(row count, sha256) per table; rows keyed by athlete, in insertion order per session."""
    db = sqlite3.connect(path)
    try:
        names = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version' ORDER BY name")]
        athlete_of = dict(db.execute("SELECT id, athlete_name FROM sessions"))
        out: dict[str, tuple[int, str]] = {}
        for name in names:
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({name})")]
            kept = [c for c in columns if c not in SKIPPED_COLUMNS]
            keyed: list[tuple[Any, ...]] = []
            for row in db.execute(f"SELECT {', '.join(kept)}, rowid FROM {name}"):
                values = dict(zip(kept, row[:-1], strict=True))
                if name == "sessions":
                    key: tuple[Any, ...] = (values["athlete_name"],)
                elif "session_id" in values:
                    values["session_id"] = athlete_of.get(values["session_id"])
                    key = (str(values["session_id"]),)
                else:
                    key = ("",)
                keyed.append((*key, row[-1], tuple(values.items())))
            keyed.sort(key=lambda item: (item[0], item[1]))
            h = hashlib.sha256()
            for item in keyed:
                h.update(repr(item[2]).encode())
                h.update(b"\n")
            out[name] = (len(keyed), h.hexdigest())
        return out
    finally:
        db.close()


def digest(athletes: int, minutes: int) -> tuple[str, dict[str, tuple[int, str]]]:
    with tempfile.TemporaryDirectory(prefix="zt-digest-") as tmp:
        path = Path(tmp) / "group.sqlite"
        states = run_group(path, athletes, minutes)
        tables = table_digests(path)
    tables["(published states)"] = (0, states)
    h = hashlib.sha256()
    for name, (count, hexdigest) in sorted(tables.items()):
        h.update(f"{name} {count} {hexdigest}\n".encode())
    return h.hexdigest(), tables


def main() -> int:
    parser = argparse.ArgumentParser(description="digest of a simulated group's stored rows")
    parser.add_argument("--athletes", type=int, default=30)
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--tables", action="store_true", help="one digest per table too")
    args = parser.parse_args()
    total, tables = digest(args.athletes, args.minutes)
    result: dict[str, Any] = {"athletes": args.athletes, "minutes": args.minutes,
                              "digest": total}
    if args.tables:
        result["tables"] = {name: {"rows": count, "sha256": hexdigest}
                            for name, (count, hexdigest) in tables.items()}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
