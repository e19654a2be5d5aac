"""The training view: what the athlete reads from two metres away, and the session controls.

It only displays what the presenter hands it and emits intents; ending a session mid-way asks
for confirmation first. Its keys work whenever it is showing, wherever the focus is. Nothing it
shows looks live when it is not: before the first reading it waits, during a loss it shows no
value, after the session it shows the last values as such and the strap as stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core.model import Band, SessionState, SourceStatus, ZoneTable
from zonetrainer.ui import text
from zonetrainer.ui.labels import ElidedLabel
from zonetrainer.ui.plots import HeartRatePlots, ZoneBars
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.theme import ThemeName, zone_colour

Confirm = Callable[[QWidget, str, str], bool]
PAUSED_SUFFIX = " · paused"
#: Words in place of the number ("signal lost", "last 123 bpm") are smaller than the number's
#: 150 px (the stylesheets), so they neither widen the window nor pass for a reading.
WORDS_PX: Final = 64


def ask(parent: QWidget, title: str, question: str) -> bool:
    """A yes/no question; the default answer is No so a stray Enter ends nothing."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def _label(name: str, value: str = "", align: Qt.AlignmentFlag | None = None) -> QLabel:
    label = QLabel(value)
    label.setObjectName(name)
    if align is not None:
        label.setAlignment(align)
    return label


