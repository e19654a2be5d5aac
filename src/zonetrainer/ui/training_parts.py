"""The pieces of the training screen: tiles of progress, the safety banner, the strength row.

Each piece is sized by its layout's stretch factors, never by its text (ui.readout.FitLabel).
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.ui.instruction import InstructionLabel
from zonetrainer.ui.readout import FitLabel
from zonetrainer.ui.theme import BANNER

LEFT: Final = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT: Final = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SAFETY_TITLE: Final = "REST NOW"
TEMPO_CHUNK: Final = "rgba(128, 128, 128, 90)"
TEMPO_EDGE: Final = "rgba(128, 128, 128, 160)"
SAFETY_WHY: Final = "SAFETY · heart rate over your ceiling: walk or stop until it falls"


class Tile(QFrame):
    """A figure in large type over its caption: "3 of 5" over "interval"."""

    def __init__(self, name: str, caption: str, template: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.value = FitLabel(f"{name}Value", "", template, fill=0.75)
        self.caption = FitLabel(f"{name}Caption", caption, bold=False, fill=0.7)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(0)
        layout.addWidget(self.value, 3)
        layout.addWidget(self.caption, 2)

    def show(self, value: str, caption: str | None = None) -> None:  # type: ignore[override]
        self.value.setText(value)
        if caption is not None:
            self.caption.setText(caption)

    def set_colour(self, text: str, muted: str) -> None:
        self.value.set_colour(text)
        self.caption.set_colour(muted)


class SafetyBanner(QFrame):
    """Red across the screen, over the lower part; the instruction in the screen's largest
    type after the heart rate itself. It lies over the layout, so showing it moves nothing."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("safetyBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QFrame#safetyBanner {{ background: {BANNER['background']}; }}")
        self.title = FitLabel("safetyTitle", SAFETY_TITLE, fill=0.85)
        self.why = InstructionLabel("safetyWhy", SAFETY_WHY, bold=False, fill=0.95, lines=2)
        for label in (self.title, self.why):
            label.set_colour(BANNER["text"])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title, 3)
        layout.addWidget(self.why, 2)
        self.hide()


class StrengthRow(QWidget):
    """The exercise, its cue and a tempo bar with its part (lower, pause, lift) in large type."""

    def __init__(self) -> None:
        super().__init__()
        # one line each in a short row: shrunk to fit when long, never cut
        self.exercise_label = InstructionLabel("exerciseLabel", "", align=LEFT, fill=0.8,
                                               lines=1)
        self.exercise_cue_label = InstructionLabel("exerciseCueLabel", "", align=LEFT,
                                                   bold=False, fill=0.7, lines=1)
        self.tempo_bar = QProgressBar()
        self.tempo_bar.setObjectName("tempoBar")
        self.tempo_bar.setRange(0, 100)
        self.tempo_bar.setTextVisible(True)
        self.tempo_bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.exercise_label, 3)
        layout.addWidget(self.exercise_cue_label, 3)
        layout.addWidget(self.tempo_bar, 2)
        for widget in (self.exercise_label, self.exercise_cue_label, self.tempo_bar):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # hidden or shown, the row keeps its room
            # the widths by stretch alone: the tempo bar's large type must not take them
            policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
            widget.setSizePolicy(policy)

    def scale(self, height_px: int) -> None:
        """The tempo bar's text as large as its row allows (read from the bench)."""
        px = max(10, int(0.7 * height_px))
        # one solid chunk (a style sheet alone draws Qt's blocks), grey under the text in
        # either theme, so the part's name keeps its contrast
        self.tempo_bar.setStyleSheet(
            f"QProgressBar {{ font-size: {px}px; font-weight: 700; border: 1px solid {TEMPO_EDGE};"
            f" border-radius: 3px; text-align: center; }}"
            f" QProgressBar::chunk {{ background: {TEMPO_CHUNK}; }}")
