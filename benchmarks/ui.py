#!/usr/bin/env python3
"""Dashboard figures, printed as JSON, with the conditions they were measured in:

- sample-to-screen latency, p50 and p99 (target p99 < 16 ms): from a sample reaching the
  presenter to the end of the first paint of the whole window (every widget painted and the
  backing store flushed to the window system) in which the live plot was drawn anew; with 3 hours
  of data on screen, in the app's own window (tabs, menus; F11's training mode with --fullscreen);
- the time of one full redraw (both plots' setData and paint) with those 3 hours;
- the process CPU over a live simulated session at real speed (target < 3 % of one core);
- the conditions: Qt platform, screen and window geometry, versions, and the load average
  before and after (2 shared cores make every figure depend on it).

    .venv/bin/python benchmarks/ui.py [--fullscreen] [--cpu-seconds 60]   # offscreen
    xvfb-run -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python benchmarks/ui.py --fullscreen     # the training mode on a 24" screen

Runs on Qt's offscreen platform unless QT_QPA_PLATFORM says otherwise (under Xvfb: xcb). On the
offscreen platform --fullscreen gives it a 1920x1080 screen (its config file) to fill.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from zonetrainer.core.model import SessionState
from zonetrainer.core.profile import Profile

HOURS = 3.0
PROFILE = Profile(name="Bench", age_years=40)
#: The screen the offscreen platform is given for --fullscreen: a 24" monitor's.
OFFSCREEN_SCREEN = {"name": "Bench", "x": 0, "y": 0, "width": 1920, "height": 1080,
                    "logicalDpi": 96, "logicalBpi": 96, "dpr": 1}


def state_at(t_s: float) -> SessionState:
    band = PROFILE.band()
    hr = band.low_bpm + 8 + 10 * ((t_s % 360) / 360)
    phase = "work" if (t_s // 240) % 2 == 0 else "rest"
    return SessionState(elapsed_s=t_s, phase=phase, phase_elapsed_s=t_s % 240,
                        phase_remaining_s=240 - t_s % 240, next_phase="rest", block_index=1,
                        interval_index=int(t_s // 240), hr_bpm=hr, signal_live=True,
                        zone=PROFILE.zones().zone_of(hr), in_band=band.contains(hr), band=band,
                        session_duration_s=HOURS * 3600 + 600,
                        time_in_zone_s=(t_s * 0.1, t_s * 0.6, t_s * 0.3, 0.0, 0.0))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class Silent:
    def play(self, sound: str) -> None: ...
    def say(self, phrase: str) -> None: ...


def open_window(tmp: Path, fullscreen: bool) -> Any:
    """The app's main window on its Train tab: full screen as F11 makes it, else 1280x800."""
    from zonetrainer.core.store import Store
    from zonetrainer.ui.app import build_window, settings_at

    store = Store.open(tmp / "bench.sqlite")
    window = build_window(store, settings_at(tmp / "ui.ini"), "light", 1.0,
                          cue_output=Silent(), confirm=lambda *_: True)
    window.resize(1280, 800)
    window.show()
    window.tabs.setCurrentWidget(window.training)
    if fullscreen:
        window.toggle_fullscreen()  # F11: the Train tab alone, full screen
    return window, store


def latency(app: Any, samples: int, fullscreen: bool) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject

    with tempfile.TemporaryDirectory(prefix="zt-bench-ui-") as tmp:
        window, store = open_window(Path(tmp), fullscreen)
        try:
            return _latency(app, window, samples, QEvent, QObject)
        finally:
            window.close()
            store.close()


