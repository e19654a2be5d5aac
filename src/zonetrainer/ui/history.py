"""History: the stored sessions; open one for its plots, interval table and summary; delete
with confirmation; export."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core.errors import UserError
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.threshold import EXTRA_KEY
from zonetrainer.ui import text
from zonetrainer.ui.history_detail import (
    STRETCH_MIN_PX,
    SessionDetail,
    band_share,
    cell,
    fit_columns,
    size_columns,
)
from zonetrainer.ui.theme import ThemeName
from zonetrainer.ui.training import Confirm, ask

log = logging.getLogger(__name__)

LIST_COLUMNS = ("Date", "Plan", "Athlete", "Length", "In band", "Status")  # short: room for plans
#: Columns that take the width left over and elide (their cells carry the full text as a
#: tooltip), so the short columns after them, Status and "Ended because", never need a scroll.
LIST_STRETCH: Final = (1, 2)  # Plan, Athlete
#: A plan's name wider than its column wraps at its hyphens onto more lines of a taller row,
#: never "…": the list is kept wide enough that the Plan column's share is never narrower than
#: the widest part of a name between hyphens (at 1024 px it had been 60 px, "interv…").
PLAN_COLUMN: Final = 1
CELL_MARGIN_PX: Final = 8  # a cell's text margins, both sides


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
        self._rows_grown = False  # a long plan name made its row taller
        self.table = QTableWidget(0, len(LIST_COLUMNS))
        self.table.setHorizontalHeaderLabels(LIST_COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        fit_columns(self.table, LIST_STRETCH)
        self.table.horizontalHeader().sectionResized.connect(
            lambda column, _old, _new: self._fit_rows() if column == PLAN_COLUMN else None)
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
        # coach mode: one athlete's sessions, or everyone's (None)
        self.athlete_filter = QComboBox()
        self.athlete_filter.setObjectName("athleteFilter")
        self.athlete_filter.setToolTip("Show the sessions of one athlete")
        self.athlete_filter.addItem("All athletes", None)
        self.athlete_filter.currentIndexChanged.connect(lambda _i: self.refresh())
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
        left_layout.addWidget(self.athlete_filter)
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
        athlete = self._athletes()
        listings = self._run("cannot list sessions",
                             lambda: store.list_sessions(athlete=athlete, limit=limit)) or []
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
                           text.clock_text(item.time_in_band_s) + band_share(item.band_share))
                values = (f"{item.started_at.astimezone():%Y-%m-%d %H:%M}", item.plan_name,
                          item.athlete_name, duration, in_band, item.status)
                for col, value in enumerate(values):
                    self.table.setItem(row, col, cell(value, item.id))
                if item.id == keep:
                    self.table.selectRow(row)
        finally:
            self.table.blockSignals(False)
        # the detail panel gets the rest: at 1024 px a reason shows its first words, not "…"
        least = size_columns(self.table, LIST_STRETCH)  # with STRETCH_MIN_PX a stretch column
        share = max(STRETCH_MIN_PX, self._widest_part())  # the stretch columns share alike
        self.table.setMinimumWidth(least + len(LIST_STRETCH) * (share - STRETCH_MIN_PX))
        self._fit_rows()
        if more:
            self.message.setText(f"The newest {len(listings)} sessions; Older… lists more.")
        else:
            self.message.setText(f"{len(listings)} session(s)." if listings else
                                 "No sessions yet: train one and it appears here.")
        self.open_selected()

    def _athletes(self) -> str | None:
        """Fill the athlete filter with the stored athletes (keeping the choice); the chosen
        athlete, or None for all."""
        chosen, store = self.athlete_filter.currentData(), self.store
        assert store is not None  # refresh() checked
        names = [n for n, _ in self._run("cannot list athletes", store.athletes) or []]
        if chosen is not None and chosen not in names:
            names.append(chosen)  # a session's athlete whose profile is gone still filters
        combo = self.athlete_filter
        if [combo.itemData(i) for i in range(1, combo.count())] != names:
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("All athletes", None)
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.blockSignals(False)
        return chosen if isinstance(chosen, str) else None

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

    def _widest_part(self) -> int:
        """The widest part of a shown plan name that wrapping cannot break (up to and with its
        hyphen, as Qt breaks a line), with the cell's margins."""
        metrics = self.table.fontMetrics()
        parts = (part for row in range(self.table.rowCount())
                 if (item := self.table.item(row, PLAN_COLUMN)) is not None
                 for part in re.findall(r"[^\s-]*-?", item.text()) if part)
        return max((metrics.horizontalAdvance(p) for p in parts), default=0) + CELL_MARGIN_PX

    def _fit_rows(self) -> None:
        """Rows as tall as their plan's name wrapped in its column (and back when it fits)."""
        room = self.table.columnWidth(PLAN_COLUMN) - CELL_MARGIN_PX
        metrics = self.table.fontMetrics()
        items = (self.table.item(row, PLAN_COLUMN) for row in range(self.table.rowCount()))
        wraps = any(item is not None and metrics.horizontalAdvance(item.text()) > room
                    for item in items)
        if wraps or self._rows_grown:
            self.table.resizeRowsToContents()
        self._rows_grown = wraps

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
