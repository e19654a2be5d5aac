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
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core.model import Band, SessionRecord, SessionState, SourceStatus, ZoneTable
from zonetrainer.ui import text
from zonetrainer.ui.labels import ElidedLabel, QuietLabel
from zonetrainer.ui.plots import HeartRatePlots, ZoneBars
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.readout import FitLabel
from zonetrainer.ui.summary import SessionSummaryView
from zonetrainer.ui.theme import SCREEN_BACKGROUNDS, SCREEN_TEXT, ThemeName, band_colour
from zonetrainer.ui.training_parts import LEFT, RIGHT, SafetyBanner, StrengthRow, Tile

Confirm = Callable[[QWidget, str, str], bool]
PAUSED_SUFFIX = " · paused"
#: Words in place of the number ("signal lost", "last 123 bpm") fill less of the readout than
#: digits do, so they never pass for a reading.
WORDS_FILL: Final = 0.45
#: Stretch factors of the screen's rows: the top row (heart rate; phase and countdown) takes
#: more than half, so at 1920x1080 full screen the digits are over 30 % of the height.
ROWS: Final = {"top": 54, "tiles": 9, "lines": 5, "strength": 5, "plots": 20}


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
    effort_nudged = Signal(int)  # +1 harder, -1 easier

    def __init__(self, presenter: SessionPresenter, theme: ThemeName = "light",
                 confirm: Confirm = ask) -> None:
        super().__init__()
        self.presenter, self.theme, self.confirm = presenter, theme, confirm
        self.screen_area = QWidget()  # its background follows the instruction
        self.screen_area.setObjectName("trainScreen")
        self.screen_area.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._mood = ""
        self.hr_label = FitLabel("hrValue", "–", "888", fill=0.92)
        self.hr_unit = FitLabel("hrUnit", "bpm", bold=False, fill=0.7)
        policy = self.hr_unit.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # hidden, it keeps its room: nothing moves
        self.hr_unit.setSizePolicy(policy)
        self.zone_label = FitLabel("zoneLabel", "", fill=0.7)
        self.band_label = ElidedLabel()
        self.band_label.setObjectName("bandLabel")
        self.phase_label = FitLabel("phaseLabel", "READY", "COOL-DOWN · PAUSED", RIGHT, 0.8)
        self.about_label = FitLabel("aboutLabel", "", "about", RIGHT, 0.7, bold=False)
        self.countdown_label = FitLabel("countdownLabel", "–:––", "88:88", RIGHT, 0.9)
        self.next_label = FitLabel("nextLabel", "", "", RIGHT, 0.7, bold=False)
        self.cue_label = FitLabel("cueLabel", "", "", LEFT, 0.75)
        self.lap_label = FitLabel("lapLabel", "", "", LEFT, 0.7, bold=False)
        self.effort_label = FitLabel("effortLabel", "", "", RIGHT, 0.75)
        self.count_tile = Tile("countTile", "", "8 of 88")
        self.left_tile = Tile("leftTile", "session", "8:88:88 left")
        self.band_tile = Tile("bandTile", "time in band", "8:88:88 in band · 88 %")
        self.strength = StrengthRow()
        self.exercise_label = self.strength.exercise_label
        self.exercise_cue_label = self.strength.exercise_cue_label
        self.tempo_bar = self.strength.tempo_bar
        self.banner = SafetyBanner(self)
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
        self.elapsed_label = QuietLabel("")  # a new second repaints it alone
        self.elapsed_label.setObjectName("elapsedLabel")
        self.elapsed_label.setAlignment(RIGHT)
        self.plots = HeartRatePlots(presenter.hr, presenter.spans, theme)
        self.zone_bars = ZoneBars(theme)
        self._build_buttons()
        self._build_layout()
        presenter.state_changed.connect(self.show_state)
        presenter.status_changed.connect(self.show_status)
        presenter.running_changed.connect(self.show_running)
        self._set_mood("idle")
        self.show_running(presenter.running)
        self._show_strength(None, 0.0)

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
            shortcut = QShortcut(QKeySequence(keys), self)
            # Anywhere in the window, wherever the focus is (it sits on the tab bar at start-up
            # and after a tab is clicked), but only while this view shows: a shortcut of a
            # hidden widget is off, so Space on another tab types a space or ticks a box.
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    def _build_layout(self) -> None:
        top = QGridLayout()
        left = QVBoxLayout()
        left.addWidget(self.hr_label, 115)
        unit = QHBoxLayout()
        unit.addWidget(self.hr_unit, 1)
        unit.addWidget(self.zone_label, 3)
        left.addLayout(unit, 14)
        right = QVBoxLayout()
        # "about" sits over the digits: beside them it would take the countdown's width
        for widget, stretch in ((self.phase_label, 30), (self.about_label, 12),
                                (self.countdown_label, 73), (self.next_label, 14)):
            right.addWidget(widget, stretch)
        top.addLayout(left, 0, 0)
        top.addLayout(right, 0, 1)
        top.setColumnStretch(0, 1)
        top.setColumnStretch(1, 1)
        tiles = QHBoxLayout()
        for tile in (self.count_tile, self.left_tile, self.band_tile):
            tiles.addWidget(tile, 2 if tile is self.band_tile else 1)
        lines = QHBoxLayout()
        lines.addWidget(self.cue_label, 3)
        lines.addWidget(self.lap_label, 2)
        lines.addWidget(self.effort_label, 2)
        plots = QHBoxLayout()
        plots.addWidget(self.plots, 5)
        plots.addWidget(self.zone_bars, 1)
        screen = QVBoxLayout(self.screen_area)
        screen.setContentsMargins(8, 4, 8, 4)
        for part, stretch in ((top, ROWS["top"]), (tiles, ROWS["tiles"]),
                              (lines, ROWS["lines"])):
            screen.addLayout(part, stretch)
        screen.addWidget(self.strength, ROWS["strength"])
        screen.addLayout(plots, ROWS["plots"])
        info = QHBoxLayout()
        info.setSpacing(24)
        info.addWidget(self.band_label, 2)
        info.addWidget(self.status_label, 2)
        info.addWidget(self.alpha_label, 1)
        info.addWidget(self.elapsed_label, 1)
        buttons = QHBoxLayout()
        for button in (self.device_button, self.start_button, self.pause_button,
                       self.skip_button, self.end_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        self.summary = SessionSummaryView()
        self.pages = QStackedWidget()  # the live screen, or the summary once a session ended
        self.pages.addWidget(self.screen_area)
        self.pages.addWidget(self.summary)
        layout.addWidget(self.pages, 1)
        layout.addLayout(info)
        layout.addLayout(buttons)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_banner()
        self.strength.scale(self.strength.height())

    def _place_banner(self) -> None:
        """Over the rows below the heart rate, across the whole width."""
        area = self.screen_area.geometry()
        top = self.count_tile.mapTo(self, self.count_tile.rect().topLeft()).y()
        self.banner.setGeometry(area.left(), top, area.width(), max(1, area.bottom() - top))
        self.banner.raise_()

    def _set_mood(self, mood: str) -> None:
        """Background and text colours of the instruction: idle, work, rest, hold, safety."""
        if mood == self._mood:
            return
        self._mood = mood
        background = SCREEN_BACKGROUNDS[self.theme][mood]
        colours = SCREEN_TEXT[self.theme]
        self.screen_area.setStyleSheet(f"QWidget#trainScreen {{ background: {background}; }}")
        for label in (self.phase_label, self.countdown_label, self.cue_label,
                      self.effort_label, self.exercise_label):
            label.set_colour(colours["text"])
        for label in (self.about_label, self.next_label, self.lap_label, self.hr_unit,
                      self.exercise_cue_label):
            label.set_colour(colours["muted"])
        for tile in (self.count_tile, self.left_tile, self.band_tile):
            tile.set_colour(colours["text"], colours["muted"])

    # display --------------------------------------------------------------------------------
    def prepare(self, band: Band, zones: ZoneTable | None) -> None:
        """A new session is about to start: clear the old one, shade the new band."""
        self._show_band(band)
        self.plots.set_band(band, zones)
        self.plots.clear()

    def _show_band(self, band: Band) -> None:
        # The numbers on screen; where they come from in the tooltip (and the Profile tab).
        # Only on a change: an ElidedLabel's setText asks for a new layout of the window.
        shown = text.band_text(band).split(" · ")[0]
        if shown != self.band_label.text():
            self.band_label.setText(shown)
            self.band_label.setToolTip(band.source)

    def show_state(self, state: SessionState) -> None:
        ended = state.done or self._over
        live = state.signal_live and state.hr_bpm is not None and not ended
        self._seen_live = self._seen_live or live
        if self.presenter.running and live:
            self.pause_button.setEnabled(True)
            self.skip_button.setEnabled(True)
        position = text.band_position(state) if live else None
        self._show_hr(text.hr_text(state, self._seen_live, ended), position, live)
        strength_set = state.exercise is not None and state.phase == "work"
        # During a strength set the band says little: the exercise's row says what to do.
        self.zone_label.setText("" if strength_set else text.band_zone_text(state, ended))
        self.zone_label.set_colour(band_colour(self.theme, position))
        self.phase_label.setText(text.phase_label_text(state))
        progress = self.presenter.progress
        self._show_clock(state, progress)
        self._show_tiles(state, progress)
        self.cue_label.setText(self._cue(state, progress))
        self.effort_label.setText(text.effort_text(state))
        lap = progress.lap if progress is not None else None
        self.lap_label.setText("" if lap is None else text.lap_text(
            lap.number, lap.length_s, lap.mean_hr_bpm, lap.in_band_share))
        self._show_band(state.band)
        self.alpha_label.setText(text.alpha_text(state, ended))
        self.elapsed_label.setText(f"{text.clock_text(state.elapsed_s)} / "
                                   f"{text.clock_text(state.session_duration_s)}")
        self.pause_button.setText("Resume" if state.paused else "Pause")
        self._show_strength(state, self.presenter.tempo_elapsed_s)
        banner = state.safety_rest and not ended
        if banner and self.banner.isHidden():
            self._place_banner()
        self.banner.setVisible(banner)
        mood = ("safety" if state.safety_rest and not ended else
                state.phase if state.phase in ("work", "rest", "hold") and not ended else "idle")
        self._set_mood(mood)
        self.zone_bars.show_state(state)
        self.plots.data_arrived()
        status = self.presenter.status
        if self.presenter.running and status is not None and status is not self._status_shown:
            # The presenter tells only a change: a strap as it was last session is not told.
            self.show_status(status)

    def _show_clock(self, state: SessionState, progress: object) -> None:
        countdown = getattr(progress, "countdown_s", state.phase_remaining_s)
        forecast = bool(getattr(progress, "forecast", False))
        if state.phase == "hold":  # the phase clock stands still: count the loss up instead
            self.about_label.setText("lost")
            self.countdown_label.setText(text.clock_text(getattr(progress, "hold_s", 0.0)))
        elif countdown is not None:
            self.about_label.setText("about" if forecast else "")
            self.countdown_label.setText(text.clock_text(countdown))
        else:
            self.about_label.setText("")
            self.countdown_label.setText(text.clock_text(state.phase_elapsed_s))
        length = getattr(progress, "next_length_s", None)
        self.next_label.setText("paused" if state.paused else
                                text.next_length_text(state, length, forecast))

    def countdown_text(self) -> str:
        """What the countdown reads, "about" included (for the tests and the screen reader)."""
        about = self.about_label.text()
        return f"{about} {self.countdown_label.text()}" if about else self.countdown_label.text()

    def _show_tiles(self, state: SessionState, progress: object) -> None:
        word = getattr(progress, "count_word", "")
        count, total = getattr(progress, "count", 0), getattr(progress, "total", None)
        shown = text.count_text(word, count, total)
        self.count_tile.show(shown.split(" ", 1)[1] if shown else "–", word or "interval")
        self.left_tile.show(text.time_left_text(state))
        self.band_tile.show(text.in_band_tile_text(state))

    @staticmethod
    def _cue(state: SessionState, progress: object) -> str:
        if state.phase == "hold":
            return text.hold_text(getattr(progress, "interrupted", None),
                                  getattr(progress, "hold_s", 0.0))
        return text.cue_text(state)

    def _show_hr(self, value: str, position: str | None, number: bool) -> None:
        """The big readout: a live number coloured by the band, else grey words, smaller."""
        template, fill = ("888", 0.92) if number else ("", WORDS_FILL)
        if (template, fill) != (self.hr_label.template, self.hr_label.fill):
            self.hr_label.template, self.hr_label.fill = template, fill
            self.hr_label.setText(value)
            self.hr_label.resizeEvent(QResizeEvent(self.hr_label.size(), self.hr_label.size()))
        else:
            self.hr_label.setText(value)
        self.hr_unit.setVisible(number)
        self.hr_label.set_colour(band_colour(self.theme, position))

    def _show_strength(self, state: SessionState | None, elapsed_s: float) -> None:
        exercise = state.exercise if state is not None else None
        in_set = exercise is not None and state is not None and state.phase == "work"
        for widget in (self.exercise_label, self.exercise_cue_label, self.tempo_bar):
            widget.setVisible(exercise is not None)
        if exercise is None or state is None:
            return
        # During the rest the engine names the next exercise: say it is the next one.
        self.exercise_label.setText(exercise.name if in_set else f"next: {exercise.name}")
        self.exercise_cue_label.setText(exercise.cue)
        if exercise.tempo is None or not in_set:
            self.tempo_bar.setVisible(False)
            return
        if state.paused:
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

    def show_summary(self, record: SessionRecord, previous: SessionRecord | None) -> None:
        """The session just stored, in place of the live screen until the next Start."""
        self.summary.show_record(record, previous)
        self.pages.setCurrentWidget(self.summary)

    def show_running(self, running: bool) -> None:
        if running:  # a new session: the presenter's buffers were just emptied
            self.pages.setCurrentWidget(self.screen_area)
            self.plots.redraw(overview=True)
            self._seen_live = self._over = False
            self._status_shown = None
            self._show_hr(text.WAITING, None, False)
            for label in (self.zone_label, self.lap_label, self.effort_label):
                label.setText("")
            self.alpha_label.setText("")
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
        self.end_button.setEnabled(running)
        # Before the first reading there is nothing to pause or skip.
        for button in (self.pause_button, self.skip_button):
            button.setEnabled(running and self._seen_live)

    # intents ----------------------------------------------------------------------------------
    def _start_key(self) -> None:
        if self.start_button.isEnabled():
            self.start_requested.emit()

    def _pause_key(self) -> None:
        if self.pause_button.isEnabled():
            self.pause_toggled.emit()

    def request_skip(self) -> None:
        """Skip one interval. Before the first reading: nothing. In a ramp the engine ends the
        whole block (it cannot skip one step yet), so that is asked first, No by default."""
        if not self.skip_button.isEnabled():
            return
        state = self.presenter.state
        if state is not None and state.block_kind == "ramp" and not self.confirm(
                self, "End the ramp test?", "Skipping ends the whole ramp test here, and its "
                "threshold comes from the steps run so far. End the ramp now?"):
            return
        self.skip_requested.emit()

    def request_end(self) -> None:
        if self.presenter.running and self.confirm(
                self, "End the session?", "End this session now? What was recorded is kept."):
            self.end_requested.emit()
