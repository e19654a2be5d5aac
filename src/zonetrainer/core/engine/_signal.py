"""The engine's view of the signal: is the heart rate live, when was it lost and back, alpha1.

Counting (time in band, per zone, spikes) follows :mod:`zonetrainer.core.signal`; this module
adds the events a lost or returning signal leaves in the record and feeds RR to DFA alpha1.
"""

from __future__ import annotations

import importlib
import logging
from typing import Protocol

from zonetrainer.core.model import Alpha1Reading, Band, HeartRateSample, SessionEvent, ZoneTable
from zonetrainer.core.signal import LOST_AFTER_S, LiveCounter, live_hr

log = logging.getLogger(__name__)


class Alpha1Source(Protocol):
    def add(self, t_s: float, rr_ms: tuple[float, ...]) -> Alpha1Reading | None: ...


def default_alpha1() -> Alpha1Source | None:
    """The signal part's live DFA alpha1 tracker (2-minute window), if it is installed."""
    try:
        dfa = importlib.import_module("zonetrainer.core.signal")
    except ImportError:  # the signal part is optional for a session to run
        log.warning("zonetrainer.core.signal is not available: no live DFA alpha1")
        return None
    tracker: Alpha1Source = dfa.Alpha1Tracker()
    return tracker


class SignalWatch:
    """Takes every reading; says the live heart rate and notes ``signal_lost``/``signal_back``."""

    def __init__(self, band: Band, zones: ZoneTable, alpha1: Alpha1Source | None,
                 events: list[SessionEvent]) -> None:
        self.counter = LiveCounter(band, zones)
        self.readings: list[Alpha1Reading] = []
        self.alpha1: float | None = None
        self.corrected_share: float | None = None
        self._tracker = alpha1
        self._events = events  # the engine's list: events land in the record in order
        self._last_valid_s: float | None = None  # the latest reading accepted as live HR
        self._last_invalid_s: float | None = None
        self._lost_reported = True  # no signal yet; "signal_back" on the first reading

    def take(self, sample: HeartRateSample) -> float | None:
        """Count one reading; returns its heart rate if it was accepted (not unusable, no spike)."""
        accepted = self.counter.add(sample)
        hr = live_hr(sample)
        if sample.rr_ms and self._tracker is not None:
            reading = self._tracker.add(sample.t_s, tuple(sample.rr_ms))
            if reading is not None:
                self.readings.append(reading)
                self.alpha1, self.corrected_share = reading.alpha1, reading.corrected_share
        if hr is None:
            self._last_invalid_s = sample.t_s
            self._lost(sample.t_s, "no heart rate in the reading")
            return None
        if not accepted:
            return None
        self._last_valid_s = sample.t_s
        if self._lost_reported:
            self._lost_reported = False
            self._events.append(SessionEvent(sample.t_s, "signal_back", f"{hr:.0f} bpm"))
        return hr

    def advance(self, now_s: float) -> None:
        """Time passes: count it, and note a loss once the last reading is too old."""
        self.counter.advance(now_s)
        if self.live_hr_at(now_s) is None and self._last_valid_s is not None:
            since = self._last_valid_s + LOST_AFTER_S
            if self._last_invalid_s is not None and self._last_invalid_s > self._last_valid_s:
                since = self._last_invalid_s
            self._lost(since, f"no reading for {LOST_AFTER_S:g} s")

    def live_hr_at(self, now_s: float) -> float | None:
        return self.counter.live_hr_at(now_s)

    def _lost(self, t_s: float, detail: str) -> None:
        if not self._lost_reported:
            self._lost_reported = True
            self._events.append(SessionEvent(t_s, "signal_lost", detail))