def _latency(app: Any, window: Any, samples: int, QEvent: Any, QObject: Any) -> dict[str, Any]:
    presenter, view = window.presenter, window.training
    view.prepare(PROFILE.band(), PROFILE.zones())
    n_history = int(HOURS * 3600)
    for t in range(n_history):  # straight into the buffer: the UI need not show each of these
        st = state_at(float(t))
        presenter.hr.append(st.elapsed_s, st.hr_bpm)
        presenter._extend_spans(st)
    plot_painted: list[float] = []
    frames: list[tuple[float, bool]] = []  # (end of a window paint, the live plot drawn in it)

    class FrameTimer(QObject):
        """Runs the window's paint itself, so the time after it is the end of the frame."""

        def eventFilter(self, obj: Any, event: Any) -> bool:
            if obj is window and event.type() == QEvent.Type.UpdateRequest:
                plot_painted.clear()
                obj.event(event)
                frames.append((time.perf_counter(), bool(plot_painted)))
                return True
            return False

    timer = FrameTimer()
    window.installEventFilter(timer)
    view.plots.live.painted = plot_painted.append
    for _ in range(20):
        app.processEvents()
    lat_ms: list[float] = []
    plot_ms: list[float] = []
    for i in range(samples):
        st = state_at(float(n_history + i))
        frames.clear()
        t0 = time.perf_counter()
        presenter.accept(st)
        deadline = t0 + 1.0
        while not any(drawn for _, drawn in frames) and time.perf_counter() < deadline:
            app.processEvents()
        done = [t for t, drawn in frames if drawn]
        if done:
            lat_ms.append(1000 * (done[0] - t0))
            plot_ms.append(1000 * (plot_painted[0] - t0) if plot_painted else lat_ms[-1])
        # a strap delivers about once a second; let the frame limiter see a quiet screen
        wait_until = time.perf_counter() + 0.02
        while time.perf_counter() < wait_until:
            app.processEvents()
    window.removeEventFilter(timer)
    redraw_ms = []
    for _ in range(30):
        t0 = time.perf_counter()
        view.plots.redraw(overview=True)
        view.plots.live.viewport().repaint()
        view.plots.overview.viewport().repaint()
        redraw_ms.append(1000 * (time.perf_counter() - t0))
    return {"window_size": [window.width(), window.height()],
            "window_fullscreen": window.isFullScreen(),
            "history_samples": len(presenter.hr), "latency_samples": len(lat_ms),
            "missed_paints": samples - len(lat_ms),
            "latency_p50_ms": round(statistics.median(lat_ms), 2),
            "latency_p99_ms": round(percentile(lat_ms, 0.99), 2),
            "latency_max_ms": round(max(lat_ms), 2),
            "live_plot_painted_p50_ms": round(statistics.median(plot_ms), 2),
            "live_plot_painted_p99_ms": round(percentile(plot_ms, 0.99), 2),
            "redraw_median_ms": round(statistics.median(redraw_ms), 2),
            "redraw_max_ms": round(max(redraw_ms), 2)}


def live_cpu(app: Any, seconds: float, fullscreen: bool = False) -> dict[str, Any]:
    """CPU of this process while the window shows a live simulated session at real speed."""
    from PySide6.QtCore import QEventLoop, QTimer

    from zonetrainer.ui import loop

    event_loop = loop.install(app)
    with tempfile.TemporaryDirectory(prefix="zt-bench-ui-") as tmp:
        window, store = open_window(Path(tmp), fullscreen)
        try:
            window.start()
            if not window.presenter.running:
                return {"cpu_error": window.message.text()}
            warm_until = time.monotonic() + 3.0
            while time.monotonic() < warm_until:
                app.processEvents()
                time.sleep(0.01)
            cpu0, wall0 = time.process_time(), time.monotonic()
            states0 = window.presenter.state.elapsed_s if window.presenter.state else 0.0
            # Block in Qt's own event loop, as the app does, instead of polling
            waiter = QEventLoop()
            QTimer.singleShot(int(seconds * 1000), waiter.quit)
            waiter.exec()
            cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
            state = window.presenter.state
            size = [window.width(), window.height()]
            window.presenter.end()
            done_by = time.monotonic() + 10
            while window.presenter.running and time.monotonic() < done_by:
                app.processEvents()
                time.sleep(0.01)
            return {"cpu_window_size": size, "cpu_seconds_measured": round(wall, 1),
                    "session_seconds_advanced": round((state.elapsed_s if state else 0) - states0,
                                                      1),
                    "cpu_percent_of_one_core": round(100 * cpu / wall, 2)}
        finally:
            window.close()
            store.close()
            loop.uninstall(event_loop)


def main() -> int:
    parser = argparse.ArgumentParser(description="dashboard latency, redraw and CPU figures")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--cpu-seconds", type=float, default=60.0)
    parser.add_argument("--fullscreen", action="store_true",
                        help="the training mode (F11) full screen: 1920x1080 under the Xvfb line "
                             "above, and on the offscreen platform")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zt-bench-qpa-") as qpa:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        if args.fullscreen and os.environ["QT_QPA_PLATFORM"] == "offscreen":
            config = Path(qpa) / "screen.json"
            config.write_text(json.dumps({"screens": [OFFSCREEN_SCREEN]}))
            os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        return run(args)


def run(args: argparse.Namespace) -> int:
    import pyqtgraph
    import PySide6
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    load_before = load()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    screen = app.primaryScreen().geometry()  # type: ignore[attr-defined]
    result: dict[str, Any] = {
        "platform": app.platformName(),  # type: ignore[attr-defined]
        "screen": [screen.width(), screen.height()], "fullscreen": args.fullscreen,
        "hours_on_screen": HOURS, "samples": args.samples, "python": platform.python_version(),
        "qt": qVersion(), "pyside6": PySide6.__version__, "pyqtgraph": pyqtgraph.__version__,
        "cpus": os.cpu_count(), "load_before": load_before}
    result.update(latency(app, args.samples, args.fullscreen))
    result["load_after_latency"] = load()
    if args.cpu_seconds > 0:
        result.update(live_cpu(app, args.cpu_seconds, args.fullscreen))
        result["load_after_cpu"] = load()
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
