"""The report's one page, drawn with matplotlib's object API on the Agg canvas (no display, no
pyplot state): the HR trace with the band and the intervals, time-in-zone bars, the alpha1
trend, the interval table and the figures, ready to be saved as PNG or PDF."""

from __future__ import annotations

from typing import Final

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from zonetrainer.core.export.report_data import ReportData
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.signal import LOST_AFTER_S, LiveCounter

A4_PORTRAIT_IN: Final = (8.27, 11.69)
#: Rows of the interval table that fit on the page; longer sessions point to the CSV.
MAX_TABLE_ROWS: Final = 22
#: Alpha1 at the aerobic threshold (Rogers et al. 2021; Gronwald et al. 2020).
ALPHA1_AET: Final = 0.75
KIND_COLOURS: Final = {"warmup": "#d9e8f5", "work": "#f8d9c4", "rest": "#d7efd8",
                       "cooldown": "#e3ddf0"}
ZONE_COLOURS: Final = ("#9ecae1", "#74c476", "#fdd049", "#fd8d3c", "#e6550d")


def _hr_axes(ax: Axes, record: SessionRecord) -> None:
    band = record.header.band
    for interval in record.intervals:
        ax.axvspan(interval.start_s / 60.0, interval.end_s / 60.0,
                   color=KIND_COLOURS.get(interval.kind, "#eeeeee"), lw=0)
    ax.axhspan(band.low_bpm, band.high_bpm, color="#2ca25f", alpha=0.25, lw=0,
               label=f"band {band.low_bpm:.0f}-{band.high_bpm:.0f} bpm")
    t_min: list[float] = []
    hr: list[float] = []
    previous_s: float | None = None
    # The summary's own rule decides what is heart rate: a strap spike the figures left out
    # is not drawn either (a report showed a 177 bpm peak beside "max HR 143").
    counter = LiveCounter(band, record.header.zones)
    for sample in record.samples:
        # A signal loss (no HR, or silence longer than the summary's rule allows) shows as a
        # gap, never as a line drawn across it.
        if previous_s is not None and sample.t_s - previous_s > LOST_AFTER_S:
            t_min.append((previous_s + LOST_AFTER_S) / 60.0)
            hr.append(float("nan"))
        counted = counter.add(sample)
        t_min.append(sample.t_s / 60.0)
        hr.append(float(sample.hr_bpm) if counted and sample.hr_bpm is not None
                  else float("nan"))
        previous_s = sample.t_s
    ax.plot(t_min, hr, color="#b2182b", lw=0.8, label="heart rate")
    ax.set_xlabel("minutes")
    ax.set_ylabel("bpm")
    ax.set_title("Heart rate, band and intervals", fontsize=9, loc="left")
    ax.legend(loc="lower right", fontsize=7)
    ax.tick_params(labelsize=7)


def _zone_axes(ax: Axes, data: ReportData) -> None:
    minutes = [s / 60.0 for s in data.time_in_zone_s]
    labels = [f"Z{i + 1}" for i in range(5)]
    bars = ax.barh(labels, minutes, color=ZONE_COLOURS)
    ax.bar_label(bars, labels=[f"{m:.1f}" for m in minutes], fontsize=7, padding=2)
    ax.invert_yaxis()
    ax.set_xlabel("minutes")
    ax.set_title("Time in zone", fontsize=9, loc="left")
    ax.tick_params(labelsize=7)


def _alpha1_axes(ax: Axes, record: SessionRecord) -> None:
    ax.set_title("DFA alpha1 (grey: > 5 % corrected beats)", fontsize=9, loc="left")
    ax.tick_params(labelsize=7)
    ax.set_xlabel("minutes")
    if not record.alpha1:
        ax.text(0.5, 0.5, "no alpha1 readings", ha="center", va="center",
                transform=ax.transAxes, fontsize=8)
        return
    good = [(a.t_s / 60.0, a.alpha1) for a in record.alpha1 if a.usable]
    bad = [(a.t_s / 60.0, a.alpha1) for a in record.alpha1 if not a.usable]
    if good:
        ax.plot(*zip(*good, strict=True), "o-", color="#3182bd", ms=2, lw=0.8)
    if bad:
        ax.plot(*zip(*bad, strict=True), "o", color="#bbbbbb", ms=2)
    ax.axhline(ALPHA1_AET, color="#636363", ls="--", lw=0.8)


