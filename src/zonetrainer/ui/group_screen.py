"""The group screen: a tile per athlete, readable across a room, filling the screen for 1 to 30.

Each tile is painted directly (no child widgets): 30 tiles updated once a second cost 30 small
paints, and the text scales with the tile. States arrive through :meth:`GroupScreen.show_state`;
a tile repaints at once, and the grid is laid out again only when the order (flagged first)
changes or the screen is resized. A click on a tile emits ``athlete_clicked(name)``; a right
click offers that athlete's own start, pause, skip and end.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QMenu, QWidget

from zonetrainer.core.model import SessionState, SourceStatus
from zonetrainer.ui.group_tiles import MIN_TEXT_PX, TileView, grid_for, ordered, tile_view
from zonetrainer.ui.theme import PLOT_COLOURS, ThemeName

#: Gap between tiles, in pixels.
GAP_PX = 8


class AthleteTile(QWidget):
    """One athlete: name, heart rate in their band's colour, phase and countdown, time in band,
    strap and battery; a flagged tile gets a thick border in its colour."""

    clicked = Signal(str)
    action_requested = Signal(str, str)  # name, "start" | "pause" | "resume" | "skip" | "end"

    def __init__(self, name: str, theme: ThemeName = "light") -> None:
        super().__init__()
        self.name, self.theme = name, theme
        self.view = tile_view(name, None, None, float("inf"), theme)
        #: Called with time.perf_counter() at the end of each paint (benchmarks/group.py).
        self.painted: Callable[[float], None] | None = None
        #: (text, pixel size) of everything the last paint drew, for tests.
        self.drawn: list[tuple[str, int]] = []
        self.setMinimumSize(120, 80)
        # the tile paints every pixel of itself: Qt need not paint the screen behind it first
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(f"athlete {name}")

    def set_view(self, view: TileView) -> None:
        if view != self.view:
            self.view = view
            self.setToolTip(f"{view.name}: {view.hr_text} bpm, {view.phase_text}, "
                            f"{view.band_text}, {view.signal_text}")
            # Paint and flush now rather than on the next frame: update() waits for Qt's
            # low-priority update request, which with 30 sessions' timers queued took up to
            # 100 ms (benchmarks/group.py); a tile is small, so painting it at once is cheap.
            if self.isVisible():
                self.repaint()
            else:
                self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        v, colours = self.view, PLOT_COLOURS[self.theme]
        p = QPainter(self)
        self.drawn = []
        w, h = float(self.width()), float(self.height())
        colour = QColor(v.colour)
        # square corners and no antialiasing: a tile's frame costs a tenth of a rounded one
        # (measured with benchmarks/group.py), and 30 tiles repaint every second
        fill = QColor(colour)
        fill.setAlpha(40 if v.flagged else 14)
        p.fillRect(self.rect(), QColor(colours["background"]))  # opaque: see __init__
        p.fillRect(self.rect(), fill)
        border = max(3, round(h * 0.03)) if v.flagged else 1
        edge = colour if v.flagged else QColor(colours["foreground"] + "40")
        for k in range(border):  # a thick frame inside the tile, never outside its rect
            p.setPen(edge)
            p.drawRect(k, k, int(w) - 1 - 2 * k, int(h) - 1 - 2 * k)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        pad = max(6.0, h * 0.05)
        inner = QRectF(pad, pad, w - 2 * pad, h - 2 * pad)
        fg = QColor(colours["foreground"])
        top = inner.height() * 0.2
        # name left, phase and countdown right, a gap between them however long the name
        self._text(p, QRectF(inner.left(), inner.top(), inner.width() * 0.58, top), (v.name,), fg,
                   top * 0.8, True, Qt.AlignmentFlag.AlignLeft)
        self._text(p, QRectF(inner.left() + inner.width() * 0.62, inner.top(),
                             inner.width() * 0.38, top), (v.phase_text,), fg, top * 0.62, True,
                   Qt.AlignmentFlag.AlignRight)
        big = inner.height() * 0.48
        self._text(p, QRectF(inner.left(), inner.top() + top, inner.width(), big), (v.hr_text,),
                   colour, big * 0.92, True, Qt.AlignmentFlag.AlignCenter)
        line = inner.height() * 0.16
        y = inner.top() + top + big
        cue = v.cue_text
        first, second = v.lines
        centre = Qt.AlignmentFlag.AlignCenter
        if line * 0.6 >= MIN_TEXT_PX:  # two lines, each readable
            self._text(p, QRectF(inner.left(), y, inner.width(), line), first,
                       colour if cue else fg, line * 0.72, bool(cue), centre)
            self._text(p, QRectF(inner.left(), y + line, inner.width(), line), second,
                       QColor(fg.red(), fg.green(), fg.blue(), 170), line * 0.6, False, centre)
        else:  # a small tile: the one most needed line in the room of both
            self._text(p, QRectF(inner.left(), y, inner.width(), 2 * line), v.merged,
                       colour if cue else fg, line * 0.9, bool(cue), centre)
        p.end()
        if self.painted is not None:
            self.painted(time.perf_counter())

    def _text(self, p: QPainter, rect: QRectF, variants: tuple[str, ...], colour: QColor,
              px: float, bold: bool, align: Qt.AlignmentFlag) -> None:
        """The first of ``variants`` (fullest first) that fits ``rect`` at ``px``, or shrunk to
        fit but not below MIN_TEXT_PX; when none does, the shortest ends in "…"."""
        variants = tuple(t for t in variants if t)
        if not variants or rect.width() < 4:
            return
        font = QFont()
        font.setBold(bold)
        size = max(MIN_TEXT_PX, int(px))
        text = variants[-1]
        font.setPixelSize(size)
        p.setFont(font)
        for candidate in variants:
            width = p.fontMetrics().horizontalAdvance(candidate)
            fit = size if width <= rect.width() else int(size * rect.width() / width * 0.95)
            if fit >= MIN_TEXT_PX:
                text, size = candidate, fit
                break
        else:
            size = MIN_TEXT_PX
        font.setPixelSize(size)
        p.setFont(font)
        if p.fontMetrics().horizontalAdvance(text) > rect.width():
            text = p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                              int(rect.width()))
        self.drawn.append((text, size))
        p.setPen(colour)
        p.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), text)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.name)
        elif event.button() == Qt.MouseButton.RightButton:
            self._menu(event)

    def _menu(self, event: QMouseEvent) -> None:
        menu = QMenu(self)
        for action, label in (("start", "Start"), ("pause", "Pause"), ("resume", "Resume"),
                              ("skip", "Skip interval"), ("end", "End")):
            menu.addAction(f"{label} {self.name}").setData(action)
        chosen = menu.exec(event.globalPosition().toPoint())
        if chosen is not None:
            self.action_requested.emit(self.name, str(chosen.data()))


class GroupScreen(QWidget):
    """The tiles of a group, laid out to fill the screen, flagged tiles first."""

    athlete_clicked = Signal(str)
    action_requested = Signal(str, str)

    def __init__(self, names: list[str], ceilings_bpm: dict[str, float],
                 theme: ThemeName = "light",
                 status_of: Callable[[str], SourceStatus | None] | None = None) -> None:
        super().__init__()
        self.theme = theme
        self.names = list(names)
        self.ceilings_bpm = ceilings_bpm
        self.status_of = status_of or (lambda _name: None)
        self.tiles: dict[str, AthleteTile] = {}
        self.views: dict[str, TileView] = {}
        for name in names:
            tile = AthleteTile(name, theme)
            tile.setParent(self)
            tile.clicked.connect(self.athlete_clicked)
            tile.action_requested.connect(self.action_requested)
            self.tiles[name] = tile
            self.views[name] = tile.view
        self.order = list(names)
        self.setObjectName("groupScreen")
        self._layout()

    def show_state(self, name: str, state: SessionState) -> None:
        """One athlete's new state: their tile now, the grid when the order changes."""
        view = tile_view(name, state, self.status_of(name),
                         self.ceilings_bpm.get(name, float("inf")), self.theme)
        self.views[name] = view
        self.tiles[name].set_view(view)
        order = ordered([self.views[n] for n in self.names])
        if order != self.order:
            self.order = order
            self._layout()

    def refresh_status(self) -> None:
        """Strap and battery can change between states (a drop before any state)."""
        for name in self.names:
            tile = self.tiles[name]
            status = self.status_of(name)
            if status is not None and tile.view.level == "waiting":
                tile.set_view(tile_view(name, None, status, float("inf"), self.theme))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout()

    def _layout(self) -> None:
        w, h = self.width(), self.height()
        cols, rows = grid_for(len(self.order), w, h)
        tile_w = (w - GAP_PX * (cols + 1)) / cols
        tile_h = (h - GAP_PX * (rows + 1)) / rows
        for k, name in enumerate(self.order):
            r, c = divmod(k, cols)
            self.tiles[name].setGeometry(round(GAP_PX + c * (tile_w + GAP_PX)),
                                         round(GAP_PX + r * (tile_h + GAP_PX)),
                                         max(1, round(tile_w)), max(1, round(tile_h)))
