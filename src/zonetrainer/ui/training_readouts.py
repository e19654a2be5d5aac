"""The training screen's readouts: the heart rate, the phase and its countdown, the tiles, the
cue line and the strength row, and how each is filled from a state.

Nothing here decides a layout (ui.training_layout places them); every text sits in a label
sized by its layout, never by its text.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QStackedWidget

from zonetrainer.core.model import SessionState
from zonetrainer.ui import text
from zonetrainer.ui.instruction import InstructionLabel
from zonetrainer.ui.readout import FitLabel
from zonetrainer.ui.theme import ThemeName, band_colour
from zonetrainer.ui.training_parts import LEFT, RIGHT, StrengthRow, Tile

PAUSED_SUFFIX: Final = " · paused"
#: Words in place of the number ("signal lost", "last 123 bpm") fill less of the readout than
#: digits do, so they never pass for a reading.
WORDS_FILL: Final = 0.45


class Readouts:
    """Mixed into :class:`~zonetrainer.ui.training.TrainingView`."""

    theme: ThemeName
    details: QStackedWidget  # built by the layout: lap and effort, or the strength row

    def _build_readouts(self) -> None:
        self.hr_label = FitLabel("hrValue", "–", "888", fill=0.92)
        self.hr_unit = FitLabel("hrUnit", "bpm", bold=False, fill=0.7)
        policy = self.hr_unit.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # hidden, it keeps its room: nothing moves
        self.hr_unit.setSizePolicy(policy)
        self.zone_label = FitLabel("zoneLabel", "", fill=0.7)
        # The instructions: read across the room, wrapped or shrunk into their box, never cut
        self.phase_label = InstructionLabel("phaseLabel", "READY", "COOL-DOWN · PAUSED", RIGHT,
                                            0.8, lines=1)
        self.about_label = FitLabel("aboutLabel", "", "about", RIGHT, 0.7, bold=False)
        self.countdown_label = FitLabel("countdownLabel", "–:––", "88:88", RIGHT, 0.9)
        self.next_label = InstructionLabel("nextLabel", "", "", RIGHT, 0.8, bold=False, lines=1)
        self.cue_label = InstructionLabel("cueLabel", "", "", LEFT, 1.0, lines=2)
        self.lap_label = FitLabel("lapLabel", "", "", LEFT, 0.7, bold=False)
        self.effort_label = FitLabel("effortLabel", "", "", RIGHT, 0.75)
        self.count_tile = Tile("countTile", "", "8 of 88")
        self.left_tile = Tile("leftTile", "session", "8:88:88 left")
        self.band_tile = Tile("bandTile", "time in band", "8:88:88 in band · 88 %")
        self.strength = StrengthRow()
        self.exercise_label = self.strength.exercise_label
        self.exercise_cue_label = self.strength.exercise_cue_label
        self.tempo_bar = self.strength.tempo_bar

    def _show_clock(self, state: SessionState, progress: object) -> None:
        countdown = getattr(progress, "countdown_s", state.phase_remaining_s)
        forecast = bool(getattr(progress, "forecast", False))
        if state.phase == "hold":  # the phase clock stands still: count the loss up instead
            self.about_label.setText("lost")
            self.countdown_label.setText(text.clock_text(getattr(progress, "hold_s", 0.0)))
        elif state.safety_rest:  # open-ended: how long the rest has lasted, said so
            self.about_label.setText("resting")
            self.countdown_label.setText(text.clock_text(state.phase_elapsed_s))
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
        self.details.setCurrentIndex(0 if exercise is None else 1)  # or lap and effort
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
