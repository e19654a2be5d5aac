"""Injected clocks: the same engine runs in real time, N times faster, or as fast as possible.

Nothing in the core reads the wall clock itself; it asks the clock it was given.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod


class Clock(ABC):
    """Session time in seconds, starting near 0, and a way to wait for a moment of it."""

    @abstractmethod
    def now_s(self) -> float:
        """Seconds of session time elapsed."""

    @abstractmethod
    async def sleep_until(self, t_s: float) -> None:
        """Return once session time has reached ``t_s`` (at once if it already has)."""


class ScaledClock(Clock):
    """Wall time multiplied by ``speed``: 1.0 is real time, 60.0 runs an hour in a minute."""

    def __init__(self, speed: float = 1.0, monotonic: object = time.monotonic) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive; use VirtualClock for 'as fast as possible'")
        self.speed = speed
        self._monotonic = monotonic
        self._start = self._read()

    def _read(self) -> float:
        return float(self._monotonic())  # type: ignore[operator]

    def now_s(self) -> float:
        return (self._read() - self._start) * self.speed

    async def sleep_until(self, t_s: float) -> None:
        delay_s = (t_s - self.now_s()) / self.speed
        await asyncio.sleep(max(0.0, delay_s))


class VirtualClock(Clock):
    """Time that jumps: ``sleep_until`` advances it at once. For tests, benchmarks, --speed 0."""

    def __init__(self, start_s: float = 0.0) -> None:
        self._now_s = start_s

    def now_s(self) -> float:
        return self._now_s

    def advance_to(self, t_s: float) -> None:
        self._now_s = max(self._now_s, t_s)

    async def sleep_until(self, t_s: float) -> None:
        self.advance_to(t_s)
        await asyncio.sleep(0)  # let other tasks run, as a real sleep would


def clock_for_speed(speed: float) -> Clock:
    """The clock for a ``--speed`` option: 0 means as fast as the machine can go."""
    if speed < 0:
        raise ValueError(f"speed must be 0 (as fast as possible) or positive, not {speed}")
    return VirtualClock() if speed == 0 else ScaledClock(speed)
