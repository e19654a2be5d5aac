"""The live plots: a scrolling heart-rate window, the whole-session overview, time per zone.

Each curve is created once; a coalescing timer calls ``setData`` with ring-buffer views when new
samples arrived, with peak downsampling and clip-to-view, so three hours on screen cost about as
much as three minutes. Times are plotted in minutes.
"""

from __future__ import annotations

import math
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
#: At most one redraw per frame of a 60 Hz screen: a fast simulated clock's burst of samples
#: costs one redraw, while a lone sample (a strap's 1 Hz) is drawn at once, in the same frame as
#: the readouts (one paint of the window per sample, not two).
FRAME_S: Final = 1 / 60
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
    # No grid: its lines across the whole plot cost more paint time than the curve and the
    # shading together (measured: ~3 of ~4.5 ms); the band and zone shading are the reference.
    item.setDownsampling(auto=True, mode="peak")
    item.setClipToView(True)
    return widget


#: The overview moves little per sample; redrawing it every few seconds is enough.
OVERVIEW_EVERY_S: Final = 5.0
#: ... half a strap interval after a live redraw, between two samples.
OVERVIEW_DELAY_S: Final = 0.4
#: Shading extends far beyond any view, so it never needs moving as the plot scrolls.
FAR_MIN: Final = 1e4
SHADE_TOP_BPM: Final = 260.0
#: The overview shows at least the first minute: also before any sample, where autoranging
#: would fit the shading's +-FAR_MIN instead.
OVERVIEW_MIN_S: Final = 60.0
#: Heart-rate axis until a band is shaded (which sets it around the band).
IDLE_BPM: Final = (60.0, 180.0)


def _rects(plot: pg.PlotWidget, colour: object, z: float) -> pg.BarGraphItem:
    """One item holding many shaded rectangles: one paint call for all of them."""
    item = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], pen=pg.mkPen(None),
                           brush=pg.mkBrush(colour))
    item.setZValue(z)
    plot.addItem(item)
    return item


