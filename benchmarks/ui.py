#!/usr/bin/env python3
"""Dashboard figures, printed as JSON:

- latency from a sample reaching the presenter to the end of the live plot's next paint, p50 and
  p99, with 3 hours of data on screen (target p99 < 16 ms);
- the time of one full redraw (both plots' setData and paint) with those 3 hours;
- the process CPU over a live simulated session at real speed (target < 3 % of one core).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui.py [--cpu-seconds 60]
    xvfb-run -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python benchmarks/ui.py --fullscreen     # the training mode on a 24" screen

Runs on Qt's offscreen platform unless QT_QPA_PLATFORM says otherwise (under Xvfb: xcb).
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from zonetrainer.core.model import SessionState
from zonetrainer.core.profile import Profile

HOURS = 3.0
PROFILE = Profile(name="Bench", age_years=40)


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


def show(widget: Any, fullscreen: bool) -> None:
    if fullscreen:  # without a window manager (Xvfb) full screen does not resize by itself
        widget.setGeometry(QApplication.primaryScreen().geometry())
        widget.showFullScreen()
    else:
        widget.resize(1280, 800)
        widget.show()


def latency(app: QApplication, samples: int, fullscreen: bool = False) -> dict[str, Any]:
    from zonetrainer.ui.presenter import SessionPresenter
    from zonetrainer.ui.training import TrainingView

    presenter = SessionPresenter()
    view = TrainingView(presenter)
    view.prepare(PROFILE.band(), PROFILE.zones())
    show(view, fullscreen)
    n_history = int(HOURS * 3600)
    for t in range(n_history):  # straight into the buffer: the UI need not show each of these
        st = state_at(float(t))
        presenter.hr.append(st.elapsed_s, st.hr_bpm)
        presenter._extend_spans(st)
    painted: list[float] = []
    view.plots.live.painted = painted.append
    for _ in range(20):
        app.processEvents()
    lat_ms: list[float] = []
    for i in range(samples):
        st = state_at(float(n_history + i))
        painted.clear()
        t0 = time.perf_counter()
        presenter.accept(st)
        deadline = t0 + 1.0
        while not painted and time.perf_counter() < deadline:
            app.processEvents()
        if painted:
            lat_ms.append(1000 * (painted[0] - t0))
        # a strap delivers about once a second; let the frame limiter see a quiet screen
        wait_until = time.perf_counter() + 0.02
        while time.perf_counter() < wait_until:
            app.processEvents()
    redraw_ms = []
    for _ in range(30):
        t0 = time.perf_counter()
        view.plots.redraw(overview=True)
        view.plots.live.viewport().repaint()
        view.plots.overview.viewport().repaint()
        redraw_ms.append(1000 * (time.perf_counter() - t0))
    size = [view.width(), view.height()]
    view.close()
    return {"view_size": size, "history_samples": len(presenter.hr), "latency_samples": len(lat_ms),
            "missed_paints": samples - len(lat_ms),
            "latency_p50_ms": round(statistics.median(lat_ms), 2),
            "latency_p99_ms": round(percentile(lat_ms, 0.99), 2),
            "latency_max_ms": round(max(lat_ms), 2),
            "redraw_median_ms": round(statistics.median(redraw_ms), 2),
            "redraw_max_ms": round(max(redraw_ms), 2)}


def live_cpu(app: QApplication, seconds: float, fullscreen: bool = False) -> dict[str, Any]:
    """CPU of this process while the window shows a live simulated session at real speed."""
    from zonetrainer.core.store import Store
    from zonetrainer.ui import loop
    from zonetrainer.ui.app import build_window, settings_at

    class Silent:
        def play(self, sound: str) -> None: ...
        def say(self, phrase: str) -> None: ...

    event_loop = loop.install(app)
    with tempfile.TemporaryDirectory(prefix="zt-bench-ui-") as tmp:
        store = Store.open(Path(tmp) / "bench.sqlite")
        try:
            window = build_window(store, settings_at(Path(tmp) / "ui.ini"), "light", 1.0,
                                  cue_output=Silent(), confirm=lambda *_: True)
            window.resize(1280, 800)
            window.show()
            if fullscreen:
                window.toggle_fullscreen()  # F11: the Train tab alone, full screen
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
            from PySide6.QtCore import QEventLoop, QTimer
            waiter = QEventLoop()
            QTimer.singleShot(int(seconds * 1000), waiter.quit)
            waiter.exec()
            cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
            state = window.presenter.state
            window.presenter.end()
            done_by = time.monotonic() + 10
            while window.presenter.running and time.monotonic() < done_by:
                app.processEvents()
                time.sleep(0.01)
            window.close()
            return {"cpu_seconds_measured": round(wall, 1),
                    "session_seconds_advanced": round((state.elapsed_s if state else 0) - states0,
                                                      1),
                    "cpu_percent_of_one_core": round(100 * cpu / wall, 2)}
        finally:
            store.close()
            loop.uninstall(event_loop)


def main() -> int:
    parser = argparse.ArgumentParser(description="dashboard latency, redraw and CPU figures")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--cpu-seconds", type=float, default=60.0)
    parser.add_argument("--fullscreen", action="store_true",
                        help="the training view full screen (the screen's size: 1920x1080 "
                             "under the Xvfb line above)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    result: dict[str, Any] = {"platform": os.environ.get("QT_QPA_PLATFORM"),
                              "python": platform.python_version(), "cpus": os.cpu_count(),
                              "hours_on_screen": HOURS}
    result["fullscreen"] = args.fullscreen
    result.update(latency(app, args.samples, args.fullscreen))  # type: ignore[arg-type]
    if args.cpu_seconds > 0:
        result.update(live_cpu(app, args.cpu_seconds, args.fullscreen))  # type: ignore[arg-type]
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