class TrainingView(QWidget):
    start_requested = Signal()
    pause_toggled = Signal()
    skip_requested = Signal()
    end_requested = Signal()
    device_requested = Signal()

    def __init__(self, presenter: SessionPresenter, theme: ThemeName = "light",
                 confirm: Confirm = ask) -> None:
        super().__init__()
        self.presenter, self.theme, self.confirm = presenter, theme, confirm
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.hr_label = _label("hrValue", "–", Qt.AlignmentFlag.AlignCenter)
        self._hr_style = ""
        self.hr_unit = _label("hrUnit", "bpm", Qt.AlignmentFlag.AlignCenter)
        self.zone_label = _label("zoneLabel", "", Qt.AlignmentFlag.AlignCenter)
        self.band_label = _label("bandLabel")
        self.band_label.setWordWrap(True)
        self.phase_label = _label("phaseLabel", "READY", right)
        self.countdown_label = _label("countdownLabel", "–:––", right)
        self.next_label = _label("nextLabel", "", right)
        self.cue_label = _label("cueLabel", "", right)
        self.cue_label.setWordWrap(True)  # a long plan cue must not widen the window
        self.exercise_label = _label("exerciseLabel")
        self.exercise_cue_label = _label("exerciseCueLabel")
        self.exercise_cue_label.setWordWrap(True)
        self.tempo_bar = QProgressBar()
        self.tempo_bar.setObjectName("tempoBar")
        self.tempo_bar.setRange(0, 100)
        self.tempo_bar.setTextVisible(True)
        # Long strap and DFA lines are cut, never widen the window past a 1024 px screen.
        self.status_label = ElidedLabel(text.status_text(None))
        self.status_label.setObjectName("statusLabel")
        self.alpha_label = ElidedLabel()
        self.alpha_label.setObjectName("alphaLabel")
        self._strap_name = ""
        self._status_shown: SourceStatus | None = None
        # Of this view's session: a live reading seen (else "waiting", not "lost"); over (the
        # values shown are the last ones). A view rebuilt mid-session (theme) takes them over.
        self._seen_live = presenter.running and bool(np.isfinite(presenter.hr.last()[1]).any())
        self._over = presenter.state is not None and not presenter.running
        self._started = False  # a session ran while this view showed
        self.elapsed_label = _label("elapsedLabel", "", right)
        self.plots = HeartRatePlots(presenter.hr, presenter.spans, theme)
        self.zone_bars = ZoneBars(theme)

        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("startButton")
        self.pause_button = QPushButton("Pause")
        # Skips one interval: a work bout, a set or a rest; a warm-up or cool-down is one
        # interval of its own (SessionEngine.end_interval).
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
        self.skip_button.clicked.connect(self.skip_requested)
        self.end_button.clicked.connect(self.request_end)
        self.device_button.clicked.connect(self.device_requested)
        for keys, slot in (("Space", self.pause_toggled.emit), ("Ctrl+Return", self._start_key),
                           ("Ctrl+N", self.skip_requested.emit), ("Ctrl+E", self.request_end)):
            shortcut = QShortcut(QKeySequence(keys), self)
            # Anywhere in the window, wherever the focus is (it sits on the tab bar at start-up
            # and after a tab is clicked), but only while this view shows: a shortcut of a
            # hidden widget is off, so Space on another tab types a space or ticks a box.
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

        top = QGridLayout()
        top.addWidget(self.hr_label, 0, 0, 2, 1)
        top.addWidget(self.hr_unit, 2, 0)
        top.addWidget(self.zone_label, 3, 0)
        top.addWidget(self.phase_label, 0, 1)
        top.addWidget(self.countdown_label, 1, 1)
        top.addWidget(self.next_label, 2, 1)
        top.addWidget(self.cue_label, 3, 1)
        top.setColumnStretch(0, 3)
        top.setColumnStretch(1, 2)
        strength = QHBoxLayout()
        strength.addWidget(self.exercise_label)
        strength.addWidget(self.exercise_cue_label, 1)
        strength.addWidget(self.tempo_bar)
        plots = QHBoxLayout()
        plots.addWidget(self.plots, 5)
        plots.addWidget(self.zone_bars, 1)
        info = QHBoxLayout()
        info.setSpacing(24)
        info.addWidget(self.status_label, 2)
        info.addWidget(self.alpha_label, 1)
        info.addWidget(self.elapsed_label, 1)
        buttons = QHBoxLayout()
        for button in (self.device_button, self.start_button, self.pause_button,
                       self.skip_button, self.end_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.band_label)
        layout.addLayout(strength)
        layout.addLayout(plots, 1)
        layout.addLayout(info)
        layout.addLayout(buttons)

        presenter.state_changed.connect(self.show_state)
        presenter.status_changed.connect(self.show_status)
        presenter.running_changed.connect(self.show_running)
        self.show_running(presenter.running)
        self._show_strength(None, 0.0)

    # display --------------------------------------------------------------------------------
    def prepare(self, band: Band, zones: ZoneTable | None) -> None:
        """A new session is about to start: clear the old one, shade the new band."""
        self.band_label.setText(text.band_text(band))
        self.plots.set_band(band, zones)
        self.plots.clear()

    def show_state(self, state: SessionState) -> None:
        ended = state.done or self._over
        live = state.signal_live and state.hr_bpm is not None and not ended
        self._seen_live = self._seen_live or live
        self._show_hr(text.hr_text(state, self._seen_live, ended),
                      state.zone if live else None, live)
        self.zone_label.setText(text.zone_text(state, ended))
        self.phase_label.setText(text.phase_label_text(state))
        self.countdown_label.setText(text.clock_text(state.phase_remaining_s)
                                     if state.phase_remaining_s is not None
                                     else text.clock_text(state.phase_elapsed_s))
        self.next_label.setText(text.next_text(state))
        self.cue_label.setText(text.cue_text(state))
        self.band_label.setText(text.band_text(state.band))
        self.alpha_label.setText(text.alpha_text(state, ended))
        self.elapsed_label.setText(f"{text.clock_text(state.elapsed_s)} / "
                                   f"{text.clock_text(state.session_duration_s)}")
        self.pause_button.setText("Resume" if state.paused else "Pause")
        self._show_strength(state, self.presenter.tempo_elapsed_s)
        self.zone_bars.show_state(state)
        self.plots.data_arrived()
        status = self.presenter.status
        if self.presenter.running and status is not None and status is not self._status_shown:
            # The presenter tells only a change: a strap as it was last session is not told.
            self.show_status(status)

    def _show_hr(self, value: str, zone: int | None, number: bool) -> None:
        """The big readout: a live number in its zone colour, else grey words, smaller."""
        self.hr_label.setText(value)
        self.hr_unit.setVisible(number)
        style = f"color: {zone_colour(self.theme, zone)};"
        if not number:
            style += f" font-size: {WORDS_PX}px;"
        if style != self._hr_style:  # a style sheet re-polishes the widget: only on change
            self._hr_style = style
            self.hr_label.setStyleSheet(style)

    def _show_strength(self, state: SessionState | None, elapsed_s: float) -> None:
        exercise = state.exercise if state is not None and state.phase == "work" else None
        for widget in (self.exercise_label, self.exercise_cue_label, self.tempo_bar):
            widget.setVisible(exercise is not None)
        if exercise is None:
            return
        self.exercise_label.setText(exercise.name)
        self.exercise_cue_label.setText(exercise.cue)
        if exercise.tempo is None:
            self.tempo_bar.setVisible(False)
            return
        if state is not None and state.paused:
            # Frozen where the pause caught it: a moving bar would ask for repetitions.
            if not self.tempo_bar.format().endswith(PAUSED_SUFFIX):
                self.tempo_bar.setFormat(self.tempo_bar.format() + PAUSED_SUFFIX)
            return
        part, progress = text.tempo_position(exercise.tempo, elapsed_s)
        self.tempo_bar.setValue(int(100 * progress))
        self.tempo_bar.setFormat(part)

    def show_status(self, status: SourceStatus) -> None:
        self._status_shown = status
        self.status_label.setText(text.strap_stopped_text(status, self._strap_name)
                                  if self._over else text.status_text(status))

    def show_chosen_strap(self, name: str) -> None:
        """The strap the next session uses; the strap line names it between sessions."""
        self._strap_name = name
        if not self.presenter.running:
            self.status_label.setText(text.strap_choice_text(name))

    def show_running(self, running: bool) -> None:
        if running:  # a new session: the presenter's buffers were just emptied
            self.plots.redraw(overview=True)
            self._seen_live = self._over = False
            self._status_shown = None
            self._show_hr(text.WAITING, None, False)
            for label in (self.zone_label, self.alpha_label):
                label.setText("")
            self.status_label.setText(text.strap_connecting_text(self._strap_name))
        elif self._started or self.presenter.state is not None:
            # Over (finished, failed or cancelled): what is on screen are the last values.
            self._over = True
            if self.presenter.state is not None:
                self.show_state(self.presenter.state)
            else:
                self._show_hr(text.NO_HR, None, False)
            self.status_label.setText(text.strap_stopped_text(
                self._status_shown or self.presenter.status, self._strap_name))
        self._started = self._started or running
        self.start_button.setEnabled(not running)
        self.device_button.setEnabled(not running)
        for button in (self.pause_button, self.skip_button, self.end_button):
            button.setEnabled(running)

    # intents ----------------------------------------------------------------------------------
    def _start_key(self) -> None:
        if self.start_button.isEnabled():
            self.start_requested.emit()

    def request_end(self) -> None:
        if self.presenter.running and self.confirm(
                self, "End the session?", "End this session now? What was recorded is kept."):
            self.end_requested.emit()
