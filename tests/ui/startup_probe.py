"""``python -m tests.ui.startup_probe DB SETTINGS``: the dashboard as ``zonetrainer`` starts it
(ui.app.run), which after a moment prints the titles of the visible windows and quits."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from zonetrainer.ui import app


def probe() -> None:
    titles = sorted(w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible())
    print("visible: " + " | ".join(titles), flush=True)
    for widget in QApplication.topLevelWidgets():
        widget.close()


if __name__ == "__main__":
    app.application()
    QTimer.singleShot(1500, probe)
    sys.exit(app.run(sys.argv[1], settings_path=Path(sys.argv[2])))
