"""How the session runner drives an :class:`EffortSource` so that the session never dies
because the machine does: every call is guarded, a failure is logged and recorded once as an
event, and the session goes on with cues.

Targets: the state's ``target_effort`` is sent when it changes. When the safety ceiling
forces a rest it is sent at once, on the same tick; if the loop names no target then (no
effort lever), a machine already steered is sent the bottom of its supported range. While the
athlete has paused the session a steered machine runs the bottom of its range too (a belt
that kept its work speed through a pause would throw the athlete off); on resume the loop's
target goes out again.

Grades: ``inclines`` holds each plan block's ``incline_pct`` (None where it names none). The
grade of the block running now is sent when it changes; it is held, never steered. Once a grade
was sent, a block naming none, a pause and a safety rest run flat (0 %); a plan naming no grade
never sends one, so the athlete's own incline stays as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from zonetrainer.core.model import EffortSample, SessionEvent, SessionState
from zonetrainer.core.sources.base import EffortSource

log = logging.getLogger(__name__)

T = TypeVar("T")


class EffortDriver:
    """One effort source in a session: started, drained, steered and stopped safely."""

    def __init__(self, source: EffortSource, now_s: Callable[[], float],
                 inclines: Sequence[float | None] = ()) -> None:
        self.source = source
        self.inclines = tuple(inclines)
        self.sent_incline: float | None = None  # the last grade handed to the source
        self._now_s = now_s
        self.sent: float | None = None  # the last target handed to the source
        self.failures = 0
        self._events: list[SessionEvent] = []
        self._was_safety = False

    async def start(self) -> None:
        """Start the source; a :class:`SourceError` goes to the caller (nothing started yet)."""
        await self.source.start()

    def take(self, now_s: float) -> tuple[list[SessionEvent], list[EffortSample]]:
        """The source's events (and ours) and its readings up to ``now_s``."""
        no_events: list[SessionEvent] = []
        no_samples: list[EffortSample] = []
        events = self._guard("events", self.source.take_events, no_events)
        samples = self._guard("readings", lambda: self.source.drain(now_s), no_samples)
        mine, self._events = self._events, []
        return [*events, *mine], samples

    def steer(self, state: SessionState) -> None:
        """Send the target the state asks for, if it changed (at once on a safety rest)."""
        self._steer_incline(state)
        target = state.target_effort
        safety_began = state.safety_rest and not self._was_safety
        self._was_safety = state.safety_rest
        # paused by the athlete: the machine slows to its lowest target, whatever the loop says
        if self.sent is not None and (state.paused or (target is None and state.safety_rest)):
            span = self._guard("range", lambda: self.source.supported_range, None)
            target = span.low if span is not None else target
        if target is None or (target == self.sent and not safety_began):
            return
        self.sent = target
        self._guard("target", lambda: self.source.request_target(target), None)

    def _steer_incline(self, state: SessionState) -> None:
        if not any(i is not None for i in self.inclines) or state.done:
            return
        index = state.block_index
        held = self.inclines[index] if 0 <= index < len(self.inclines) else None
        grade = 0.0 if state.paused or state.safety_rest or held is None else held
        if grade != self.sent_incline and (self.sent_incline is not None or held is not None):
            self.sent_incline = grade
            self._guard("incline", lambda: self.source.request_incline(grade), None)

    async def stop(self) -> None:
        try:
            await self.source.stop()
        except Exception as exc:  # the session is stored already: a stuck machine is logged
            log.error("stopping the effort source %s: %s", self.source.source_id, exc)

    def _guard(self, what: str, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except Exception as exc:
            self.failures += 1
            if self.failures > 1:  # once with its traceback; a dead machine fails every tick
                log.debug("effort source %s failed again (%s): %s", self.source.source_id,
                          what, exc)
                return fallback
            log.exception("effort source %s failed (%s)", self.source.source_id, what)
            self._events.append(SessionEvent(self._now_s(), "machine_error",
                                             f"{what}: {exc}; the session goes on"))
            return fallback
