"""The interfaces sources offer: every heart-rate source (a BLE strap, the simulator, a replay),
and every effort source (a fitness machine or an effort sensor)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from zonetrainer.core.errors import UserError
from zonetrainer.core.model import (
    EffortSample,
    EffortUnit,
    HeartRateSample,
    SessionEvent,
    SessionState,
    SourceStatus,
)


class SourceError(UserError):
    """A source could not start or went wrong in a way the user must hear about."""


class HeartRateSource(ABC):
    """A stream of :class:`HeartRateSample` values on the session clock.

    The session runner owns the loop: it calls :meth:`start` once, then on every tick
    :meth:`drain` with the current session time, and :meth:`stop` at the end. A source never
    blocks in :meth:`drain`; a live strap queues what its notifications delivered, a simulator
    or a replay produces what falls due up to ``now_s``. A gap in the signal is simply a tick
    with nothing to drain: the engine notices the silence by itself.
    """

    source_id: str = "source"

    @abstractmethod
    async def start(self) -> None:
        """Connect or open. Raise :class:`SourceError` with a clear message on failure."""

    @abstractmethod
    def drain(self, now_s: float) -> list[HeartRateSample]:
        """Every sample that arrived (or fell due) up to ``now_s``, oldest first."""

    @abstractmethod
    async def stop(self) -> None:
        """Disconnect or close; safe to call twice."""

    def status(self) -> SourceStatus:
        """Link state, battery, signal strength, for the status line."""
        return SourceStatus(source_id=self.source_id, link="connected")

    @property
    def finished(self) -> bool:
        """True once a finite source (a replay) has nothing more to give."""
        return False

    def follow(self, state: SessionState) -> None:  # noqa: B027 - optional hook
        """Told what the athlete is asked to do now (phase, cue, ramp step); only the simulated
        athlete listens: it is a closed loop."""

    def take_events(self) -> list[SessionEvent]:
        """Link events since the last call, oldest first, for the runner to record (a BLE
        strap: "connected", "disconnected", "reconnected"). Sources without a link have none."""
        return []


@dataclass(frozen=True, slots=True)
class EffortRange:
    """What a machine supports as a target (FTMS Supported Speed / Power Range), in ``unit``."""

    low: float
    high: float
    step: float
    unit: EffortUnit

    def clamp(self, value: float) -> float:
        """The nearest supported target: inside the range, on the step grid from ``low``."""
        inside = min(self.high, max(self.low, value))
        if self.step <= 0:
            return inside
        steps = round((inside - self.low) / self.step)
        return min(self.high, self.low + steps * self.step)


class EffortSource(ABC):
    """A stream of :class:`EffortSample` values on the session clock: a fitness machine (FTMS
    treadmill, trainer, cross trainer, rower) or an effort sensor (Cycling Power 0x1818,
    Running Speed and Cadence 0x1814). Driven by the runner like a :class:`HeartRateSource`:
    :meth:`start` once, :meth:`drain` every tick, :meth:`stop` at the end.

    A machine that accepts targets says so in :attr:`controllable` (after :meth:`start`: the
    machine may refuse control) and takes them through :meth:`request_target`, which never
    blocks: the write and its indication happen in the background, and the outcome shows in
    :meth:`status` and :meth:`take_events`.
    """

    source_id: str = "effort"
    unit: EffortUnit = "W"

    @abstractmethod
    async def start(self) -> None:
        """Connect (and request control of a machine). Raise :class:`SourceError` on failure."""

    @abstractmethod
    def drain(self, now_s: float) -> list[EffortSample]:
        """Every reading that arrived up to ``now_s``, oldest first."""

    @abstractmethod
    async def stop(self) -> None:
        """Put a controlled machine to its rest effort or stop it, then disconnect; safe twice."""

    @property
    def controllable(self) -> bool:
        """True while the machine accepts targets from us."""
        return False

    @property
    def supported_range(self) -> EffortRange | None:
        """The machine's supported target range, None when it reports none."""
        return None

    def request_target(self, value: float) -> None:  # noqa: B027 - sensors take no target
        """Ask the machine to run ``value`` (clamped to :attr:`supported_range`). A sensor, or a
        machine that is not controllable now, ignores it."""

    def request_incline(self, incline_pct: float) -> None:  # noqa: B027 - most take none
        """Ask a treadmill to hold the grade ``incline_pct`` (clamped to what it supports).
        Anything that is not a controllable treadmill taking target inclinations ignores it."""

    def status(self) -> SourceStatus:
        return SourceStatus(source_id=self.source_id, link="connected")

    def take_events(self) -> list[SessionEvent]:
        """Link and control events since the last call ("control refused", "disconnected")."""
        return []
