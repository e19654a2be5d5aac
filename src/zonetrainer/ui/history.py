"""History: the stored sessions; open one for its plots, interval table and summary; delete
with confirmation; export."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any, Final

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core import control_memory
from zonetrainer.core.errors import UserError
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.threshold import EXTRA_KEY, ThresholdResult
from zonetrainer.ui import text
from zonetrainer.ui.plots import ZoneBars
from zonetrainer.ui.theme import PLOT_COLOURS, ThemeName
from zonetrainer.ui.training import Confirm, ask

log = logging.getLogger(__name__)

LIST_COLUMNS = ("Date", "Plan", "Athlete", "Duration", "Time in band", "Status")
INTERVAL_COLUMNS = ("#", "Kind", "Planned", "Actual", "Avg HR", "Ended because")
#: Columns that take the width left over and elide (their cells carry the full text as a
#: tooltip), so the short columns after them, Status and "Ended because", never need a scroll.
LIST_STRETCH: Final = (1, 2)  # Plan, Athlete
INTERVAL_STRETCH: Final = (1, 5)  # Kind, Ended because
STRETCH_MIN_PX: Final = 60  # the list keeps this much of a plan's and an athlete's name


def _cell(value: str, data: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem(value)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(value)  # an elided cell still tells its whole text
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _fit_columns(table: QTableWidget, stretch: tuple[int, ...]) -> None:
    """Row numbers off; ``stretch`` columns share the width left after the others' text."""
    table.verticalHeader().hide()  # list rows are not numbered; intervals have their own #
    header = table.horizontalHeader()
    for col in stretch:
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)


def _size_columns(table: QTableWidget, stretch: tuple[int, ...]) -> int:
    """Fit the other columns to their text; returns the width that shows them all and gives
    each ``stretch`` column STRETCH_MIN_PX."""
    # Once per fill, not ResizeToContents: that mode re-measures every row on every change.
    for col in range(table.columnCount()):
        if col not in stretch:
            table.resizeColumnToContents(col)
    fixed = sum(table.columnWidth(c) for c in range(table.columnCount()) if c not in stretch)
    return (fixed + STRETCH_MIN_PX * len(stretch) + table.verticalScrollBar().sizeHint().width()
            + 2 * table.frameWidth())


def _band_share(share: float | None) -> str:
    return "" if share is None else f" ({100 * share:.0f} %)"


