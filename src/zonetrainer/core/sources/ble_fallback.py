"""A source that tries a strap first and falls back to another source (the simulated strap)
when the strap or the Bluetooth adapter cannot be reached.

Used when the user names no strap: the remembered one is tried, and anyone without a strap or
an adapter still gets a working session. The choice happens inside ``start`` so the strap is
connected on the same event loop the session then runs on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from zonetrainer.core.model import HeartRateSample, SessionEvent, SessionState, SourceStatus
from zonetrainer.core.sources.base import HeartRateSource, SourceError

log = logging.getLogger(__name__)


class FallbackSource(HeartRateSource):
    """``primary`` if it starts, else the source ``fallback()`` builds."""

    def __init__(self, primary: HeartRateSource, fallback: Callable[[], HeartRateSource],
                 on_fallback: Callable[[str], None] | None = None,
                 fallback_name: str = "the simulated strap") -> None:
        self._primary, self._fallback = primary, fallback
        self._fallback_name = fallback_name
        self._on_fallback = on_fallback
        self.active: HeartRateSource = primary
        self.source_id = primary.source_id
        self.fell_back_because: str | None = None
        self._events: list[SessionEvent] = []

    async def start(self) -> None:
        try:
            await self._primary.start()
        except SourceError as exc:
            await self._primary.stop()
            self.fell_back_because = str(exc)
            self.active = self._fallback()
            self.source_id = self.active.source_id
            message = f"{exc} Using {self._fallback_name} instead."
            log.warning("%s", message)
            # the header names the strap that was tried; the stored session must say why
            # its readings come from somewhere else (at 0 s: this happens before the start)
            self._events.append(SessionEvent(0.0, "source_fallback", message))
            if self._on_fallback is not None:
                self._on_fallback(message)
            await self.active.start()

    def drain(self, now_s: float) -> list[HeartRateSample]:
        return self.active.drain(now_s)

    async def stop(self) -> None:
        await self.active.stop()

    def status(self) -> SourceStatus:
        return self.active.status()

    @property
    def finished(self) -> bool:
        return self.active.finished

    def follow(self, state: SessionState) -> None:
        self.active.follow(state)

    def take_events(self) -> list[SessionEvent]:
        events, self._events = self._events, []
        return events + self.active.take_events()
