"""The one worker that writes to the database, and the Recorder the engine talks to.

``write()`` only puts the batch on a queue, so the asyncio loop or the UI never waits for the
disk. The worker commits each batch in its own transaction as it arrives, so a crash loses at
most the batch being written; when batches pile up (a simulation faster than real time) it
commits all that are waiting in one transaction, which keeps fast runs cheap.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from zonetrainer.core.model import RecordBatch, SessionHeader, SessionSummary
from zonetrainer.core.store import rows
from zonetrainer.core.store.errors import StoreError
from zonetrainer.core.store.figures import trimp_from_profile
from zonetrainer.core.store.schema import (
    Alpha1Row,
    EventRow,
    ExtraRow,
    IntervalRow,
    RRRow,
    SampleRow,
    SessionRow,
)

log = logging.getLogger(__name__)

#: At most this many queued batches go into one transaction, to bound its size.
MAX_BATCHES_PER_COMMIT: Final = 500


def writer_id() -> str:
    """Who writes a running session: host and process, to tell a live one from a dead one."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class _Op:
    kind: str  # "begin", "write", "finish", "flush", "stop"
    session_id: int = 0
    payload: Any = None
    extra: dict[str, str] | None = None
    done: Future[int] | None = None


class Writer:
    """Owns a thread and its own connection; every write to the database goes through it."""

    def __init__(self, engine: Engine, describe: str) -> None:
        self._engine = engine
        self._describe = describe  # the database, password hidden, for messages
        self._queue: queue.SimpleQueue[_Op] = queue.SimpleQueue()
        self._next_idx: dict[int, int] = {}
        self._error: StoreError | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._headers: dict[int, SessionHeader] = {}
        self._samples: dict[int, list[Any]] = {}

    # -- caller side ---------------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="zonetrainer-db-writer",
                                                daemon=True)
                self._thread.start()

    def _call(self, op: _Op) -> int:
        self._ensure_thread()
        op.done = Future()
        self._queue.put(op)
        return op.done.result()

    def check(self) -> None:
        if self._error is not None:
            raise self._error

    def begin(self, header: SessionHeader) -> int:
        self.check()
        return self._call(_Op("begin", payload=header))

    def write(self, session_id: int, batch: RecordBatch) -> None:
        self.check()
        self._ensure_thread()
        self._queue.put(_Op("write", session_id, batch))

    def finish(self, session_id: int, summary: SessionSummary,
               extra: dict[str, str] | None) -> None:
        self._call(_Op("finish", session_id, summary, extra))
        self.check()

    def flush(self) -> None:
        """Wait until everything queued so far is committed."""
        if self._thread is not None:
            self._call(_Op("flush"))
        self.check()

    def stop(self) -> None:
        if self._thread is not None:
            self._call(_Op("stop"))
            self._thread.join()
            self._thread = None

    # -- worker side ---------------------------------------------------------------------------
    def _run(self) -> None:
        pending: _Op | None = None
        while True:
            op = pending or self._queue.get()
            pending = None
            if op.kind == "write":
                writes = [op]
                while len(writes) < MAX_BATCHES_PER_COMMIT:
                    try:
                        nxt = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if nxt.kind != "write":
                        pending = nxt
                        break
                    writes.append(nxt)
                with contextlib.suppress(StoreError):  # kept in self._error for the caller
                    self._guard(partial(self._write, writes))
                continue
            assert op.done is not None
            try:
                if op.kind == "begin":
                    result = self._guard(partial(self._begin, op.payload))
                elif op.kind == "finish":
                    result = self._guard(partial(self._finish, op))
                else:
                    result = 0
            except StoreError as exc:
                op.done.set_exception(exc)
            else:
                op.done.set_result(result)
            if op.kind == "stop":
                return

    def _guard(self, action: Callable[[], int | None]) -> int:
        try:
            return int(action() or 0)
        except SQLAlchemyError as exc:
            orig = getattr(exc, "orig", None) or exc
            error = StoreError(f"cannot write to {self._describe}: "
                               f"{' '.join(str(orig).split())[:300]}")
            log.error("%s", error)
            self._error = error
            raise error from None

    def _begin(self, header: SessionHeader) -> int:
        values = rows.header_row(header) | {"status": "running", "writer": writer_id()}
        with self._engine.begin() as conn:
            session_id = conn.execute(insert(SessionRow).returning(SessionRow.id),
                                      values).scalar_one()
        self._next_idx[session_id] = 0
        self._headers[session_id] = header
        self._samples[session_id] = []
        return int(session_id)

    def _write(self, writes: list[_Op]) -> None:
        samples: list[rows.Row] = []
        rr: list[rows.Row] = []
        intervals: list[rows.Row] = []
        events: list[rows.Row] = []
        alpha1: list[rows.Row] = []
        with self._engine.begin() as conn:
            for op in writes:
                sid = op.session_id
                batch: RecordBatch = op.payload
                if sid not in self._next_idx:
                    last = conn.execute(select(func.max(SampleRow.idx))
                                        .where(SampleRow.session_id == sid)).scalar()
                    self._next_idx[sid] = 0 if last is None else int(last) + 1
                header = self._headers.get(sid)
                s, r = rows.sample_rows(sid, self._next_idx[sid], batch.samples,
                                        header.source_id if header else "")
                self._next_idx[sid] += len(batch.samples)
                if sid in self._samples:
                    self._samples[sid].extend(batch.samples)
                samples += s
                rr += r
                intervals += rows.interval_rows(sid, batch.intervals)
                events += rows.event_rows(sid, batch.events)
                alpha1 += rows.alpha1_rows(sid, batch.alpha1)
            for table, data in ((SampleRow, samples), (RRRow, rr), (IntervalRow, intervals),
                                (EventRow, events), (Alpha1Row, alpha1)):
                if data:
                    conn.execute(insert(table), data)

    def _finish(self, op: _Op) -> int:
        sid = op.session_id
        summary: SessionSummary = op.payload
        header = self._headers.get(sid)
        trimp = None
        if header is not None:
            trimp = trimp_from_profile(self._samples.get(sid, []), header.profile_json,
                                       header.zones.hrmax_bpm)
        with self._engine.begin() as conn:
            conn.execute(update(SessionRow).where(SessionRow.id == sid)
                         .values(status="finished", **rows.summary_row(summary, trimp)))
            if op.extra:
                conn.execute(insert(ExtraRow), [{"session_id": sid, "key": k, "value_json": v}
                                                for k, v in op.extra.items()])
        self._headers.pop(sid, None)
        self._samples.pop(sid, None)
        self._next_idx.pop(sid, None)
        return sid


class StoreRecorder:
    """:class:`zonetrainer.core.recorder.Recorder` backed by the database's writer."""

    def __init__(self, writer: Writer) -> None:
        self._writer = writer

    def begin(self, header: SessionHeader) -> int:
        return self._writer.begin(header)

    def write(self, session_id: int, batch: RecordBatch) -> None:
        self._writer.write(session_id, batch)

    def finish(self, session_id: int, summary: SessionSummary,
               extra: dict[str, str] | None = None) -> None:
        self._writer.finish(session_id, summary, extra)

    def flush(self) -> None:
        """Wait until every batch written so far is in the database."""
        self._writer.flush()
