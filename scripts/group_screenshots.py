#!/usr/bin/env python3
"""Screenshots of the group screen with 4, 12 and 30 simulated athletes, under Xvfb.

    .venv/bin/python scripts/group_screenshots.py [--out docs/screenshots] [--size 1920x1080]

Every tile shows a real runner's state: each simulated athlete (their own profile, seed and
virtual clock) trains the real plan as fast as possible up to their own minute of the session
(8 to 34 minutes, so warm-ups, work bouts and rests mix) and is held there, still running, while
the window is grabbed. Nothing is stored (a memory recorder).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import ROOT, start_xvfb

from zonetrainer.core.clock import VirtualClock


class HeldClock(VirtualClock):
    """A virtual clock that stops at ``hold_s``: the runner waits there, its state live."""

    def __init__(self, hold_s: float) -> None:
        super().__init__()
        self.hold_s = hold_s
        self._never = asyncio.Event()

    def advance_to(self, t_s: float) -> None:
        super().advance_to(min(t_s, self.hold_s))

    async def sleep_until(self, t_s: float) -> None:
        self.advance_to(t_s)
        if t_s > self.hold_s:
            await self._never.wait()
        await asyncio.sleep(0)


def build(count: int, seed: int = 1) -> object:
    from datetime import UTC, datetime

    from zonetrainer.cli.group import SIM_NAMES, sim_profile
    from zonetrainer.cli.run import simulated_source
    from zonetrainer.core.group import GroupSession
    from zonetrainer.core.plan import load_plan
    from zonetrainer.core.recorder import MemoryRecorder
    from zonetrainer.core.runner import runner_for

    plan = load_plan("fatmax-intervals")
    recorder = MemoryRecorder()
    members = []
    for k in range(count):
        profile = sim_profile(k)
        clock = HeldClock(8 * 60 + (k * 397) % (26 * 60))
        source = simulated_source(profile, seed + k)
        source.source_id = f"simulated-{k + 1}"
        members.append((f"Sim {SIM_NAMES[k]}", runner_for(plan, profile, source, clock,
                                                          recorder, datetime.now(UTC))))
    return GroupSession(members)


def shoot(count: int, out: Path, theme: str = "light", size: tuple[int, int] = (1400, 860),
          suffix: str = "") -> Path:
    from PySide6.QtWidgets import QApplication

    from zonetrainer.ui import loop
    from zonetrainer.ui.app import application
    from zonetrainer.ui.group_app import GroupWindow
    from zonetrainer.ui.theme import apply_theme

    class Silent:
        def play(self, sound: str) -> None: ...
        def say(self, phrase: str) -> None: ...

    app = application()
    apply_theme(app, "dark" if theme == "dark" else "light")
    event_loop = loop.install(app)
    try:
        group = build(count)
        window = GroupWindow(group, "dark" if theme == "dark" else "light",  # type: ignore[arg-type]
                             Silent(), confirm=lambda *_: True)
        window.resize(*size)
        window.show()
        window.start_all()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            app.processEvents()
            held = [m for m in group.members.values()  # type: ignore[attr-defined]
                    if m.state is not None and m.state.elapsed_s >= m.runner.clock.hold_s]
            if len(held) == count:
                break
            time.sleep(0.005)
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)
        path = out / f"group-{count}{suffix}.png"
        window.grab().save(str(path))
        window.end_all()
        for member in group.members.values():  # type: ignore[attr-defined]
            member.runner.clock.hold_s = float("inf")  # let them finish ending
            member.runner.clock._never.set()
        until = time.monotonic() + 30
        while window.running and time.monotonic() < until:
            app.processEvents()
        window.close()
        assert isinstance(app, QApplication)
        return path
    finally:
        loop.uninstall(event_loop)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--counts", default="4,12,30")
    parser.add_argument("--size", default="1400x860",
                        help="window size WxH; other than the default it names the files, "
                             "group-30-1920x1080.png")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    suffix = "" if args.size == "1400x860" else f"-{args.size}"
    server = start_xvfb()
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for count in (int(c) for c in args.counts.split(",")):
            print(shoot(count, args.out, size=(width, height), suffix=suffix), flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    sys.exit(main())
