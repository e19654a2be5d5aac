"""A small closed-loop strap for the dashboard tests: heart rate moves first-order toward an
effort that follows the phase, one reading a second, with optional gaps (signal loss).

It is a real HeartRateSource; the full simulated athlete (core.sources.simulated) is used where
it is installed, this one where exact gaps are needed.
"""

from __future__ import annotations

import math

from zonetrainer.core.model import Band, HeartRateSample, SessionState, SourceStatus
from zonetrainer.core.sources.base import HeartRateSource


class FollowingStrap(HeartRateSource):
    source_id = "test-strap"

    def __init__(self, band: Band, gaps: tuple[tuple[float, float], ...] = (),
                 tau_s: float = 20.0, start_bpm: float = 75.0) -> None:
        self.band, self.gaps, self.tau_s = band, gaps, tau_s
        self.hr_bpm = start_bpm
        self.target_bpm = band.low_bpm - 10
        self._next_s = 1.0
        self.started = self.stopped = False

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    def _in_gap(self, t_s: float) -> bool:
        return any(a <= t_s < b for a, b in self.gaps)

    def drain(self, now_s: float) -> list[HeartRateSample]:
        out = []
        while self._next_s <= now_s:
            self.hr_bpm += (self.target_bpm - self.hr_bpm) * (1 - math.exp(-1.0 / self.tau_s))
            if not self._in_gap(self._next_s):
                out.append(HeartRateSample(self._next_s, round(self.hr_bpm, 1), contact=True,
                                           source_id=self.source_id))
            self._next_s += 1.0
        return out

    def follow(self, state: SessionState) -> None:
        low, high = self.band.low_bpm, self.band.high_bpm
        self.target_bpm = {"work": high + 20, "rest": low - 20, "warmup": low - 5,
                           "cooldown": low - 25}.get(state.phase, self.target_bpm)

    def status(self) -> SourceStatus:
        link = "lost" if self._in_gap(self._next_s - 1.0) else "connected"
        return SourceStatus(self.source_id, link, name="Test strap", battery_pct=80,
                            rssi_dbm=-60)
