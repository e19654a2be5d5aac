"""A label for status lines: long texts are cut to fit, never widen the window."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel


class ElidedLabel(QLabel):
    """One line of text that never widens its window: cut with "…" to the width it gets, the
    whole text then in its tooltip. ``text()`` is the whole text. It asks for the whole text's
    width (a layout gives it that when there is room) but needs none."""

    def __init__(self, value: str = "") -> None:
        super().__init__()
        self._full = ""
        self.setText(value)

    def setText(self, value: str) -> None:
        self._full = value
        self._fit()
        self.updateGeometry()  # the whole text's width is the size asked for

    def text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right()
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                              self.contentsRect().width())
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")
