"""The training view's controls: its buttons, its keys, and the intents they emit.

Ending a session mid-way, or skipping a ramp's step (which ends the whole test), is asked
first, No by default. The keys work whenever the view is showing, wherever the focus is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from zonetrainer.ui import text
from zonetrainer.ui.presenter import SessionPresenter

Confirm = Callable[[QWidget, str, str], bool]


def ask(parent: QWidget, title: str, question: str) -> bool:
    """A yes/no question; the default answer is No so a stray Enter ends nothing."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class Controls:
    """Mixed into :class:`~zonetrainer.ui.training.TrainingView`, which owns the signals."""

    presenter: SessionPresenter
    confirm: Confirm
    start_requested: SignalInstance
    pause_toggled: SignalInstance
    skip_requested: SignalInstance
    end_requested: SignalInstance
    device_requested: SignalInstance
    effort_nudged: SignalInstance

    def _build_buttons(self) -> None:
        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("startButton")
        self.pause_button = QPushButton("Pause")
        # Skips one interval: a work bout, a set, a rest or a ramp step; a warm-up or
        # cool-down is one interval of its own (SessionEngine.end_interval).
        self.skip_button = QPushButton("Skip interval")
        self.end_button = QPushButton("End")
        self.end_button.setObjectName("endButton")
        self.device_button = QPushButton("Strap…")
        for button, tip in ((self.start_button, "Start the session (Ctrl+Return)"),
                            (self.pause_button, "Pause or resume (Space)"),
                            (self.skip_button, "End this interval now, go on to the next (Ctrl+N)"),
                            (self.end_button, "End the session (Ctrl+E)"),
                            (self.device_button, "Choose the heart-rate strap")):
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must pause, not click a button
        self.start_button.clicked.connect(self.start_requested)
        self.pause_button.clicked.connect(self.pause_toggled)
        self.skip_button.clicked.connect(self.request_skip)
        self.end_button.clicked.connect(self.request_end)
        self.device_button.clicked.connect(self.device_requested)
        for keys, slot in (("Space", self._pause_key), ("Ctrl+Return", self._start_key),
                           ("Ctrl+N", self.request_skip), ("Ctrl+E", self.request_end),
                           (Qt.Key.Key_Plus, lambda: self.effort_nudged.emit(1)),
                           (Qt.Key.Key_Equal, lambda: self.effort_nudged.emit(1)),
                           (Qt.Key.Key_Minus, lambda: self.effort_nudged.emit(-1))):
            # "+" as a string is the separator of a key sequence: the keys go as key codes
            shortcut = QShortcut(QKeySequence(keys), self._widget())
            # Anywhere in the window, wherever the focus is (it sits on the tab bar at start-up
            # and after a tab is clicked), but only while this view shows: a shortcut of a
            # hidden widget is off, so Space on another tab types a space or ticks a box.
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    def _widget(self) -> QWidget:
        """The view itself (a QWidget)."""
        assert isinstance(self, QWidget)
        return self

    # intents ----------------------------------------------------------------------------------
    def _start_key(self) -> None:
        if self.start_button.isEnabled():
            self.start_requested.emit()

    def _pause_key(self) -> None:
        if self.pause_button.isEnabled():
            self.pause_toggled.emit()

    def request_skip(self) -> None:
        """Skip one interval. Before the first reading: nothing. A skip that ends a ramp test
        early (its last step) is asked first, No by default (text.skip_question)."""
        if not self.skip_button.isEnabled():
            return
        question = text.skip_question(self.presenter.state)
        if question is not None and not self.confirm(self._widget(), *question):
            return
        self.skip_requested.emit()

    def request_end(self) -> None:
        if self.presenter.running and self.confirm(
                self._widget(), *text.end_question(self.presenter.state)):
            self.end_requested.emit()
