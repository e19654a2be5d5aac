"""Timer (moving) time against elapsed time.

Elapsed time runs from the start to the end whatever happens; the timer stops while the session
is paused (a device's auto-pause or stop button, the Space key here). FIT keeps both
(``total_timer_time`` and ``total_elapsed_time``); TCX's lap ``TotalTimeSeconds`` is the timer
time. Pauses are recorded as ``pause`` / ``resume`` events; these helpers turn them into spans
and timer times, for a session stored before its timer time was known.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from zonetrainer.core.model import IntervalRecord, SessionEvent, SessionRecord

PAUSE_EVENT = "pause"
RESUME_EVENT = "resume"


def paused_spans(events: Iterable[SessionEvent], end_s: float) -> list[tuple[float, float]]:
    """(start, end) of every pause, in time order; a pause never resumed lasts to ``end_s``."""
    spans: list[tuple[float, float]] = []
    since: float | None = None
    for event in sorted(events, key=lambda e: e.t_s):
        if event.kind == PAUSE_EVENT and since is None:
            since = event.t_s
        elif event.kind == RESUME_EVENT and since is not None:
            spans.append((since, max(since, event.t_s)))
            since = None
    if since is not None and end_s > since:
        spans.append((since, end_s))
    return spans


def paused_within(spans: Sequence[tuple[float, float]], start_s: float, end_s: float) -> float:
    """Seconds of ``spans`` that fall between ``start_s`` and ``end_s``."""
    return sum(max(0.0, min(b, end_s) - max(a, start_s)) for a, b in spans)


def interval_timer_s(interval: IntervalRecord, spans: Sequence[tuple[float, float]]) -> float:
    """The interval's own timer time, else its length less the pauses in it."""
    if interval.timer_s is not None:
        return interval.timer_s
    return max(0.0, interval.actual_s - paused_within(spans, interval.start_s, interval.end_s))


def session_timer_s(record: SessionRecord, elapsed_s: float) -> float:
    """The session's timer time: the summary's when known, else from its intervals' timer
    times, else ``elapsed_s`` less the recorded pauses."""
    if record.summary is not None and record.summary.timer_s is not None:
        return record.summary.timer_s
    if any(i.timer_s is not None for i in record.intervals):
        lost = sum(i.actual_s - i.timer_s for i in record.intervals if i.timer_s is not None)
        return max(0.0, elapsed_s - lost)
    return max(0.0, elapsed_s - paused_within(paused_spans(record.events, elapsed_s), 0.0,
                                              elapsed_s))
