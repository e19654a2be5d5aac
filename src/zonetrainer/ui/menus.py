"""The main window's menus: strap and quit, themes, cues (each cue switchable, and marked
unavailable with the reason when this machine cannot play it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from zonetrainer.ui.theme import THEMES


def build_menus(window: Any) -> dict[str, QAction]:
    """Menus on ``window`` (a MainWindow); returns the cue actions by CueSettings field."""
    bar = window.menuBar()
    session = bar.addMenu("&Session")
    strap = QAction("Choose &strap…", window)
    strap.triggered.connect(window.choose_strap)
    session.addAction(strap)
    machine = QAction("Choose &machine…", window)
    machine.triggered.connect(window.choose_machine)
    session.addAction(machine)
    quit_action = QAction("&Quit", window)
    quit_action.setShortcut("Ctrl+Q")
    quit_action.triggered.connect(window.close)
    session.addAction(quit_action)
    view = bar.addMenu("&View")
    full = QAction("&Full screen (training mode)", window)
    full.setShortcut("F11")
    # In full screen the menu bar is hidden: the action must live on the window to keep F11.
    full.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    full.triggered.connect(window.toggle_fullscreen)
    view.addAction(full)
    window.addAction(full)
    for name in THEMES:
        action = QAction(f"{name.capitalize()} theme", window)
        action.triggered.connect(lambda _=False, n=name: window.set_theme(n))
        view.addAction(action)
    cues = bar.addMenu("&Cues")
    actions: dict[str, QAction] = {}
    for key, title in (("sounds", "Sounds"), ("voice", "Voice"), ("tempo_click", "Tempo click")):
        action = QAction(title, window)
        action.setCheckable(True)
        action.setChecked(getattr(window.cues.settings, key))
        action.toggled.connect(lambda on, k=key: window.set_cue(k, on))
        cues.addAction(action)
        actions[key] = action
    # Say in the menu why a cue cannot sound here (no sound system, no speech engine).
    output = window.cues.output
    notes = " ".join(getattr(output, "notes", []))
    if getattr(output, "can_play", True) is False:
        for key in ("sounds", "tempo_click"):
            actions[key].setText(actions[key].text() + " (unavailable)")
            actions[key].setToolTip(notes)
    if getattr(output, "can_speak", True) is False:
        actions["voice"].setText("Voice (unavailable)")
        actions["voice"].setToolTip(notes)
    cues.setToolTipsVisible(True)
    return actions
