"""An instruction that stays readable across the room: it wraps at word boundaries into its
fixed box, as large as the box allows, and shrinks (never clips) when the words need more.

Like :class:`~zonetrainer.ui.readout.FitLabel`, the box is sized by its layout alone, so a
longer cue moves nothing. With a ``template`` the type stays at the template's size for every
shorter text ("WORK", "REST" as large as "COOL-DOWN · PAUSED") and shrinks only for a longer
one. How readable "readable" is, in px per metre of viewing distance: ``PX_PER_M``.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QSizePolicy

from zonetrainer.ui.readout import FitLabel

#: Text height for reading at a distance: at least 1/200 of the viewing distance (FAA Human
#: Factors web training, "Character and symbol size": characters of dynamic or critical
#: display elements >= 20 arcmin, "as a rough estimate 1/200th of viewing distance"; ISO
#: 9241-3 asks for at least 16 arcmin, 20-22 preferred). A guideline for the capital letters'
#: height, not a law: 15 mm at 3 m. On a 24" 1920x1080 screen (0.277 mm a pixel) that is
#: 18 px of cap height per metre.
MM_PER_PX_24IN: Final = 0.277
PX_PER_M: Final = round(1000 / 200 / MM_PER_PX_24IN)
WRAP: Final = Qt.TextFlag.TextWordWrap


def cap_height_px(label: FitLabel) -> int:
    """The capital letters' height in px of the font the label draws with now."""
    return QFontMetrics(label._font(label.px)).capHeight()


def readable_from_m(label: FitLabel) -> float:
    """How far away the label's text meets the 1/200 rule, on a 24" 1920x1080 screen."""
    return cap_height_px(label) / PX_PER_M


class InstructionLabel(FitLabel):
    """Up to ``lines`` lines, word-wrapped; more lines only at a smaller size, never cut."""

    def __init__(self, name: str, value: str = "", template: str = "",
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter, fill: float = 0.8,
                 bold: bool = True, lines: int = 2) -> None:
        self.lines = lines
        super().__init__(name, value, template, align, fill, bold)
        self.setWordWrap(True)
        # word wrap asks the layout for a height for each width: it must ask for nothing
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def hasHeightForWidth(self) -> bool:
        return False

    def heightForWidth(self, _width: int) -> int:
        return -1

    def setText(self, value: str) -> None:
        if value != self.text():
            self._show(value)  # QuietLabel: this label alone repaints, no new layout
            self._fit()  # with a template too: a longer text than it shrinks

    def fits(self, px: int | None = None) -> bool:
        """The text, wrapped at ``px`` (now: its own size), inside the box."""
        rect = self.contentsRect()
        return self._fits_at(self.px if px is None else px, rect.width(), rect.height())

    def _wrapped(self, value: str, px: int, width: int) -> QRect:
        metrics = QFontMetrics(self._font(px))
        return metrics.boundingRect(QRect(0, 0, max(1, width), 1 << 20),
                                    int(self.alignment()) | int(WRAP), value or "8")

    def _fit(self) -> None:
        if not hasattr(self, "lines"):  # FitLabel's constructor fits before ours has run
            return
        rect = self.contentsRect()
        height, width = rect.height(), rect.width()
        probe = 100
        metrics = QFontMetrics(self._font(probe))
        ink = max(1, metrics.tightBoundingRect("0123456789").height())
        # as large as one line of ``lines`` allows (the digits' ink ``fill`` of a line's share)
        line_share = height / self.lines if self.lines > 1 else height
        ceiling = probe * self.fill * line_share / (ink if self.lines == 1
                                                   else metrics.height())
        if self.template:
            ceiling = min(ceiling, probe * 0.99 * width
                          / max(1, metrics.horizontalAdvance(self.template)))
        px = max(1, int(ceiling))
        if not self._fits_at(px, width, height):
            low, high = 1, px - 1  # the largest size at which the wrapped words fit the box
            while low < high:
                middle = (low + high + 1) // 2
                if self._fits_at(middle, width, height):
                    low = middle
                else:
                    high = middle - 1
            px = max(1, low)
        if px != self.px:
            self.px = px
            self._apply()

    def _fits_at(self, px: int, width: int, height: int) -> bool:
        size = self._wrapped(self.text(), px, width)
        return size.width() <= width and size.height() <= height

    def _draw_flags(self) -> int:
        return int(self.alignment()) | int(WRAP)  # FitLabel's pixmap cache, word-wrapped
