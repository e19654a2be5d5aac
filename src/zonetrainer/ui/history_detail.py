"""One stored session in the History tab: its heart-rate plot with the band, its interval
table and its summary in words; and the table helpers the session list shares."""

from __future__ import annotations

import html
from typing import Any, Final

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core import control
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.threshold import EXTRA_KEY, ThresholdResult, finding, with_course
from zonetrainer.ui import text
from zonetrainer.ui.plots import ZoneBars
from zonetrainer.ui.theme import PLOT_COLOURS, ThemeName

INTERVAL_COLUMNS = ("#", "Kind", "Planned", "Actual", "Avg HR", "Ended because")
INTERVAL_STRETCH: Final = (5,)  # Ended because: the longest text; Kind fits its own
STRETCH_MIN_PX: Final = 60  # a stretched column keeps at least this much of its text


def cell(value: str, data: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem(value)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(value)  # an elided cell still tells its whole text
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def fit_columns(table: QTableWidget, stretch: tuple[int, ...]) -> None:
    """Row numbers off; ``stretch`` columns share the width left after the others' text."""
    table.verticalHeader().hide()  # list rows are not numbered; intervals have their own #
    header = table.horizontalHeader()
    for col in stretch:
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)


def size_columns(table: QTableWidget, stretch: tuple[int, ...]) -> int:
    """Fit the other columns to their text; returns the width that shows them all and gives
    each ``stretch`` column STRETCH_MIN_PX."""
    # Once per fill, not ResizeToContents: that mode re-measures every row on every change.
    for col in range(table.columnCount()):
        if col not in stretch:
            table.resizeColumnToContents(col)
    fixed = sum(table.columnWidth(c) for c in range(table.columnCount()) if c not in stretch)
    return (fixed + STRETCH_MIN_PX * len(stretch) + table.verticalScrollBar().sizeHint().width()
            + 2 * table.frameWidth())


def band_share(share: float | None) -> str:
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
        # Work and rest shaded as in the live plot; no "(x0.001)" prefix on an empty axis.
        self.shades: dict[str, pg.BarGraphItem] = {}
        for phase in ("work", "rest"):
            item = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], pen=pg.mkPen(None),
                                   brush=pg.mkBrush(colours[phase]))
            item.setZValue(-15)
            self.plot.addItem(item)
            self.shades[phase] = item
        for axis in ("left", "bottom"):
            self.plot.getPlotItem().getAxis(axis).enableAutoSIPrefix(False)
        self.plot.setYRange(40, 200, padding=0)
        self.summary = QLabel("Open a session to see it here.")
        self.summary.setObjectName("historySummary")
        self.summary.setWordWrap(True)
        self.zone_bars = ZoneBars(theme)
        self.zone_bars.setMinimumWidth(190)  # its title and five bars readable
        self.intervals = QTableWidget(0, len(INTERVAL_COLUMNS))
        self.intervals.setHorizontalHeaderLabels(INTERVAL_COLUMNS)
        fit_columns(self.intervals, INTERVAL_STRETCH)
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
        self._shade(None)
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
        self._shade(record)
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
                         f"{band_share(summary.band_share)} · avg {avg} bpm · max {peak} bpm")
            lines.append(zones)
        # no summary (a damaged session): empty bars rather than the previous session's
        self.zone_bars.show_seconds((0.0,) * 5 if summary is None else summary.time_in_zone_s)
        lines += _extra_lines(record)
        self.summary.setText("<br>".join(lines))
        self.intervals.setRowCount(len(record.intervals))
        for row, iv in enumerate(record.intervals):
            avg = "" if iv.avg_hr_bpm is None else f"{iv.avg_hr_bpm:.0f}"
            kind = f"{iv.kind} · {iv.exercise}" if iv.exercise else iv.kind
            for col, value in enumerate((str(iv.index + 1), kind,
                                         text.clock_text(iv.planned_s),
                                         text.clock_text(iv.actual_s), avg, iv.end_reason)):
                self.intervals.setItem(row, col, cell(value))
        size_columns(self.intervals, INTERVAL_STRETCH)


    def _shade(self, record: SessionRecord | None) -> None:
        for phase, item in self.shades.items():
            spans = [] if record is None else [i for i in record.intervals if i.kind == phase]
            item.setOpts(x0=[i.start_s / 60 for i in spans], x1=[i.end_s / 60 for i in spans],
                         y0=[0.0] * len(spans), y1=[250.0] * len(spans))


def _extra_lines(record: SessionRecord) -> list[str]:
    """What a session stored besides its data, in words: a ramp's threshold (or why there is
    none, and whether the ramp was cut short), how its zone-controlled work bouts went. A value
    that cannot be read says so."""
    lines = []
    extra = record.extra
    raw = extra.get(EXTRA_KEY)
    if raw is not None:
        try:
            result = ThresholdResult.from_json(raw)
        except (ValueError, TypeError) as exc:
            lines.append(f"ramp result unreadable: {html.escape(str(exc))}")
        else:
            result = with_course(result, record)
            lines.append(f"{text.threshold_headline(result)}: {html.escape(finding(result))}"
                         + (f" {html.escape(result.cut_short)}" if result.cut_short else ""))
    raw = extra.get(control.BOUT_HISTORY_KEY)
    if raw is not None:
        try:
            bouts = control.BoutHistory.from_json(raw).describe()
        except control.BoutHistoryError as exc:
            bouts = f"unreadable ({exc})"
        lines.append(f"zone control: {html.escape(bouts)}")
    return lines
