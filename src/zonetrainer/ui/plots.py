"""The live plots: a scrolling heart-rate window, the whole-session overview, time per zone.

Each curve is created once; a coalescing timer calls ``setData`` with ring-buffer views when new
samples arrived, with peak downsampling and clip-to-view, so three hours on screen cost about as
much as three minutes. Times are plotted in minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QWidget

from zonetrainer.core.model import Band, SessionState, ZoneTable
from zonetrainer.core.ringbuffer import RingBuffer
from zonetrainer.ui.presenter import PhaseSpan
from zonetrainer.ui.theme import PLOT_COLOURS, ThemeName, zone_colour

#: Scrolling window: 8 minutes shows two whole work/rest pairs of the shipped plans.
WINDOW_S: Final = 8 * 60.0
#: A redraw waits this long after a sample, so a burst of samples costs one redraw.
COALESCE_MS: Final = 5
SHADED_PHASES: Final = ("work", "rest")
#: Zones are only a faint backdrop: the band must stand out.
ZONE_ALPHA: Final = 12


class TimedPlotWidget(pg.PlotWidget):
    """A PlotWidget that reports when a paint finished (for the latency benchmark)."""

    painted: Callable[[float], None] | None = None

    def paintEvent(self, event: object) -> None:
        super().paintEvent(event)
        if self.painted is not None:
            self.painted(time.perf_counter())


def _plot(title: str, theme: ThemeName) -> TimedPlotWidget:
    colours = PLOT_COLOURS[theme]
    widget = TimedPlotWidget(background=colours["background"])
    item = widget.getPlotItem()
    item.setTitle(title, color=colours["foreground"])
    item.setLabel("bottom", "min")
    item.setLabel("left", "bpm")
    item.setMenuEnabled(False)
    item.setMouseEnabled(x=False, y=False)
    item.hideButtons()
    item.showGrid(x=True, y=True, alpha=0.15)
    item.setDownsampling(auto=True, mode="peak")
    item.setClipToView(True)
    return widget


class HeartRatePlots(QWidget):
    """Scrolling HR plot with band, zones and work/rest bands, next to the session overview."""

    def __init__(self, hr: RingBuffer, spans: list[PhaseSpan], theme: ThemeName = "light",
                 window_s: float = WINDOW_S) -> None:
        super().__init__()
        self.hr, self.spans, self.theme, self.window_s = hr, spans, theme, window_s
        colours = PLOT_COLOURS[theme]
        self.live = _plot("last minutes", theme)
        self.overview = _plot("whole session", theme)
        pen = pg.mkPen(colours["curve"], width=3)
        # connect="finite": a NaN (signal lost) breaks the line instead of bridging the gap.
        self.live_curve = self.live.plot([], [], pen=pen, connect="finite")
        self.overview_curve = self.overview.plot([], [], pen=pg.mkPen(colours["curve"], width=1),
                                                 connect="finite")
        self._band_items: list[pg.LinearRegionItem] = []
        self._zone_items: list[pg.LinearRegionItem] = []
        self._span_items: dict[str, list[pg.LinearRegionItem]] = {"live": [], "overview": []}
        self._spans_drawn = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.redraw)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.live, 3)
        layout.addWidget(self.overview, 2)
        self.redraws = 0

    def _region(self, plot: pg.PlotWidget, low: float, high: float, colour: object,
                orientation: str, z: float) -> pg.LinearRegionItem:
        item = pg.LinearRegionItem(values=(low, high), orientation=orientation, movable=False,
                                   brush=pg.mkBrush(colour), pen=pg.mkPen(None))
        item.setZValue(z)
        plot.addItem(item)
        return item

    def set_band(self, band: Band, zones: ZoneTable | None = None) -> None:
        """Shade the band (and, faintly, the zones); called once per session."""
        colours = PLOT_COLOURS[self.theme]
        for item in self._band_items + self._zone_items:
            item.getViewBox().removeItem(item) if item.getViewBox() else None
        self._band_items, self._zone_items = [], []
        for plot in (self.live, self.overview):
            if zones is not None:
                lower = 0.0
                for zone, top in enumerate(zones.upper_bpm, start=1):
                    colour = pg.mkColor(zone_colour(self.theme, zone))
                    colour.setAlpha(ZONE_ALPHA)
                    self._zone_items.append(self._region(plot, lower, top, colour,
                                                         "horizontal", -20))
                    lower = top
            self._band_items.append(self._region(plot, band.low_bpm, band.high_bpm,
                                                 colours["band"], "horizontal", -10))
            plot.setYRange(max(40.0, band.low_bpm - 45), band.high_bpm + 45, padding=0)

    def data_arrived(self) -> None:
        """New samples are in the buffer: schedule one redraw (coalesced)."""
        if not self._timer.isActive():
            self._timer.start()

    def redraw(self) -> None:
        t_s, hr_bpm = self.hr.last()
        if len(t_s) == 0:
            self.live_curve.setData([], [])
            self.overview_curve.setData([], [])
            return
        t_end = float(t_s[-1])
        start = max(0.0, t_end - self.window_s)
        window_t, window_hr = self.hr.since(start - 2.0)
        self.live_curve.setData(window_t / 60.0, window_hr, connect="finite")
        self.overview_curve.setData(t_s / 60.0, hr_bpm, connect="finite")
        self.live.setXRange(start / 60.0, max(t_end, self.window_s) / 60.0, padding=0)
        self.overview.setXRange(0.0, max(t_end, 60.0) / 60.0, padding=0.01)
        self._draw_spans()
        self.redraws += 1

    def _draw_spans(self) -> None:
        colours = PLOT_COLOURS[self.theme]
        spans = [s for s in self.spans if s.phase in SHADED_PHASES]
        for key, plot in (("live", self.live), ("overview", self.overview)):
            items = self._span_items[key]
            for index, span in enumerate(spans):
                values = (span.start_s / 60.0, span.end_s / 60.0)
                if index < len(items):
                    if index >= len(items) - 1:  # only the newest span still grows
                        items[index].setRegion(values)
                else:
                    items.append(self._region(plot, *values, colours[span.phase], "vertical",
                                              -30))

    def clear(self) -> None:
        for key, plot in (("live", self.live), ("overview", self.overview)):
            for item in self._span_items[key]:
                plot.removeItem(item)
            self._span_items[key] = []
        self.redraw()


class ZoneBars(pg.PlotWidget):
    """Minutes spent in each of the five zones, as coloured bars."""

    def __init__(self, theme: ThemeName = "light") -> None:
        colours = PLOT_COLOURS[theme]
        super().__init__(background=colours["background"])
        item = self.getPlotItem()
        item.setTitle("time in zone (min)", color=colours["foreground"])
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.getAxis("bottom").setTicks([[(z, f"Z{z}") for z in range(1, 6)]])
        self.bars = pg.BarGraphItem(x=np.arange(1, 6), height=np.zeros(5), width=0.7,
                                    brushes=[zone_colour(theme, z) for z in range(1, 6)])
        self.addItem(self.bars)
        self.minutes = np.zeros(5)

    def show_state(self, state: SessionState) -> None:
        minutes = np.asarray(state.time_in_zone_s, dtype=float) / 60.0
        if not np.array_equal(minutes, self.minutes):
            self.minutes = minutes
            self.bars.setOpts(height=minutes)
            self.setYRange(0, max(1.0, float(minutes.max()) * 1.1), padding=0)
