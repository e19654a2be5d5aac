#!/usr/bin/env python3
"""Coach-mode figures, printed as JSON:

- live: N simulated athletes at 1 Hz in real time on the group window (each its own engine,
  runner and stored session in a real SQLite file): the latency from a state reaching the group
  screen to the end of that athlete's tile's next paint, p50 / p99 (target p99 < 16 ms), and the
  process CPU as a share of one core (target < 15 % for 30 athletes), for each N given;
- the CPU cost of one more athlete: the slope of CPU over N between the smallest and largest N;
- stored: a 60-minute session of M athletes at --speed 0 (each on their own virtual clock, all
  in one process and one database), wall time from start to the database closed (target < 30 s
  for 30).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/group.py [--seconds 60] \
        [--athletes 1,10,30] [--stored 30]

Runs on Qt's offscreen platform unless QT_QPA_PLATFORM says otherwise (under Xvfb: xcb).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from zonetrainer.cli.group import SIM_NAMES, sim_profile
from zonetrainer.cli.run import simulated_source
from zonetrainer.core.clock import Clock, ScaledClock, VirtualClock
from zonetrainer.core.group import GroupSession
from zonetrainer.core.plan import Plan, parse_plan
from zonetrainer.core.recorder import Recorder
from zonetrainer.core.runner import runner_for
from zonetrainer.core.store import Store

#: An hour: the shipped FatMax session's shape, stretched (10 min warm-up, 7 work/rest pairs,
#: 10 min cool-down; the loop makes the pairs longer or shorter).
HOUR_PLAN = parse_plan("""title = "Hour"
[[block]]
kind = "warmup"
duration_min = 10
[[block]]
kind = "intervals"
repeats = 7
work_s = 240
rest_s = 120
[[block]]
kind = "cooldown"
duration_min = 10
""", "hour.toml")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def group_of(count: int, plan: Plan, recorder: Recorder,
             clock_for: Any) -> GroupSession:
    members = []
    for k in range(count):
        profile = sim_profile(k)
        source = simulated_source(profile, 100 + k)
        source.source_id = f"simulated-{k + 1}"
        clock: Clock = clock_for()
        members.append((f"Sim {SIM_NAMES[k]}", runner_for(plan, profile, source, clock,
                                                          recorder, datetime.now(UTC))))
    return GroupSession(members)


class Silent:
    def play(self, sound: str) -> None: ...
    def say(self, phrase: str) -> None: ...


def live(app: QApplication, count: int, seconds: float, tmp: Path) -> dict[str, Any]:
    from zonetrainer.ui import loop
    from zonetrainer.ui.group_app import GroupWindow

    event_loop = loop.install(app)
    store = Store.open(tmp / f"live-{count}.sqlite")
    try:
        clock = ScaledClock(1.0)
        group = group_of(count, HOUR_PLAN, store.recorder(), lambda: clock)
        window = GroupWindow(group, "light", Silent(), confirm=lambda *_: True)
        window.resize(1920, 1080)
        window.show()
        latencies: list[float] = []
        pending: dict[str, float] = {}
        shown = window._on_state  # the window's own handler, timed around

        def timed(name: str, state: Any) -> None:
            tile = window.tiles_screen.tiles[name]
            before = tile.view
            t0 = time.perf_counter()
            pending[name] = t0
            shown(name, state)
            if name in pending and tile.view is before:
                del pending[name]  # nothing new to show: no paint is due
            elif name not in pending:  # painted (and flushed) inside the call: up to now
                latencies[-1] = 1000 * (time.perf_counter() - t0)

        def painted(name: str, t: float) -> None:
            if name in pending:
                latencies.append(1000 * (t - pending.pop(name)))

        group.on_state = timed
        for name, tile in window.tiles_screen.tiles.items():
            tile.painted = lambda t, n=name: painted(n, t)
        # the event loop's own lateness: a 20 ms timer's delay past its due time, to tell this
        # process's delays from those of a machine shared with other jobs
        lateness: list[float] = []
        probe, due = QTimer(), [0.0]

        def tick() -> None:
            now = time.perf_counter()
            if due[0]:
                lateness.append(1000 * max(0.0, now - due[0]))
            due[0] = now + 0.02
        probe.timeout.connect(tick)
        probe.start(20)
        window.start_all()
        waiter = QEventLoop()
        QTimer.singleShot(3000, waiter.quit)  # the straps "connect", the window settles
        waiter.exec()
        latencies.clear()
        lateness.clear()
        cpu0, wall0 = time.process_time(), time.monotonic()
        QTimer.singleShot(int(seconds * 1000), waiter.quit)
        waiter.exec()
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        probe.stop()
        samples = sum(len(m.runner.engine.samples) for m in group.members.values())
        window.end_all()
        until = time.monotonic() + 30
        while window.running and time.monotonic() < until:
            app.processEvents()
            time.sleep(0.01)
        window.close()
        return {"athletes": count, "seconds": round(wall, 1), "samples_total": samples,
                "paints_timed": len(latencies),
                "latency_p50_ms": round(statistics.median(latencies), 2) if latencies else None,
                "latency_p99_ms": round(percentile(latencies, 0.99), 2) if latencies else None,
                "latency_max_ms": round(max(latencies), 2) if latencies else None,
                "loop_lateness_p50_ms": round(statistics.median(lateness), 2),
                "loop_lateness_p99_ms": round(percentile(lateness, 0.99), 2),
                "cpu_percent_of_one_core": round(100 * cpu / wall, 2)}
    finally:
        store.close()
        loop.uninstall(event_loop)


def stored(count: int, tmp: Path) -> dict[str, Any]:
    path = tmp / f"stored-{count}.sqlite"
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    store = Store.open(path)
    try:
        group = group_of(count, HOUR_PLAN, store.recorder(), VirtualClock)
        asyncio.run(group.run())
        store.flush()
    finally:
        store.close()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    check = Store.open(path)
    try:
        listed = check.list_sessions()
    finally:
        check.close()
    return {"athletes": count, "sessions_stored": len(listed),
            "distinct_athletes": len({s.athlete_name for s in listed}),
            "session_minutes_each": round(statistics.median(
                s.duration_s or 0 for s in listed) / 60, 1),
            "wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
            "errors": [str(m.error) for m in group.members.values() if m.error]}


def main() -> int:
    parser = argparse.ArgumentParser(description="coach mode: live latency and CPU, storing")
    parser.add_argument("--seconds", type=float, default=60.0, help="live run per N")
    parser.add_argument("--athletes", default="1,10,30", help="N of the live runs")
    parser.add_argument("--stored", type=int, default=30, help="athletes of the hour stored "
                                                               "at --speed 0 (0: skip)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    result: dict[str, Any] = {"platform": os.environ.get("QT_QPA_PLATFORM"),
                              "python": platform.python_version(), "cpus": os.cpu_count(),
                              "load_avg_1min": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory(prefix="zt-bench-group-") as tmp_dir:
        tmp = Path(tmp_dir)
        counts = [int(c) for c in args.athletes.split(",") if c]
        runs = [live(app, n, args.seconds, tmp) for n in counts] if args.seconds > 0 else []
        result["live"] = runs
        if len(runs) >= 2 and runs[-1]["athletes"] > runs[0]["athletes"]:
            first, last = runs[0], runs[-1]
            result["cpu_percent_per_added_athlete"] = round(
                (last["cpu_percent_of_one_core"] - first["cpu_percent_of_one_core"])
                / (last["athletes"] - first["athletes"]), 3)
        if args.stored > 0:
            result["stored_hour"] = stored(args.stored, tmp)
    result["load_avg_1min_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