class HeartRatePlots(QWidget):
    """Scrolling HR plot with band, zones and work/rest bands, next to the session overview."""

    def __init__(self, hr: RingBuffer, spans: list[PhaseSpan], theme: ThemeName = "light",
                 window_s: float = WINDOW_S) -> None:
        super().__init__()
        self.hr, self.spans, self.theme, self.window_s = hr, spans, theme, window_s
        colours = PLOT_COLOURS[theme]
        self.live = _plot("last minutes", theme)
        self.live.getPlotItem().setLabel("bottom", "minutes ago")
        self.live.setXRange(-window_s / 60.0, 0.0, padding=0)
        self.overview = _plot("whole session", theme)
        self._show_overview_until(0.0)
        for plot in (self.live, self.overview):
            plot.setYRange(*IDLE_BPM, padding=0)
        pen = pg.mkPen(colours["curve"], width=3)
        # connect="finite": a NaN (signal lost) breaks the line instead of bridging the gap.
        self.live_curve = self.live.plot([], [], pen=pen, connect="finite")
        self.overview_curve = self.overview.plot([], [], pen=pg.mkPen(colours["curve"], width=1),
                                                 connect="finite")
        self._shades: dict[str, list[pg.BarGraphItem]] = {"zones": [], "band": []}
        for phase in SHADED_PHASES:
            self._shades[phase] = [_rects(plot, colours[phase], -30)
                                   for plot in (self.live, self.overview)]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.redraw)
        self._last_redraw = -1.0
        self._drawn = (0, -1.0)  # the buffer as the last redraw found it (_newest)
        self._last_overview = -OVERVIEW_EVERY_S
        self._overview_timer = QTimer(self)
        self._overview_timer.setSingleShot(True)
        self._overview_timer.timeout.connect(self.redraw_overview)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.live, 3)
        layout.addWidget(self.overview, 2)
        self.redraws = 0

    def set_band(self, band: Band, zones: ZoneTable | None = None) -> None:
        """Shade the band (and, faintly, the zones); called once per session."""
        colours = PLOT_COLOURS[self.theme]
        for item in self._shades["zones"] + self._shades["band"]:
            item.getViewBox().removeItem(item) if item.getViewBox() else None
        self._shades["zones"], self._shades["band"] = [], []
        for plot in (self.live, self.overview):
            if zones is not None:
                brushes = []
                for zone in range(1, 6):
                    colour = pg.mkColor(zone_colour(self.theme, zone))
                    colour.setAlpha(ZONE_ALPHA)
                    brushes.append(pg.mkBrush(colour))
                lows = [0.0, *zones.upper_bpm[:4]]
                item = pg.BarGraphItem(x0=[-FAR_MIN] * 5, x1=[FAR_MIN] * 5, y0=lows,
                                       y1=[*zones.upper_bpm[:4], SHADE_TOP_BPM],
                                       pen=pg.mkPen(None), brushes=brushes)
                item.setZValue(-20)
                plot.addItem(item)
                self._shades["zones"].append(item)
            band_item = _rects(plot, colours["band"], -10)
            band_item.setOpts(x0=[-FAR_MIN], x1=[FAR_MIN], y0=[band.low_bpm], y1=[band.high_bpm])
            self._shades["band"].append(band_item)
        self._band_range = (max(40.0, band.low_bpm - 45), band.high_bpm + 45)
        self._y_range: tuple[float, float] | None = None
        self._follow_y(np.array([]))

    def _follow_y(self, hr_bpm: np.ndarray) -> None:
        """The y range: the band's, widened to every reading shown (in steps of 10 bpm, so
        the axis is laid out again only when a reading leaves it, not every frame)."""
        low, high = getattr(self, "_band_range", (60.0, 180.0))
        finite = hr_bpm[np.isfinite(hr_bpm)] if len(hr_bpm) else hr_bpm
        if len(finite):
            low = min(low, 10 * np.floor((float(finite.min()) - 5) / 10))
            high = max(high, 10 * np.ceil((float(finite.max()) + 5) / 10))
        wanted = (float(low), float(high))
        if wanted != getattr(self, "_y_range", None):
            self._y_range = wanted
            for plot in (self.live, self.overview):
                plot.setYRange(*wanted, padding=0)

    def y_range(self) -> tuple[float, float]:
        low, high = self.live.getPlotItem().viewRange()[1]
        return float(low), float(high)

    def data_arrived(self) -> None:
        """A new state: when the buffer took a sample since the last redraw, draw it now, so it
        is painted in the frame that paints the state's readouts; a burst of samples within one
        FRAME_S costs one redraw, and a state that added no sample (a tick between two
        readings, see SessionPresenter.PLOT_STEP_S) none."""
        if self._timer.isActive() or self._drawn == self._newest():
            return
        wait_s = self._last_redraw + FRAME_S - time.perf_counter()
        if wait_s <= 0:
            self.redraw()
        else:
            self._timer.start(max(1, math.ceil(1000 * wait_s)))

    def _newest(self) -> tuple[int, float]:
        """How many samples the buffer holds and the time of its newest (-1 when empty)."""
        t_s, _ = self.hr.last(1)
        return len(self.hr), float(t_s[0]) if len(t_s) else -1.0

    def redraw(self, overview: bool = False) -> None:
        """Show what the buffer holds; the overview only every OVERVIEW_EVERY_S (or if asked)."""
        now = time.perf_counter()
        self._last_redraw = now
        self._drawn = self._newest()
        t_s, _ = self.hr.last()
        if len(t_s) == 0:
            self.live_curve.setData([], [])
            self._draw_spans(0, [])
            self.redraw_overview()
            return
        t_end = float(t_s[-1])
        start = max(0.0, t_end - self.window_s)
        window_t, window_hr = self.hr.since(start - 2.0)
        # Minutes before now: the axis stays still while the curve scrolls, so its ticks and
        # labels are not laid out again for every sample (a third of a paint, measured).
        self.live_curve.setData((window_t - t_end) / 60.0, window_hr, connect="finite")
        self._follow_y(self.hr.last()[1])  # the session's readings: both plots, one range
        # Only the spans inside the live window: a few rectangles, whatever the session length.
        recent = [s for s in self.spans[-12:] if s.end_s >= start]
        self._draw_spans(0, recent, t_end)
        if overview:
            self.redraw_overview()
        elif now - self._last_overview >= OVERVIEW_EVERY_S and not self._overview_timer.isActive():
            self._overview_timer.start(int(1000 * OVERVIEW_DELAY_S))
        self.redraws += 1

    def redraw_overview(self) -> None:
        """The whole session; on its own timer so it never delays a live sample's paint."""
        self._last_overview = time.perf_counter()
        t_s, hr_bpm = self.hr.last()
        if len(t_s) == 0:
            self.overview_curve.setData([], [])
            self._draw_spans(1, [])
            self._show_overview_until(0.0)
            return
        self.overview_curve.setData(t_s / 60.0, hr_bpm, connect="finite")
        self._follow_y(hr_bpm)
        self._show_overview_until(float(t_s[-1]))
        self._draw_spans(1, self.spans)

    def _show_overview_until(self, t_end_s: float) -> None:
        self.overview.setXRange(0.0, max(t_end_s, OVERVIEW_MIN_S) / 60.0, padding=0.01)

    def _draw_spans(self, plot_index: int, spans: list[PhaseSpan], t0_s: float = 0.0) -> None:
        for phase in SHADED_PHASES:
            x0 = [(s.start_s - t0_s) / 60.0 for s in spans if s.phase == phase]
            x1 = [(s.end_s - t0_s) / 60.0 for s in spans if s.phase == phase]
            self._shades[phase][plot_index].setOpts(x0=x0, x1=x1, y0=[0.0] * len(x0),
                                                    y1=[SHADE_TOP_BPM] * len(x0))

    def clear(self) -> None:
        self.redraw(overview=True)


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
        self._show_up_to(0.0)

    def _show_up_to(self, minutes: float) -> None:
        # at least one minute: autoranging all-zero bars would centre them on -0.4..0.4
        self.setYRange(0, max(1.0, minutes * 1.1), padding=0)

    def show_state(self, state: SessionState) -> None:
        self.show_seconds(state.time_in_zone_s)

    def show_seconds(self, time_in_zone_s: tuple[float, ...]) -> None:
        # tenths of a minute: the bars move visibly, yet redraw a few times a minute at most
        minutes = np.round(np.asarray(time_in_zone_s, dtype=float) / 60.0, 1)
        if not np.array_equal(minutes, self.minutes):
            self.minutes = minutes
            self.bars.setOpts(height=minutes)
            self._show_up_to(float(minutes.max()))