def _widths(columns: int) -> list[float]:
    """Column widths: the reason takes what the others leave; effort and target (when there
    is an effort source) come out of its share."""
    if columns == 10:
        return [0.04, 0.08, 0.10, 0.07, 0.07, 0.07, 0.07, 0.09, 0.09, 0.32]
    return [0.04, 0.08, 0.12, 0.07, 0.07, 0.08, 0.08, 0.46]


def _table_axes(ax: Axes, data: ReportData) -> None:
    ax.axis("off")
    ax.set_title("Intervals", fontsize=9, loc="left")
    rows = data.interval_rows[:MAX_TABLE_ROWS]
    if not rows:
        ax.text(0, 0.9, "no intervals recorded", fontsize=8)
        return
    # Rows keep one height however many there are; the table fills the axes only when full.
    height = (len(rows) + 1) / (MAX_TABLE_ROWS + 2)
    table = ax.table(cellText=[list(r) for r in rows], colLabels=list(data.interval_columns),
                     cellLoc="left", colLoc="left",
                     bbox=Bbox.from_bounds(0.0, 1.0 - height, 1.0, height),
                     colWidths=_widths(len(data.interval_columns)))
    table.auto_set_font_size(False)
    table.set_fontsize(6.5)
    if len(data.interval_rows) > MAX_TABLE_ROWS:
        ax.text(0, 1.0 - height - 0.05,
                f"... and {len(data.interval_rows) - MAX_TABLE_ROWS} more intervals "
                "(all of them in the HTML report and the CSV export)",
                transform=ax.transAxes, fontsize=7, va="top")


def _text_axes(ax: Axes, data: ReportData) -> None:
    ax.axis("off")
    lines = [f"{label}: {value}" for label, value in data.figures]
    lines += ["", data.note]
    ax.text(0, 1, "\n".join(lines), va="top", fontsize=7, wrap=True, transform=ax.transAxes)


def report_figure(record: SessionRecord, data: ReportData) -> Figure:
    """The whole one-page report as a matplotlib Figure on an Agg canvas."""
    fig = Figure(figsize=A4_PORTRAIT_IN)
    FigureCanvasAgg(fig)
    fig.suptitle(data.title, fontsize=11, x=0.05, ha="left")
    grid = fig.add_gridspec(4, 2, height_ratios=[2.2, 1.4, 3.0, 2.2], hspace=0.45,
                            wspace=0.25, left=0.08, right=0.96, top=0.94, bottom=0.03)
    _hr_axes(fig.add_subplot(grid[0, :]), record)
    _zone_axes(fig.add_subplot(grid[1, 0]), data)
    _alpha1_axes(fig.add_subplot(grid[1, 1]), record)
    _table_axes(fig.add_subplot(grid[2, :]), data)
    _text_axes(fig.add_subplot(grid[3, :]), data)
    return fig


def plot_figure(record: SessionRecord, data: ReportData) -> Figure:
    """Only the plots, for the HTML report (its tables and figures are HTML text)."""
    fig = Figure(figsize=(8.0, 5.2))
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(2, 2, height_ratios=[1.6, 1.0], hspace=0.5, wspace=0.25,
                            left=0.08, right=0.97, top=0.94, bottom=0.1)
    _hr_axes(fig.add_subplot(grid[0, :]), record)
    _zone_axes(fig.add_subplot(grid[1, 0]), data)
    _alpha1_axes(fig.add_subplot(grid[1, 1]), record)
    return fig