class SessionDetail(QWidget):
    """One stored session: its heart-rate plot with the band, its intervals and its summary."""

    def __init__(self, theme: ThemeName = "light") -> None:
        super().__init__()
        colours = PLOT_COLOURS[theme]
        self.plot = pg.PlotWidget(background=colours["background"])
        self.plot.getPlotItem().setLabel("bottom", "min")
        self.plot.getPlotItem().setLabel("left", "bpm")
        self.plot.getPlotItem().setDownsampling(auto=True, mode="peak")
        self.plot.getPlotItem().setClipToView(True)
        self.curve = self.plot.plot([], [], pen=pg.mkPen(colours["curve"], width=1),
                                    connect="finite")
        self.band = pg.LinearRegionItem(values=(0, 0), orientation="horizontal", movable=False,
                                        brush=pg.mkBrush(colours["band"]), pen=pg.mkPen(None))
        self.plot.addItem(self.band)
        self.summary = QLabel("Open a session to see it here.")
        self.summary.setObjectName("historySummary")
        self.summary.setWordWrap(True)
        self.zone_bars = ZoneBars(theme)
        self.zone_bars.setMinimumWidth(190)  # its title and five bars readable
        self.intervals = QTableWidget(0, len(INTERVAL_COLUMNS))
        self.intervals.setHorizontalHeaderLabels(INTERVAL_COLUMNS)
        _fit_columns(self.intervals, INTERVAL_STRETCH)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        plots = QHBoxLayout()
        plots.addWidget(self.plot, 4)
        plots.addWidget(self.zone_bars, 1)
        layout.addLayout(plots, 2)
        layout.addWidget(self.intervals, 1)

    def clear(self, message: str = "Open a session to see it here.") -> None:
        """Show no session (none is selected, or it could not be opened)."""
        self.curve.setData([], [])
        self.band.setRegion((0, 0))
        self.summary.setText(message)
        self.zone_bars.show_seconds((0.0,) * 5)
        self.intervals.setRowCount(0)

    def show_record(self, record: SessionRecord) -> None:
        header, summary = record.header, record.summary
        t = np.array([s.t_s for s in record.samples], dtype=float) / 60.0
        hr = np.array([np.nan if s.hr_bpm is None else s.hr_bpm for s in record.samples],
                      dtype=float)
        self.curve.setData(t, hr, connect="finite")
        self.band.setRegion((header.band.low_bpm, header.band.high_bpm))
        lines = [f"<b>{header.plan_name}</b> · {header.athlete_name} · "
                 f"{header.started_at.astimezone():%Y-%m-%d %H:%M} · {record.status}",
                 text.band_text(header.band)]
        if summary is not None:
            zones = ", ".join(f"Z{i + 1} {text.clock_text(s)}"
                              for i, s in enumerate(summary.time_in_zone_s))
            avg = "–" if summary.avg_hr_bpm is None else f"{summary.avg_hr_bpm:.0f}"
            peak = "–" if summary.max_hr_bpm is None else f"{summary.max_hr_bpm:.0f}"
            lines.append(f"duration {text.clock_text(summary.duration_s)} · in band "
                         f"{text.clock_text(summary.time_in_band_s)}"
                         f"{_band_share(summary.band_share)} · avg {avg} bpm · max {peak} bpm")
            lines.append(zones)
        # no summary (a damaged session): empty bars rather than the previous session's
        self.zone_bars.show_seconds((0.0,) * 5 if summary is None else summary.time_in_zone_s)
        lines += _extra_lines(record.extra)
        self.summary.setText("<br>".join(lines))
        self.intervals.setRowCount(len(record.intervals))
        for row, iv in enumerate(record.intervals):
            avg = "" if iv.avg_hr_bpm is None else f"{iv.avg_hr_bpm:.0f}"
            kind = f"{iv.kind} · {iv.exercise}" if iv.exercise else iv.kind
            for col, value in enumerate((str(iv.index + 1), kind,
                                         text.clock_text(iv.planned_s),
                                         text.clock_text(iv.actual_s), avg, iv.end_reason)):
                self.intervals.setItem(row, col, _cell(value))
        _size_columns(self.intervals, INTERVAL_STRETCH)


def _extra_lines(extra: dict[str, str]) -> list[str]:
    """What a session stored besides its data, in words: a ramp's threshold (or why there is
    none), how its zone-controlled work bouts went. A value that cannot be read says so."""
    lines = []
    raw = extra.get(EXTRA_KEY)
    if raw is not None:
        try:
            result = ThresholdResult.from_json(raw)
        except (ValueError, TypeError) as exc:
            lines.append(f"ramp result unreadable: {html.escape(str(exc))}")
        else:
            lines.append(f"{text.threshold_headline(result)}: {html.escape(result.statement)}")
    raw = extra.get(control_memory.EXTRA_KEY)
    if raw is not None:
        try:
            bouts = control_memory.BoutHistory.from_json(raw).describe()
        except control_memory.BoutHistoryError as exc:
            bouts = f"unreadable ({exc})"
        lines.append(f"zone control: {html.escape(bouts)}")
    return lines


#: Sessions the history lists at first, newest first; "Older…" adds as many again. Years of
#: history (10,000 sessions) would take about half a second to fill the table; a page is instant.
HISTORY_PAGE: Final = 200


