"""``python -m tests.ui.fullscreen_probe DB SETTINGS``: the dashboard opened as
``zonetrainer dashboard --fullscreen`` does (ui.app.run), on a screen given by the offscreen
platform's config file; after a work state it prints what the readouts measure, as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.ui.states import state
from tests.ui.test_instruction_text import longest_cue
from zonetrainer.ui import app
from zonetrainer.ui.instruction import readable_from_m
from zonetrainer.ui.main_window import MainWindow


def probe() -> None:
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    window.presenter.accept(state(hr_bpm=131.0, phase_remaining_s=754.0))
    QApplication.processEvents()
    view = window.training
    shown = {
        "window": [window.width(), window.height()], "full": window.isFullScreen(),
        "menus_hidden": window.menuBar().isHidden(), "tabs_hidden": window.tabs.tabBar().isHidden(),
        "hr_text": view.hr_label.text(), "hr_ink": view.hr_label.ink_height(),
        "hr_fits": view.hr_label.fontMetrics().horizontalAdvance("188") <= view.hr_label.width(),
        "countdown_ink": view.countdown_label.ink_height(),
        "countdown_fits": view.countdown_label.fontMetrics().horizontalAdvance("88:88")
        <= view.countdown_label.width()}
    # the instructions: from how far they read (ui.instruction's rule), and that they fit
    window.presenter.accept(state(hr_bpm=131.0, phase_remaining_s=754.0, cue=longest_cue()))
    QApplication.processEvents()
    read_m = {label.objectName(): [readable_from_m(label), label.fits()]
              for label in (view.cue_label, view.phase_label, view.next_label)}
    window.presenter.accept(state(phase="rest", safety_rest=True, hr_bpm=176.0))
    QApplication.processEvents()
    read_m["safetyWhy"] = [readable_from_m(view.banner.why), view.banner.why.fits()]
    print(json.dumps(shown | {"read_m": read_m}), flush=True)
    window.close()


if __name__ == "__main__":
    app.application()
    QTimer.singleShot(1500, probe)
    sys.exit(app.run(sys.argv[1], settings_path=Path(sys.argv[2]), fullscreen=True))
