"""A label whose text changes repaint only itself; one for status lines that cuts long texts.

``QLabel.setText`` asks the whole window for a new layout every time (``updateGeometry``), even
when nothing would move; inside the main window's tabs that ends in ``QTabWidget`` repainting the
whole page (measured: a full 1920x1080 repaint at each change, 6 a second during a session). A
:class:`QuietLabel` keeps its text itself, paints it as QLabel does, and asks for a layout only
when its size hint changed.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QStyle


class QuietLabel(QLabel):
    """Plain text, painted as QLabel paints it; a new text repaints this label alone. ``text()``
    is the text shown; screen readers get it as the accessible name."""

    def __init__(self, value: str = "") -> None:
        super().__init__()
        self._shown = ""
        self._show(value)

    def text(self) -> str:
        return self._shown

    def setText(self, value: str) -> None:
        if value != self._shown:
            hint = self.sizeHint()
            self._show(value)
            if self.sizeHint() != hint:
                self.updateGeometry()

    def _show(self, value: str) -> None:
        """Paint ``value`` from now on (no layout asked for)."""
        if value != self._shown:
            self._shown = value
            self.setAccessibleName(value)
            self.update()

    def _label_hint(self, value: str) -> QSize:
        """QLabel's size hint for ``value`` (QLabel's own text stays empty: its hint for none)."""
        if not value:
            return super().sizeHint()
        margins = self.contentsMargins()
        rect = self.fontMetrics().boundingRect(QRect(0, 0, 2000, 2000), int(self.alignment()),
                                               value)
        return QSize(rect.width() + margins.left() + margins.right(),
                     rect.height() + margins.top() + margins.bottom())

    def sizeHint(self) -> QSize:
        return self._label_hint(self._shown)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._shown:
            return
        painter = QPainter(self)
        self.draw_text(painter)
        painter.end()

    def draw_text(self, painter: QPainter) -> None:
        """What QLabel.paintEvent does for plain text (no frame, margin or indent here)."""
        align = QStyle.visualAlignment(self.layoutDirection(), self.alignment())
        flags = int(align) | int(Qt.TextFlag.TextForceLeftToRight
                                 if self.layoutDirection() == Qt.LayoutDirection.LeftToRight
                                 else Qt.TextFlag.TextForceRightToLeft)
        if self.wordWrap():
            flags |= int(Qt.TextFlag.TextWordWrap)
        self.style().drawItemText(painter, self.contentsRect(), flags, self.palette(),
                                  self.isEnabled(), self._shown, self.foregroundRole())


class ElidedLabel(QLabel):
    """One line of text that never widens its window: cut with "…" to the width it gets, the
    whole text then in its tooltip. ``text()`` is the whole text. It asks for the whole text's
    width (a layout gives it that when there is room) but needs none. A status line: its text
    changes seldom, and the same text again changes nothing (no new layout, no repaint)."""

    def __init__(self, value: str = "") -> None:
        super().__init__()
        self._full = ""
        self._fit()
        self.setText(value)

    def setText(self, value: str) -> None:
        if value == self._full:
            return
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
        super().setText(shown)  # QLabel's own: a no-op when the same
        tip = self._full if shown != self._full else ""
        if tip != self.toolTip():
            self.setToolTip(tip)
