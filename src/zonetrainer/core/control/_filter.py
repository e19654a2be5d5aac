"""Cleaning of the heart rate the control loop decides on: gaps, 0 bpm, spikes, trend.

A strap's 1 Hz heart rate has gaps, 0 bpm on contact loss, and single-sample spikes (a missed
or extra beat moves the reported rate by 10-40 bpm for one notification). The loop must never
switch on those, yet it must see a real change (HR rises at most a few bpm per second) at once.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Final

from zonetrainer.core.signal import (
    MAX_RATE_BPM_PER_S,
    MAX_VALID_BPM,
    MIN_VALID_BPM,
    SPIKE_CONFIRM_S,
    SPIKE_GATE_BPM,
)

#: The most a first reading after a gap may differ from the last level before it is believed
#: without a second reading: strap spikes reach 25-60 bpm (missed or extra beats).
MAX_GAP_JUMP_BPM: Final = 40.0

#: A rejected reading confirms a new level only if the next usable one comes this soon after.
PENDING_FOR_S: Final = 5.0

#: A silence this long before a jump makes it "after a gap" (a strap notifies about once a second).
GAP_BEFORE_JUMP_S: Final = 2.5

#: Length of the trend window. Long enough that a noise SD of 2-3 bpm (DESIGN.md) leaves a slope
#: error near 0.15 bpm/s, short enough to follow a switch within a dead time.
TREND_WINDOW_S: Final = 15.0


@dataclass(frozen=True, slots=True)
class CleanReading:
    """What the filter makes of one reading. ``hr_bpm`` None: no usable heart rate now."""

    hr_bpm: float | None
    slope_bpm_per_s: float = 0.0
    raw_bpm: float | None = None  # the accepted reading itself (None when rejected or missing)
    above_safety: bool = False
    rejected: bool = False
    span_s: float = 0.0  # how many seconds of readings the trend rests on


class HeartRateFilter:
    """Turns raw readings into a cleaned HR and its trend; knows when the signal was last live."""

    def __init__(self, safety_max_bpm: float | None = None) -> None:
        self._safety_max = safety_max_bpm
        self._window: deque[tuple[float, float]] = deque()
        self._pending: tuple[float, float] | None = None
        self._last_valid_t: float | None = None
        self._last_level_bpm = 0.0
        self._first_t: float | None = None
        # The least-squares line of the window as it is now, until the window changes (the
        # next reading is judged against the same window the last one was fitted on).
        self._line: tuple[float, float, float] | None = None

    def restart(self) -> None:
        """Forget the readings so far: the next one is judged afresh, as the first. After a
        pause the block's clock has stood still while the heart went on, so a changed level
        is no spike (judged as one, it held the loop in "hold" for seconds after a resume)."""
        self._window.clear()
        self._line = None
        self._pending = None
        self._last_valid_t = None
        self._first_t = None

    def lost_for_s(self, t: float) -> float:
        """Seconds since the last usable reading (since the first call if there was none)."""
        ref = self._last_valid_t if self._last_valid_t is not None else self._first_t
        return 0.0 if ref is None else t - ref

    def add(self, t: float, hr: float | None) -> CleanReading:
        if self._first_t is None:
            self._first_t = t
        if not _usable(hr):
            self._drop_old(t)
            return CleanReading(None)
        assert hr is not None
        value = float(hr)
        if not self._plausible(t, value):
            if self._confirms_pending(t, value):
                # Readings agree on a new level (after a gap, or for long enough): a real jump.
                assert self._pending is not None
                self._window.clear()
                self._window.append(self._pending)
                self._line = None
                self._pending = None
            else:
                if not self._agrees_with_pending(t, value):
                    self._pending = (t, value)
                self._drop_old(t)
                return CleanReading(None, rejected=True)
        self._pending = None
        self._window.append((t, value))
        self._line = None
        self._last_valid_t = t
        self._drop_old(t)
        level, slope = self._trend(t)
        assert level is not None
        self._last_level_bpm = level
        above = self._safety_max is not None and value > self._safety_max
        return CleanReading(level, slope, raw_bpm=value, above_safety=above,
                            span_s=t - self._window[0][0])

    def _agrees_with_pending(self, t: float, value: float) -> bool:
        return (self._pending is not None and abs(value - self._pending[1]) <= SPIKE_GATE_BPM
                and t - self._pending[0] <= PENDING_FOR_S)

    def _confirms_pending(self, t: float, value: float) -> bool:
        if not self._agrees_with_pending(t, value):
            return False
        assert self._pending is not None
        after_gap = (self._last_valid_t is None
                     or self._pending[0] - self._last_valid_t >= GAP_BEFORE_JUMP_S)
        return after_gap or t - self._pending[0] >= SPIKE_CONFIRM_S

    def _plausible(self, t: float, value: float) -> bool:
        if self._window:
            level, _ = self._trend(t)
            last_t = self._window[-1][0]
        elif self._last_valid_t is not None:
            # After a gap longer than the window, judge against the last level known, but
            # never allow more than the largest change a spike could fake.
            level, last_t = self._last_level_bpm, self._last_valid_t
        else:
            return True  # the very first reading: nothing to judge it by
        assert level is not None
        allowed = SPIKE_GATE_BPM + MAX_RATE_BPM_PER_S * max(0.0, t - last_t)
        return abs(value - level) <= min(allowed, MAX_GAP_JUMP_BPM)

    def _drop_old(self, t: float) -> None:
        while self._window and self._window[0][0] < t - TREND_WINDOW_S:
            self._window.popleft()
            self._line = None

    def _trend(self, t: float) -> tuple[float | None, float]:
        """Least-squares line through the window: its value at ``t`` and its slope."""
        n = len(self._window)
        if n == 0:
            return None, 0.0
        if n < 3:
            return self._window[-1][1], 0.0
        if self._line is None:
            self._line = self._fit_line(n)
        mean_t, mean_v, slope = self._line
        if slope != slope:  # (NaN: no spread of times, no slope)
            return mean_v, 0.0
        return mean_v + slope * (t - mean_t), slope

    def _fit_line(self, n: int) -> tuple[float, float, float]:
        """(mean time, mean value, slope) of the window; slope NaN when the times coincide."""
        t0 = self._window[0][0]  # sums about the first time keep the arithmetic exact enough
        st = sv = stt = stv = 0.0
        for pt, pv in self._window:
            x = pt - t0
            st += x
            sv += pv
            stt += x * x
            stv += x * pv
        mean_t, mean_v = st / n, sv / n
        sxx = stt - n * mean_t * mean_t
        if sxx <= 1e-12:
            return mean_t + t0, mean_v, math.nan
        slope = (stv - n * mean_t * mean_v) / sxx
        return mean_t + t0, mean_v, slope


def _usable(hr: float | None) -> bool:
    if hr is None or isinstance(hr, bool):
        return False
    try:
        value = float(hr)
    except (TypeError, ValueError):
        return False
    return math.isfinite(value) and MIN_VALID_BPM <= value <= MAX_VALID_BPM
