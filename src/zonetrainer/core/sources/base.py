"""The one interface every heart-rate source offers: a BLE strap, the simulator, a replay."""

from __future__ import annotations

from abc import ABC, abstractmethod

from zonetrainer.core.errors import UserError
from zonetrainer.core.model import HeartRateSample, SessionEvent, SessionState, SourceStatus


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
