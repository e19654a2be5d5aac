#!/usr/bin/env python3
"""Run the dashboard under Xvfb with the simulated strap and save a PNG of each screen.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--speed 60]

Starts its own Xvfb (Debian package xvfb) when there is no display, uses a throw-away database
and settings in a temporary directory, trains ~12 minutes of a simulated FatMax session at
``--speed``, then visits every screen; a simulated ramp (as fast as possible) gives the ramp
result (and, ended at step 6, the result of a ramp cut short), and a child process killed
mid-session gives the start-up recovery dialog. Nothing is written outside ``--out`` and the
temp dir.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_xvfb() -> subprocess.Popen[bytes] | None:
    """A private X server for the run, or None when a display is already there."""
    if os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM", "xcb") == "xcb":
        return None
    if shutil.which("Xvfb") is None:
        sys.exit("Xvfb is not installed (apt-get install xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as display:
        number = display.readline().strip()  # written once the server accepts clients
    if not number:
        server.kill()
        sys.exit("Xvfb did not start")
    os.environ["DISPLAY"] = f":{number}"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--speed", type=float, default=60.0)
    parser.add_argument("--minutes", type=float, default=12.0,
                        help="session minutes to train before the training screenshot")
    parser.add_argument("--training", action="store_true",
                        help="only the training screen: 7 screens x 3 sizes x 2 themes")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--crash", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.crash is not None:
        crash(args.crash)
    if args.inner:
        with tempfile.TemporaryDirectory(prefix="zt-shots-") as tmp:
            return shoot(args.out, args.speed, args.minutes, Path(tmp), args.training)
    server = start_xvfb()
    try:
        # The app runs in a child: if Qt aborts (a missing xcb library), Xvfb still stops here.
        return subprocess.run([sys.executable, __file__, "--inner", "--out", str(args.out),
                               "--speed", str(args.speed), "--minutes", str(args.minutes)]
                              + (["--training"] if args.training else []),
                              check=False).returncode
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)


def crash(db: Path) -> None:
    """A simulated session that dies (SIGKILL) 9 minutes in, leaving it for the recovery."""
    import asyncio
    import signal
    from datetime import UTC, datetime, timedelta

    from zonetrainer.core.clock import VirtualClock
    from zonetrainer.core.plan import load_plan
    from zonetrainer.core.profile import Profile
    from zonetrainer.core.runner import runner_for
    from zonetrainer.core.sources.simulated import simulated_source_for
    from zonetrainer.core.store import Store

    profile = Profile(name="Ann", age_years=40.0, rest_hr_bpm=58.0)
    store = Store.open(db)

    def on_state(state: object) -> None:
        if state.elapsed_s >= 540:  # type: ignore[attr-defined]
            store.flush()
            os.kill(os.getpid(), signal.SIGKILL)

    runner = runner_for(load_plan("fatmax-intervals"), profile,
                        simulated_source_for(profile, profile.band(), 2), VirtualClock(),
                        store.recorder(), datetime.now(UTC) - timedelta(days=1),
                        on_state=on_state)
    asyncio.run(runner.run())


def shoot(out: Path, speed: float, minutes: float, tmp: Path, training: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from zonetrainer.core.profile import Profile
    from zonetrainer.core.store import Store
    from zonetrainer.ui import loop
    from zonetrainer.ui.app import application, build_window, settings_at

    app = application()
    event_loop = loop.install(app)
    out.mkdir(parents=True, exist_ok=True)
    db = tmp / "zonetrainer.sqlite"
    subprocess.run([sys.executable, __file__, "--crash", str(db)], check=False)
    store = Store.open(db)
    saved: list[Path] = []

    def spin(seconds: float = 0.3, until: object = None) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            if until is not None and until():  # type: ignore[operator]
                return
            time.sleep(0.005)

    def save(widget: object, name: str) -> None:
        spin(0.4)
        path = out / f"{name}.png"
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        saved.append(path)

    try:
        if training:
            sys.path.insert(0, str(Path(__file__).parent))
            from screen_shots import shoot_training
            shoot_training(out, tmp, store, spin, save)
            return 0
        for theme in ("dark", "light"):
            window = build_window(store, settings_at(tmp / f"{theme}.ini"), theme, speed,
                                  confirm=lambda *_: True, export_dir=tmp)
            window.resize(1280, 800)
            window.show()
            spin(0.5)
            if theme == "dark":  # the first start: the session the crash left is offered
                recovery = window.check_interrupted()
                if recovery is not None:
                    save(recovery, "recovery")
                    recovery.apply_button.click()
                window.save_profile(Profile(name="Bob", birth_year=1971, age_years=55.0,
                                            lab_lt1_bpm=128.0, lab_lt2_bpm=150.0))
                window.save_profile(Profile(name="Ann", age_years=40.0, rest_hr_bpm=58.0))
            window.choose_athlete("Ann")
            window.plans.select("fatmax-intervals")
            spin(0.5)
            window.start()
            target_s = minutes * 60
            spin(target_s / speed + 30,
                 lambda w=window, t=target_s: w.presenter.state is not None
                 and w.presenter.state.elapsed_s >= t)
            window.training.plots.redraw()
            save(window, "training" if theme == "light" else "training-dark")
            if theme == "light":
                window.tabs.setCurrentWidget(window.plans)
                save(window, "plan")
                window.tabs.setCurrentWidget(window.profile_editor)
                save(window, "profile")
                picker = window.choose_strap()
                picker.start_scan()
                spin(8.0, lambda p=picker: p.scan_button.isEnabled())
                save(picker, "device-picker")
                picker.reject()
            window.presenter.end()
            spin(10.0, lambda w=window: not w.presenter.running)
            if theme == "light":
                window.tabs.setCurrentWidget(window.history)
                window.history.refresh()
                window.history.table.selectRow(0)
                save(window, "history")
                if window.history.record is not None:
                    dialog = window.export(window.history.record)
                    dialog.format.setCurrentText("pdf")
                    dialog.export()
                    spin(30.0, lambda d=dialog: not d.busy)
                    save(dialog, "export")
                    dialog.close()
            window.close()
            spin(0.3)
        window = build_window(store, settings_at(tmp / "ramp.ini"), "light", 0.0,
                              confirm=lambda *_: True, export_dir=tmp, seed=1)
        window.resize(1280, 800)
        window.show()
        window.choose_athlete("Ann")
        window.plans.select("aerobic-threshold-ramp")
        window.start()
        spin(60.0, lambda w=window: w.ramp_dialog is not None)
        if window.ramp_dialog is not None:
            save(window.ramp_dialog, "ramp-result")
            window.ramp_dialog.close()
            # the same ramp ended at step 6: a test cut short says so (issue 14)
            shown = window.ramp_dialog
            window.presenter.state_changed.connect(
                lambda state, w=window: w.presenter.end() if state.ramp_step == 5 else None)
            window.start()
            spin(60.0, lambda w=window, d=shown: w.ramp_dialog is not d)
            if window.ramp_dialog is not shown and window.ramp_dialog is not None:
                save(window.ramp_dialog, "ramp-result-cut-short")
                window.ramp_dialog.close()
        window.close()
        spin(0.3)
    finally:
        store.close()
        loop.uninstall(event_loop)
    QApplication.processEvents()
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
