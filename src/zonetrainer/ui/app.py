"""Builds the dashboard's model and view and runs them; nothing else happens here."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from zonetrainer.ui import loop
from zonetrainer.ui.cues import QtCueOutput
from zonetrainer.ui.main_window import MainWindow
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.theme import THEMES, ThemeName, apply_theme

log = logging.getLogger(__name__)


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("zonetrainer")
    app.setApplicationName("zonetrainer")
    return app


def settings_at(path: Path | None) -> QSettings:
    """QSettings in the platform's place, or in an INI file (tests, screenshots)."""
    if path is None:
        return QSettings("zonetrainer", "zonetrainer")
    return QSettings(str(path), QSettings.Format.IniFormat)


def build_window(store: Any | None, settings: QSettings, theme: ThemeName | None = None,
                 speed: float = 1.0, **kwargs: Any) -> MainWindow:
    """The presenter, the cue output and the main window, wired; the theme applied."""
    app = application()
    chosen = theme or str(settings.value("theme", "light"))
    chosen_theme: ThemeName = "dark" if chosen == "dark" else "light"
    apply_theme(app, chosen_theme)
    presenter = SessionPresenter()
    return MainWindow(presenter, settings, store, kwargs.pop("cue_output", None) or QtCueOutput(),
                      theme=chosen_theme, speed=speed, **kwargs)


def run(db: str | None = None, theme: str | None = None, speed: float = 1.0,
        settings_path: Path | None = None, fullscreen: bool = False) -> int:
    """Open the store and the window, and run until the window closes."""
    from zonetrainer.core.settings import SettingsFile
    from zonetrainer.core.store import Store

    if theme is not None and theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}")
    app = application()
    store = Store.open(db)
    try:
        window = build_window(store, settings_at(settings_path),
                              "dark" if theme == "dark" else "light" if theme else None, speed,
                              strap_file=SettingsFile())
        window.show()
        if fullscreen:
            window.toggle_fullscreen()
        QTimer.singleShot(0, window.check_interrupted)  # once the window is on screen
        return loop.run(app)
    finally:
        store.close()
