"""A label whose type scales with the room its layout gives it, and never the other way round.

The layout sizes a :class:`FitLabel` by stretch factors alone (its size policy ignores the
text), so a longer text, a wrapped cue or "PAUSED" moves nothing, and a new text repaints the
label alone (a :class:`~zonetrainer.ui.labels.QuietLabel`: no new layout of the window). The
font is chosen from a template text ("888", "88:88") so it does not jump as digits change: as
large as fits the label's height (``fill`` of it, measured on the digits' ink) and its width.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Final

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy

from zonetrainer.ui.labels import QuietLabel

#: Glyphs this large are not in Qt's glyph cache: drawn as paths they cost milliseconds a
#: paint in software rendering. Above this size a text is drawn once into a pixmap and reused.
CACHE_ABOVE_PX: Final = 60
CACHE_SIZE: Final = 64


class FitLabel(QuietLabel):
    def __init__(self, name: str, value: str = "", template: str = "",
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter, fill: float = 0.8,
                 bold: bool = True) -> None:
        super().__init__(value)
        self.setObjectName(name)
        self.setAlignment(align)
        self.template, self.fill, self.bold = template, fill, bold
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(1, 1)
        self.px = 10
        self._pixmaps: OrderedDict[tuple[str, int, str, int, int], QPixmap] = OrderedDict()
        self._colour = ""
        self._sheet = ""
        self._fit()

    def sizeHint(self) -> QSize:  # the text never asks for room
        return QSize(10, 10)

    def minimumSizeHint(self) -> QSize:
        return QSize(1, 1)

    def set_colour(self, colour: str) -> None:
        if colour != self._colour:
            self._colour = colour
            self._apply()

    def setText(self, value: str) -> None:
        if value != self.text():
            self._show(value)  # its size hint is fixed: no layout to ask for
            if not self.template:  # sized to its own text: refit (never moves the layout)
                self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _font(self, px: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(1, px))
        font.setBold(self.bold)
        return font

    def _fit(self) -> None:
        height, width = self.contentsRect().height(), self.contentsRect().width()
        sample = self.template or self.text() or "8"
        lines = sample.split("\n")
        probe = 100
        metrics = QFontMetrics(self._font(probe))
        ink = max(1, metrics.tightBoundingRect("0123456789").height())
        line_h = max(1, metrics.height())
        # height: the digits' ink fills ``fill`` of one line's share (several lines: by line)
        by_height = probe * self.fill * height / (ink if len(lines) == 1
                                                  else line_h * len(lines))
        widest = max(metrics.horizontalAdvance(line) for line in lines) or 1
        by_width = probe * 0.99 * width / widest
        px = int(max(1.0, min(by_height, by_width)))
        if px != self.px:
            self.px = px
            self._apply()

    def _apply(self) -> None:
        sheet = (f"font-size: {self.px}px; font-weight: {700 if self.bold else 400};"
                 + (f" color: {self._colour};" if self._colour else ""))
        if sheet != self._sheet:  # a style sheet re-polishes the widget: only on change
            self._sheet = sheet
            self.setStyleSheet(sheet)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.px <= CACHE_ABOVE_PX or not self.text():
            super().paintEvent(event)  # QuietLabel: drawn as QLabel draws it
            return
        rect = self.contentsRect()
        ratio = self.devicePixelRatioF()
        key = (self.text(), self.px, self._colour, rect.width(), rect.height())
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = QPixmap(int(rect.width() * ratio), int(rect.height() * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setFont(self._font(self.px))
            painter.setPen(QColor(self._colour) if self._colour
                           else self.palette().color(self.foregroundRole()))
            painter.drawText(rect.translated(-rect.topLeft()), self._draw_flags(), self.text())
            painter.end()
            self._pixmaps[key] = pixmap
            if len(self._pixmaps) > CACHE_SIZE:
                self._pixmaps.popitem(last=False)
        else:
            self._pixmaps.move_to_end(key)
        painter = QPainter(self)
        painter.drawPixmap(QPoint(rect.left(), rect.top()), pixmap)
        painter.end()

    def _draw_flags(self) -> int:
        """How the cached text is laid out in its box (a word-wrapped label adds the wrap)."""
        return int(self.alignment())

    def ink_height(self) -> int:
        """Height in px of the digits as drawn now (for the readability checks)."""
        return QFontMetrics(self._font(self.px)).tightBoundingRect("0123456789").height()
