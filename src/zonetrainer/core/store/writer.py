"""The one worker that writes to the database, and the Recorder the engine talks to.

``write()`` only puts the batch on a queue, so the asyncio loop or the UI never waits for the
disk. The worker commits each batch in its own transaction as it arrives, so a crash loses at
most the batch being written; when batches pile up (a simulation faster than real time) it
commits all that are waiting in one transaction, which keeps fast runs cheap.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from zonetrainer.core.model import HeartRateSample, RecordBatch, SessionHeader, SessionSummary
from zonetrainer.core.store import rows
from zonetrainer.core.store.errors import StoreError
from zonetrainer.core.store.figures import trimp_from_profile
from zonetrainer.core.store.schema import (
    Alpha1Row,
    EffortRow,
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

#: The worker waits this long after a batch arrives before it commits, so that the batches
#: of many sessions at once (a group: 30 athletes, each every 2 s; a run faster than real
#: time) share one transaction: each commit of a SQLite file costs a sync of the disk, and one
#: per athlete per batch was most of a 30-athlete hour's wall time. A crash loses at most
#: this much more. A caller waiting on the worker (a begin, a finish, a flush) cuts the wait
#: short: the whole process waits with it (the asyncio loop of every athlete of a group).
LINGER_S: Final = 0.05

#: Before a finish, flush or stop gives up on batches it could not write, it tries again this
#: many times, this far apart (each try may also wait the SQLite busy timeout, 5 s): a lock
#: another program holds for a while (a backup, a database browser) costs the end of a session
#: a wait of up to about 40 s instead of the session. A user audit lost a 40-minute session
#: this way when a lock outlasted its end.
FINAL_RETRIES: Final = 6
FINAL_RETRY_PAUSE_S: Final = 2.0


def writer_id() -> str:
    """Who writes a running session: host and process, to tell a live one from a dead one."""
    return f"{socket.gethostname()}:{os.getpid()}"


def writer_alive(writer: str) -> bool:
    """Whether the process that wrote a running session still exists (assumed yes elsewhere)."""
    host, _, pid_text = writer.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return True  # another machine: nothing tells us it died
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class _Op:
    kind: str  # "begin", "write", "finish", "flush", "stop"
    session_id: int = 0
    payload: Any = None
    extra: dict[str, str] | None = None
    done: Future[int] | None = None
    status: str = "finished"  # of a "finish": or "ended early"


class Writer:
    """Owns a thread and its own connection; every write to the database goes through it.

    A batch that cannot be written (database locked, disk full) is kept and retried with the
    next operation, so a passing problem loses nothing; ``problem`` says what went wrong, and
    ``flush``/``finish``/``stop`` raise :class:`StoreError` while anything is still unwritten.
    """

    def __init__(self, engine: Engine, explain: Callable[[BaseException], StoreError],
                 final_retry_pause_s: float = FINAL_RETRY_PAUSE_S) -> None:
        self._engine = engine
        self._explain = explain  # driver error -> one line, password hidden
        self._queue: queue.SimpleQueue[_Op] = queue.SimpleQueue()
        self._next_idx: dict[int, int] = {}
        self._next_effort: dict[int, int] = {}
        self._unwritten: list[_Op] = []
        self._error: StoreError | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pause = threading.Event()  # never set: a wait that is only a pause
        self._hurry = threading.Event()  # set while a caller waits: no lingering then
        self.final_retry_pause_s = final_retry_pause_s
        self._headers: dict[int, SessionHeader] = {}
        self._samples: dict[int, list[HeartRateSample]] = {}

    @property
    def problem(self) -> str | None:
        """Why batches are waiting unwritten, or None when everything queued got written."""
        error = self._error
        return None if error is None else str(error)

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
        self._hurry.set()
        return op.done.result()

    def begin(self, header: SessionHeader) -> int:
        return self._call(_Op("begin", payload=header))

    def write(self, session_id: int, batch: RecordBatch) -> None:
        """Queue a batch; never blocks and never raises."""
        self._ensure_thread()
        self._queue.put(_Op("write", session_id, batch))

    def finish(self, session_id: int, summary: SessionSummary,
               extra: dict[str, str] | None, status: str = "finished") -> None:
        self._call(_Op("finish", session_id, summary, extra, status=status))

    def flush(self) -> None:
        """Wait until everything queued so far is committed."""
        if self._thread is not None:
            self._call(_Op("flush"))

    def stop(self) -> None:
        """Write what is queued, then end the thread (raises if something stayed unwritten)."""
        if self._thread is None:
            return
        try:
            self._call(_Op("stop"))
        finally:
            self._thread.join()
            self._thread = None

    # -- worker side ---------------------------------------------------------------------------
    def _run(self) -> None:
        pending: _Op | None = None
        while True:
            op = pending or self._queue.get()
            pending = None
            if op.kind == "write":
                self._hurry.wait(LINGER_S)
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
                self._unwritten.extend(writes)
                self._retry()
                continue
            assert op.done is not None
            self._hurry.clear()  # (set again by a caller that queues after this one)
            self._retry()
            if op.kind != "begin":
                self._retry_patiently()
            try:
                if op.kind == "begin":
                    result = self._guard(partial(self._begin, op.payload))
                else:
                    if self._unwritten and self._error is not None:
                        raise StoreError(f"{len(self._unwritten)} batch(es) not written: "
                                         f"{self._error}")
                    result = self._guard(partial(self._finish, op)) if op.kind == "finish" else 0
            except StoreError as exc:
                op.done.set_exception(exc)
            else:
                op.done.set_result(result)
            if op.kind == "stop":
                return

    def _retry_patiently(self) -> None:
        for _ in range(FINAL_RETRIES):
            if not self._unwritten:
                return
            log.warning("%d batch(es) still unwritten: trying again in %g s",
                        len(self._unwritten), self.final_retry_pause_s)
            self._pause.wait(self.final_retry_pause_s)
            self._retry()
            if not self._unwritten:
                log.warning("the waiting batches were written after all")

    def _retry(self) -> None:
        if not self._unwritten:
            return
        try:
            self._guard(partial(self._write, self._unwritten))
        except StoreError as exc:
            self._error = exc
            log.error("%s (%d batch(es) kept for the next try)", exc, len(self._unwritten))
        else:
            self._unwritten = []
            self._error = None

    def _guard(self, action: Callable[[], int | None]) -> int:
        try:
            return int(action() or 0)
        except SQLAlchemyError as exc:
            raise self._explain(exc) from None

    def _begin(self, header: SessionHeader) -> int:
        values = rows.header_row(header) | {"status": "running", "writer": writer_id()}
        with self._engine.begin() as conn:
            session_id = int(conn.execute(insert(SessionRow).returning(SessionRow.id),
                                          values).scalar_one())
        self._next_idx[session_id] = 0
        self._next_effort[session_id] = 0
        self._headers[session_id] = header
        self._samples[session_id] = []
        return session_id

    def _write(self, writes: list[_Op]) -> None:
        tables: dict[type[Any], list[rows.Row]] = {
            SampleRow: [], RRRow: [], IntervalRow: [], EventRow: [], Alpha1Row: [],
            EffortRow: []}
        next_idx = dict(self._next_idx)  # advanced only once the transaction commits
        next_effort = dict(self._next_effort)
        with self._engine.begin() as conn:
            for op in writes:
                sid = op.session_id
                batch: RecordBatch = op.payload
                if sid not in next_idx:  # a session this writer did not begin
                    last = conn.execute(select(func.max(SampleRow.idx))
                                        .where(SampleRow.session_id == sid)).scalar()
                    next_idx[sid] = 0 if last is None else int(last) + 1
                if batch.efforts and sid not in next_effort:
                    last = conn.execute(select(func.max(EffortRow.idx))
                                        .where(EffortRow.session_id == sid)).scalar()
                    next_effort[sid] = 0 if last is None else int(last) + 1
                header = self._headers.get(sid)
                if batch.efforts:
                    tables[EffortRow] += rows.effort_rows(sid, next_effort[sid], batch.efforts,
                                                          header.source_id if header else "")
                    next_effort[sid] += len(batch.efforts)
                s, r = rows.sample_rows(sid, next_idx[sid], batch.samples,
                                        header.source_id if header else "")
                next_idx[sid] += len(batch.samples)
                tables[SampleRow] += s
                tables[RRRow] += r
                tables[IntervalRow] += rows.interval_rows(sid, batch.intervals)
                tables[EventRow] += rows.event_rows(sid, batch.events)
                tables[Alpha1Row] += rows.alpha1_rows(sid, batch.alpha1)
            for table, data in tables.items():
                if data:
                    conn.execute(insert(table), data)
        self._next_idx = next_idx
        self._next_effort = next_effort
        for op in writes:
            if op.session_id in self._samples:
                self._samples[op.session_id].extend(op.payload.samples)

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
                         .values(status=op.status, **rows.summary_row(summary, trimp)))
            if op.extra:
                conn.execute(insert(ExtraRow), [{"session_id": sid, "key": k, "value_json": v}
                                                for k, v in op.extra.items()])
        self._headers.pop(sid, None)
        self._samples.pop(sid, None)
        self._next_idx.pop(sid, None)
        self._next_effort.pop(sid, None)
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
               extra: dict[str, str] | None = None, status: str = "finished") -> None:
        self._writer.finish(session_id, summary, extra, status)

    def flush(self) -> None:
        """Wait until every batch written so far is in the database."""
        self._writer.flush()

    @property
    def problem(self) -> str | None:
        """Why batches are waiting unwritten (they are retried), or None: for a status line."""
        return self._writer.problem


if TYPE_CHECKING:
    from zonetrainer.core.recorder import Recorder

    _IS_A_RECORDER: type[Recorder] = StoreRecorder  # mypy checks the protocol is met
