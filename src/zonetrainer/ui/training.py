"""The training view: what the athlete reads from two metres away, and the session controls.

It only displays what the presenter hands it and emits intents; ending a session mid-way asks
for confirmation first. Its keys work whenever it is showing, wherever the focus is. Nothing it
shows looks live when it is not: before the first reading it waits, during a loss it shows no
value, after the session it shows the last values as such and the strap as stopped.

Its parts, one idea each: ui.training_readouts (the readouts and how a state fills them),
ui.training_layout (where they sit, the banner, the background), ui.training_controls (the
buttons, the keys and their intents), ui.training_parts (tiles, banner, strength row).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from zonetrainer.core.model import Band, SessionRecord, SessionState, SourceStatus, ZoneTable
from zonetrainer.ui import text
from zonetrainer.ui.labels import ElidedLabel, QuietLabel
from zonetrainer.ui.plots import HeartRatePlots, ZoneBars
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.theme import ThemeName, band_colour
from zonetrainer.ui.training_controls import Confirm, Controls, ask
from zonetrainer.ui.training_layout import ROWS, ScreenLayout
from zonetrainer.ui.training_parts import RIGHT, SafetyBanner
from zonetrainer.ui.training_readouts import PAUSED_SUFFIX, WORDS_FILL, Readouts

__all__ = ["PAUSED_SUFFIX", "ROWS", "WORDS_FILL", "Confirm", "TrainingView", "ask"]


class TrainingView(Controls, Readouts, ScreenLayout, QWidget):
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
        self._build_readouts()
        self.band_label = ElidedLabel()
        self.band_label.setObjectName("bandLabel")
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
        self._build_layout(self)
        presenter.state_changed.connect(self.show_state)
        presenter.status_changed.connect(self.show_status)
        presenter.running_changed.connect(self.show_running)
        self._set_mood("idle")
        self.show_running(presenter.running)
        self._show_strength(None, 0.0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._share_rows(self.screen_area.height())
        self._place_banner(self)
        self.strength.scale(self.details.height())  # its row, shown or not yet

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
        cue = self._cue(state, progress)
        exercise = state.exercise
        # a strength set's own cue in the large cue row when the loop has none to give
        own = exercise is not None and not cue and bool(exercise.cue)
        self.cue_label.setText(exercise.cue if own and exercise is not None else cue)
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
        if own:
            self.exercise_cue_label.setText("")  # said once, in the cue row
        banner = state.safety_rest and not ended
        if banner and self.banner.isHidden():
            self._place_banner(self)
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
