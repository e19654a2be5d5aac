"""The end of a session on the Train tab: what the stored session says, read from the store.

Time in band (share and minutes), average and maximal heart rate, time per zone, every interval
planned against actual with why it ended, and the comparison with this athlete's last session
of the same plan; Export and Open in History. Every figure comes from the stored record, so
what is shown is what was kept.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core.model import SessionRecord, SessionSummary
from zonetrainer.ui.text import clock_text

COLUMNS = ("#", "kind", "planned", "actual", "mean HR", "ended because")


def headline_text(summary: SessionSummary) -> str:
    """Minutes in band of the whole session, and the share on its own base (live time from the
    first entry into the band), said so: "44 % of 40:00" beside 15.1 min read as a wrong sum."""
    return (f"{summary.time_in_band_s / 60:.1f} min in band of {clock_text(summary.duration_s)}"
            f" · {100 * summary.band_share:.0f} % from first reaching it")


def hr_text(summary: SessionSummary) -> str:
    avg = "–" if summary.avg_hr_bpm is None else f"{summary.avg_hr_bpm:.0f}"
    top = "–" if summary.max_hr_bpm is None else f"{summary.max_hr_bpm:.0f}"
    return f"average {avg} bpm · max {top} bpm"


def zones_text(summary: SessionSummary) -> str:
    return " · ".join(f"zone {i + 1} {clock_text(s)}" for i, s in enumerate(summary.time_in_zone_s))


def comparison_text(record: SessionRecord, previous: SessionRecord | None) -> str:
    """Against this athlete's last session of the same plan, in time and share in band."""
    now = record.summary
    if previous is None or previous.summary is None or now is None:
        return "First session of this plan for this athlete: nothing to compare yet."
    before = previous.summary
    minutes = (now.time_in_band_s - before.time_in_band_s) / 60
    points = 100 * (now.band_share - before.band_share)
    when = f"{previous.header.started_at.astimezone():%Y-%m-%d}"
    return (f"Against your last {record.header.plan_name} ({when}): {minutes:+.1f} min in band, "
            f"{points:+.0f} points of share")


class SessionSummaryView(QWidget):
    export_requested = Signal(object)  # SessionRecord
    history_requested = Signal(int)  # session id

    def __init__(self) -> None:
        super().__init__()
        self.record: SessionRecord | None = None
        self.title = QLabel("")
        self.title.setObjectName("summaryTitle")
        self.headline = QLabel("")
        self.headline.setObjectName("summaryHeadline")
        self.hr = QLabel("")
        self.zones = QLabel("")
        self.zones.setWordWrap(True)
        self.comparison = QLabel("")
        self.comparison.setWordWrap(True)
        for label, px in ((self.title, 26), (self.headline, 40), (self.hr, 26)):
            label.setStyleSheet(f"font-size: {px}px; font-weight: 700;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.export_button = QPushButton("Export…")
        self.history_button = QPushButton("Open in History")
        self.export_button.clicked.connect(
            lambda: self.record is not None and self.export_requested.emit(self.record))
        self.history_button.clicked.connect(
            lambda: self.record is not None and self.history_requested.emit(
                self.record.session_id))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.history_button)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.headline, self.hr, self.zones, self.comparison):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_record(self, record: SessionRecord, previous: SessionRecord | None) -> None:
        self.record = record
        header = record.header
        self.title.setText(f"{header.plan_name} · {header.athlete_name} · "
                           f"{header.started_at.astimezone():%Y-%m-%d %H:%M} · {record.status}")
        summary = record.summary
        if summary is None:
            self.headline.setText("No summary: the session was not finished.")
            self.hr.setText("")
            self.zones.setText("")
        else:
            self.headline.setText(headline_text(summary))
            self.hr.setText(hr_text(summary))
            self.zones.setText(zones_text(summary))
        self.comparison.setText(comparison_text(record, previous))
        self.table.setRowCount(len(record.intervals))
        for row, interval in enumerate(record.intervals):
            mean = "" if interval.avg_hr_bpm is None else f"{interval.avg_hr_bpm:.0f}"
            kind = interval.kind + (f" · {interval.exercise}" if interval.exercise else "")
            values = (str(interval.index + 1), kind, clock_text(interval.planned_s),
                      clock_text(interval.actual_s), mean, interval.end_reason)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()


def load_with_previous(store: Any, session_id: int) -> tuple[SessionRecord, SessionRecord | None]:
    """The stored session and this athlete's newest earlier session of the same plan."""
    record: SessionRecord = store.load(session_id)
    header = record.header
    earlier = [s for s in store.list_sessions(plan=header.plan_name, athlete=header.athlete_name,
                                              limit=5)
               if s.id != session_id and s.started_at < header.started_at
               and s.duration_s is not None]
    return record, (store.load(earlier[0].id) if earlier else None)


def select_in_history(history: Any, session_id: int) -> bool:
    """Select ``session_id`` in the History tab's list (refreshed first); False if not listed."""
    history.refresh()
    table = history.table
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == session_id:
            table.selectRow(row)
            history.open_selected()
            return True
    return False
