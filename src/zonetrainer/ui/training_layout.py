"""The training screen's frame: where each readout sits, the banner over it, its background.

Rows and columns are sized by stretch factors alone, so no text ever moves anything.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.ui.instruction import InstructionLabel
from zonetrainer.ui.labels import ElidedLabel
from zonetrainer.ui.plots import HeartRatePlots, ZoneBars
from zonetrainer.ui.readout import FitLabel
from zonetrainer.ui.summary import SessionSummaryView
from zonetrainer.ui.theme import SCREEN_BACKGROUNDS, SCREEN_TEXT, ThemeName
from zonetrainer.ui.training_parts import SafetyBanner, StrengthRow, Tile

#: Stretch factors of the screen's rows (of 100): the top row (heart rate; phase and countdown)
#: takes about half, so at 1920x1080 full screen the digits are over 30 % of the height; the
#: cue has a row of its own across the width, two lines of type readable from 3 m there
#: (ui.instruction.PX_PER_M); lap and effort, or a strength set's exercise, share one row.
ROWS: Final = {"top": 52, "tiles": 8, "cue": 18, "details": 6, "plots": 16}
#: The plots keep at least this height (their axes need it); a small window takes it from the
#: top row, whose digits are larger than a small window's other texts anyway.
PLOTS_MIN_PX: Final = 125
#: The right column of the top row: phase, "about", countdown, next phase (of 129).
RIGHT_ROWS: Final = {"phase": 30, "about": 12, "countdown": 65, "next": 22}


class ScreenLayout:
    """Mixed into :class:`~zonetrainer.ui.training.TrainingView`, which builds the widgets."""

    theme: ThemeName
    screen_area: QWidget
    banner: SafetyBanner
    summary: SessionSummaryView
    pages: QStackedWidget
    details: QStackedWidget
    hr_label: FitLabel
    hr_unit: FitLabel
    zone_label: FitLabel
    phase_label: InstructionLabel
    about_label: FitLabel
    countdown_label: FitLabel
    next_label: InstructionLabel
    cue_label: InstructionLabel
    lap_label: FitLabel
    effort_label: FitLabel
    exercise_label: InstructionLabel
    exercise_cue_label: InstructionLabel
    count_tile: Tile
    left_tile: Tile
    band_tile: Tile
    strength: StrengthRow
    plots: HeartRatePlots
    zone_bars: ZoneBars
    band_label: ElidedLabel
    status_label: ElidedLabel
    alpha_label: ElidedLabel
    elapsed_label: QLabel
    device_button: QPushButton
    start_button: QPushButton
    pause_button: QPushButton
    skip_button: QPushButton
    end_button: QPushButton
    _mood: str
    _screen: QVBoxLayout

    def _build_layout(self, view: QWidget) -> None:
        top = QGridLayout()
        left = QVBoxLayout()
        left.addWidget(self.hr_label, 129 - RIGHT_ROWS["next"])
        unit = QHBoxLayout()
        unit.addWidget(self.hr_unit, 1)
        unit.addWidget(self.zone_label, 3)
        left.addLayout(unit, RIGHT_ROWS["next"])
        right = QVBoxLayout()
        # "about" sits over the digits: beside them it would take the countdown's width
        for widget, stretch in ((self.phase_label, RIGHT_ROWS["phase"]),
                                (self.about_label, RIGHT_ROWS["about"]),
                                (self.countdown_label, RIGHT_ROWS["countdown"]),
                                (self.next_label, RIGHT_ROWS["next"])):
            right.addWidget(widget, stretch)
        top.addLayout(left, 0, 0)
        top.addLayout(right, 0, 1)
        top.setColumnStretch(0, 1)
        top.setColumnStretch(1, 1)
        tiles = QHBoxLayout()
        for tile in (self.count_tile, self.left_tile, self.band_tile):
            tiles.addWidget(tile, 2 if tile is self.band_tile else 1)
        lines = QWidget()
        row = QHBoxLayout(lines)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.lap_label, 1)
        row.addWidget(self.effort_label, 1)
        # a stack gives both pages one rectangle: a strength set showing moves nothing
        self.details = QStackedWidget()
        self.details.setObjectName("detailsRow")
        for part in (self.details, lines, self.strength):  # sized by its stretch alone
            part.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            part.setMinimumSize(1, 1)
        self.details.addWidget(lines)
        self.details.addWidget(self.strength)
        plots = QHBoxLayout()
        plots.addWidget(self.plots, 5)
        plots.addWidget(self.zone_bars, 1)
        screen = self._screen = QVBoxLayout(self.screen_area)
        screen.setContentsMargins(8, 4, 8, 4)
        # stretch in tenths of a per cent: _share_rows moves a little room to the plots
        screen.addLayout(top, 10 * ROWS["top"])
        screen.addLayout(tiles, 10 * ROWS["tiles"])
        screen.addWidget(self.cue_label, 10 * ROWS["cue"])
        screen.addWidget(self.details, 10 * ROWS["details"])
        screen.addLayout(plots, 10 * ROWS["plots"])
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
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 4)
        self.summary = SessionSummaryView()
        self.pages = QStackedWidget()  # the live screen, or the summary once a session ended
        self.pages.addWidget(self.screen_area)
        self.pages.addWidget(self.summary)
        layout.addWidget(self.pages, 1)
        layout.addLayout(info)
        layout.addLayout(buttons)

    def _share_rows(self, height_px: int) -> None:
        """The rows' stretch for this height: the plots at least PLOTS_MIN_PX (by resize only,
        never by a text)."""
        plots = max(ROWS["plots"] * 10, int(1000 * PLOTS_MIN_PX / max(1, height_px)))
        top = ROWS["top"] * 10 - (plots - ROWS["plots"] * 10)
        for index, stretch in ((0, top), (4, plots)):
            if self._screen.stretch(index) != stretch:
                self._screen.setStretch(index, stretch)

    def _place_banner(self, view: QWidget) -> None:
        """Over the rows below the heart rate, across the whole width."""
        area = self.screen_area.geometry()
        top = self.count_tile.mapTo(view, self.count_tile.rect().topLeft()).y()
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