class HistoryView(QWidget):
    export_requested = Signal(object)  # SessionRecord
    ramp_requested = Signal(object)  # SessionRecord of a ramp, to see and apply its threshold
    session_deleted = Signal(int)

    def __init__(self, store: Any | None, theme: ThemeName = "light",
                 confirm: Confirm = ask, page_size: int = HISTORY_PAGE) -> None:
        super().__init__()
        self.store, self.confirm = store, confirm
        self.page_size = page_size
        self.shown = page_size  # how many of the newest sessions the list shows
        self.record: SessionRecord | None = None
        self.table = QTableWidget(0, len(LIST_COLUMNS))
        self.table.setHorizontalHeaderLabels(LIST_COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        _fit_columns(self.table, LIST_STRETCH)
        self.table.itemSelectionChanged.connect(self.open_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.detail = SessionDetail(theme)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(self._export)
        self.ramp_button = QPushButton("Ramp result…")
        self.ramp_button.setToolTip("The aerobic threshold this ramp found; set the band from it")
        self.ramp_button.clicked.connect(self._ramp)
        self.older_button = QPushButton("Older…")
        self.older_button.setToolTip(f"List {page_size} older sessions too")
        self.older_button.clicked.connect(self.show_older)
        # Two rows: five buttons in one would keep the list 600 px wide in a 1024 px window.
        listing, buttons = QHBoxLayout(), QHBoxLayout()
        listing.addWidget(self.message, 1)
        for button in (self.refresh_button, self.older_button):
            listing.addWidget(button)
        buttons.addStretch(1)
        for button in (self.export_button, self.ramp_button, self.delete_button):
            buttons.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(listing)
        left_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setSizes([600, 680])  # the list's six columns, and the detail's plot
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._selection_buttons()
        self.refresh()

    def _run(self, what: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except UserError as exc:
            self.message.setText(f"{what}: {exc}")
            return None

    def refresh(self) -> None:
        """List the newest sessions again. The session selected stays selected and shown while
        it is still listed; otherwise nothing is selected and the detail is empty."""
        if self.store is None:
            self.message.setText("No database open.")
            return
        keep = self.selected_id()  # read before the rows below are overwritten
        store, limit = self.store, self.shown + 1  # one more tells whether older ones exist
        listings = self._run("cannot list sessions",
                             lambda: store.list_sessions(limit=limit)) or []
        more = len(listings) > self.shown
        listings = listings[:self.shown]
        self.older_button.setEnabled(more)
        # Qt keeps a selection by row number, which after a delete or a new session is another
        # session's row: select by id instead, and open it once after the fill.
        self.table.blockSignals(True)
        try:
            self.table.selectionModel().clear()  # the current row too: it may be gone
            self.table.setRowCount(len(listings))
            for row, item in enumerate(listings):
                duration = "" if item.duration_s is None else text.clock_text(item.duration_s)
                in_band = ("" if item.time_in_band_s is None else
                           text.clock_text(item.time_in_band_s) + _band_share(item.band_share))
                values = (f"{item.started_at.astimezone():%Y-%m-%d %H:%M}", item.plan_name,
                          item.athlete_name, duration, in_band, item.status)
                for col, value in enumerate(values):
                    self.table.setItem(row, col, _cell(value, item.id))
                if item.id == keep:
                    self.table.selectRow(row)
        finally:
            self.table.blockSignals(False)
        # the detail panel gets the rest: at 1024 px a reason shows its first words, not "…"
        self.table.setMinimumWidth(_size_columns(self.table, LIST_STRETCH))
        if more:
            self.message.setText(f"The newest {len(listings)} sessions; Older… lists more.")
        else:
            self.message.setText(f"{len(listings)} session(s)." if listings else
                                 "No sessions yet: train one and it appears here.")
        self.open_selected()

    def show_older(self) -> None:
        self.shown += self.page_size
        self.refresh()

    def selected_id(self) -> int | None:
        items = self.table.selectedItems()
        return int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def _selection_buttons(self) -> None:
        # Delete works on a selected row even when it cannot be opened; Export on what is shown
        self.delete_button.setEnabled(self.selected_id() is not None)
        self.export_button.setEnabled(self.record is not None)
        self.ramp_button.setEnabled(self.record is not None and EXTRA_KEY in self.record.extra)

    def open_selected(self) -> None:
        """Show the selected session, or none. ``record`` is always the selected row's session
        (or None), so Export, Ramp result and Delete act on what the detail shows."""
        session_id, store = self.selected_id(), self.store
        record = None
        if session_id is not None and store is not None:
            record = self._run(f"cannot open session {session_id}",
                               lambda: store.load(session_id))
        self.record = record
        if record is not None:
            self.detail.show_record(record)
        elif session_id is not None:
            self.detail.clear(f"Session {session_id} could not be opened.")
        else:
            self.detail.clear()
        self._selection_buttons()

    def delete_selected(self) -> None:
        session_id, store = self.selected_id(), self.store
        if session_id is None or store is None:
            return
        if not self.confirm(self, "Delete the session?",
                            f"Delete session {session_id} and everything recorded in it? "
                            "This cannot be undone."):
            return
        self._run(f"cannot delete session {session_id}", lambda: store.delete(session_id))
        self.refresh()
        self.session_deleted.emit(session_id)

    def _ramp(self) -> None:
        if self.record is not None and EXTRA_KEY in self.record.extra:
            self.ramp_requested.emit(self.record)

    def _export(self) -> None:
        if self.record is not None:
            self.export_requested.emit(self.record)
