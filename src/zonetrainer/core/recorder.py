"""Where the engine's record batches go. The database implements this in ``core.store``."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from zonetrainer.core.model import RecordBatch, SessionHeader, SessionRecord, SessionSummary


class Recorder(Protocol):
    """Receives a session as it happens. Calls come from one task, in order."""

    def begin(self, header: SessionHeader) -> int:
        """Start a session; returns its id."""
        ...

    def write(self, session_id: int, batch: RecordBatch) -> None:
        """Append everything new since the previous batch."""
        ...

    def finish(self, session_id: int, summary: SessionSummary,
               extra: dict[str, str] | None = None, status: str = "finished") -> None:
        """Close the session with its summary (and extras such as a threshold result); its
        ``status`` is "finished", or "ended early" when it stopped before its plan did."""
        ...


class MemoryRecorder:
    """A recorder that keeps everything in memory: for tests and for --no-save runs."""

    def __init__(self) -> None:
        self.records: dict[int, SessionRecord] = {}

    def begin(self, header: SessionHeader) -> int:
        session_id = len(self.records) + 1
        self.records[session_id] = SessionRecord(session_id, header, (), (), (), None, "running")
        return session_id

    def write(self, session_id: int, batch: RecordBatch) -> None:
        r = self.records[session_id]
        self.records[session_id] = replace(r, samples=r.samples + batch.samples,
                                           intervals=r.intervals + batch.intervals,
                                           events=r.events + batch.events,
                                           alpha1=r.alpha1 + batch.alpha1,
                                           efforts=r.efforts + batch.efforts)

    def finish(self, session_id: int, summary: SessionSummary,
               extra: dict[str, str] | None = None, status: str = "finished") -> None:
        r = self.records[session_id]
        self.records[session_id] = replace(r, summary=summary, status=status,
                                           extra=dict(extra or {}))
