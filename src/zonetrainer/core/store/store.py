"""The repository the engine, the CLI and the UI use: :class:`Store`."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import SQLAlchemyError

from zonetrainer.core.model import SessionRecord
from zonetrainer.core.store import history, migrate, opening, rows
from zonetrainer.core.store.errors import StoreError
from zonetrainer.core.store.figures import summarize, trimp_from_profile
from zonetrainer.core.store.history import PeriodTotals, SessionListing
from zonetrainer.core.store.schema import (
    Alpha1Row,
    AthleteRow,
    EffortRow,
    EventRow,
    ExtraRow,
    IntervalRow,
    RRRow,
    SampleRow,
    SessionRow,
)
from zonetrainer.core.store.url import resolve, safe_url, sqlite_path
from zonetrainer.core.store.writer import FINAL_RETRY_PAUSE_S, StoreRecorder, Writer, writer_alive
from zonetrainer.core.timing import session_timer_s

log = logging.getLogger(__name__)
T = TypeVar("T")

_CHILD_TABLES = (RRRow, SampleRow, EffortRow, IntervalRow, EventRow, Alpha1Row, ExtraRow)


class Store:
    """Sessions, athletes and history in one database. Readers are synchronous; the recorder's
    writes go through one worker thread. Every failure is a one-line :class:`StoreError`."""

    def __init__(self, engine: Engine, url: URL, path: Path | None,
                 retry_pause_s: float = FINAL_RETRY_PAUSE_S) -> None:
        self._engine = engine
        self.url = url
        self.path = path  # the SQLite file, or None
        self._writer = Writer(engine, lambda exc: opening.explain(exc, url), retry_pause_s)
        self.backup_path: Path | None = None  # written by open() before a migration

    @property
    def describe(self) -> str:
        return str(self.path) if self.path else safe_url(self.url)

    @classmethod
    def open(cls, url_or_path: str | os.PathLike[str] | None = None, *, migrate_db: bool = True,
             busy_timeout_s: float = 5.0,
             retry_pause_s: float = FINAL_RETRY_PAUSE_S, check_now: bool = False) -> Store:
        """Open (and migrate to head) the default SQLite file, a file path, or any URL.
        ``retry_pause_s``: between the last tries to write what a lock held back (writer.py).
        An existing SQLite file gets a quick_check first, once a day (``check_now``: now)."""
        url = resolve(url_or_path)
        path = sqlite_path(url)
        existed = False
        if path is not None:
            existed = opening.prepare_sqlite_file(path, create_parent=url_or_path is None)
        elif url.get_backend_name() == "sqlite":
            # Each connection would see its own empty database: the writer thread's included.
            raise StoreError("an in-memory SQLite database cannot hold sessions: give a file "
                             "path (or record with MemoryRecorder)")
        store = cls(opening.create(url, busy_timeout_s), url, path, retry_pause_s)
        try:
            if existed and path is not None:
                opening.quick_check(store._engine, path, always=check_now)
            if migrate_db:
                store.upgrade(backup=existed)
            else:
                with store._read() as conn:
                    migrate.current_revision(conn)
        except BaseException:
            store._engine.dispose()
            raise
        return store

    # -- plumbing ------------------------------------------------------------------------------
    def _read(self) -> Connection:
        try:
            return self._engine.connect()
        except SQLAlchemyError as exc:
            raise opening.explain(exc, self.url) from None

    def _run(self, action: str, fn: Callable[[Connection], T], *, write: bool = False) -> T:
        try:
            if write:
                with self._engine.begin() as conn:
                    return fn(conn)
            with self._engine.connect() as conn:
                return fn(conn)
        except SQLAlchemyError as exc:
            error = opening.explain(exc, self.url)
            raise StoreError(f"{action}: {error}") from None

    def revision(self) -> str | None:
        with self._read() as conn:
            return migrate.current_revision(conn)

    def upgrade(self, backup: bool = True) -> str | None:
        """Migrate to head; first copy a SQLite file that has data. Returns the backup path."""
        head = migrate.head_revision()
        try:
            with self._engine.connect() as conn:
                current = migrate.current_revision(conn)
                populated = migrate.has_tables(conn)
            if current == head:
                return None
            if current is not None and current not in migrate.known_revisions():
                raise StoreError(f"database {self.describe} has schema revision {current}, "
                                 f"newer than this zonetrainer knows ({head}): update "
                                 f"zonetrainer; the database was left untouched")
            if backup and self.path is not None and populated:
                self.backup_path = migrate.backup_sqlite(
                    self.path, migrate.free_backup_path(self.path, f"pre-{current or 'none'}"))
            with self._engine.begin() as conn:
                migrate.upgrade(conn)
        except SQLAlchemyError as exc:
            raise opening.explain(exc, self.url) from None
        log.info("migrated %s from %s to %s", self.describe, current, head)
        return str(self.backup_path) if self.backup_path else None

    def backup(self, out: Path | None = None) -> Path:
        """A consistent copy of a SQLite database (never overwrites a file)."""
        if self.path is None:
            raise StoreError("backup copies SQLite files only; back up PostgreSQL with pg_dump")
        return migrate.backup_sqlite(self.path, out or migrate.free_backup_path(self.path,
                                                                                 "backup"))

    def recorder(self) -> StoreRecorder:
        """The :class:`~zonetrainer.core.recorder.Recorder` for a live session."""
        return StoreRecorder(self._writer)

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        """Commit what the recorder queued, then release every connection."""
        try:
            self._writer.stop()
        finally:
            self._engine.dispose()

    # -- sessions ------------------------------------------------------------------------------
    def list_sessions(self, since: date | datetime | None = None, plan: str | None = None,
                      athlete: str | None = None, limit: int | None = None
                      ) -> list[SessionListing]:
        """Newest first."""
        return self._run("cannot list sessions", lambda c: history.list_sessions(
            c, since, plan, athlete, limit))

    def totals(self, by: str = "week", since: date | datetime | None = None,
               athlete: str | None = None) -> list[PeriodTotals]:
        """Per local week (Monday) or month, oldest first; only periods with sessions."""
        return self._run("cannot compute totals", lambda c: history.totals(
            c, by, since, athlete))

    def load(self, session_id: int) -> SessionRecord:
        return self._run(f"cannot load session {session_id}",
                         lambda c: self._load(c, session_id))

    def _load(self, conn: Connection, session_id: int) -> SessionRecord:
        s = conn.execute(select(SessionRow.__table__)
                         .where(SessionRow.id == session_id)).first()
        if s is None:
            raise StoreError(f"no session {session_id} in {self.describe}")
        header = rows.header_from(s)
        samples = rows.samples_from(
            conn.execute(select(SampleRow.__table__).where(SampleRow.session_id == session_id)
                         .order_by(SampleRow.idx)),
            conn.execute(select(RRRow.__table__).where(RRRow.session_id == session_id)
                         .order_by(RRRow.sample_idx, RRRow.seq)),
            header.source_id)

        def children(table: type[IntervalRow] | type[EventRow] | type[Alpha1Row]
                     ) -> Iterable[Any]:
            return conn.execute(select(table.__table__).where(table.session_id == session_id)
                                .order_by(table.id))

        extras = conn.execute(select(ExtraRow.key, ExtraRow.value_json)
                              .where(ExtraRow.session_id == session_id)
                              .order_by(ExtraRow.key)).all()
        return SessionRecord(
            session_id=s.id, header=header, samples=samples,
            intervals=rows.intervals_from(children(IntervalRow)),
            events=rows.events_from(children(EventRow)),
            summary=rows.summary_from(s), status=s.status,
            alpha1=rows.alpha1_from(children(Alpha1Row)),
            extra={k: v for k, v in extras},
            efforts=rows.efforts_from(
                conn.execute(select(EffortRow.__table__).where(EffortRow.session_id == session_id)
                             .order_by(EffortRow.idx)), header.source_id))

    def delete(self, session_id: int) -> None:
        def run(conn: Connection) -> None:
            self._require(conn, session_id)
            for table in _CHILD_TABLES:
                conn.execute(delete(table).where(table.session_id == session_id))
            conn.execute(delete(SessionRow).where(SessionRow.id == session_id))
        self._run(f"cannot delete session {session_id}", run, write=True)

    def _require(self, conn: Connection, session_id: int) -> str:
        status = conn.execute(select(SessionRow.status)
                              .where(SessionRow.id == session_id)).scalar()
        if status is None:
            raise StoreError(f"no session {session_id} in {self.describe}")
        return str(status)

    def import_record(self, record: SessionRecord, replaces: int | None = None) -> int:
        """Store a whole session read from a file (FIT, TCX, CSV); its status is "imported".
        ``replaces``: a session deleted in the same transaction (the partial one it completes)."""
        header = record.header
        summary = record.summary or summarize(
            record.samples, record.intervals, header.band, header.zones)
        trimp = trimp_from_profile(record.samples, header.profile_json, header.zones.hrmax_bpm)

        def run(conn: Connection) -> int:
            if replaces is not None:
                self._require(conn, replaces)
                for table in _CHILD_TABLES:
                    conn.execute(delete(table).where(table.session_id == replaces))
                conn.execute(delete(SessionRow).where(SessionRow.id == replaces))
            values = (rows.header_row(header) | rows.summary_row(summary, trimp)
                      | {"status": "imported", "writer": ""})
            sid = int(conn.execute(insert(SessionRow).returning(SessionRow.id), values)
                      .scalar_one())
            samples, rr = rows.sample_rows(sid, 0, record.samples, header.source_id)
            for table, data in ((SampleRow, samples), (RRRow, rr),
                                (EffortRow, rows.effort_rows(sid, 0, record.efforts,
                                                             header.source_id)),
                                (IntervalRow, rows.interval_rows(sid, record.intervals)),
                                (EventRow, rows.event_rows(sid, record.events)),
                                (Alpha1Row, rows.alpha1_rows(sid, record.alpha1)),
                                (ExtraRow, [{"session_id": sid, "key": k, "value_json": v}
                                            for k, v in record.extra.items()])):
                if data:
                    conn.execute(insert(table), data)
            return sid
        return self._run("cannot import session", run, write=True)

    def set_extra(self, session_id: int, key: str, value_json: str) -> None:
        """Attach (or replace) a JSON value under ``key``, e.g. a ramp's threshold result."""
        def run(conn: Connection) -> None:
            self._require(conn, session_id)
            conn.execute(delete(ExtraRow).where(ExtraRow.session_id == session_id,
                                                ExtraRow.key == key))
            conn.execute(insert(ExtraRow), {"session_id": session_id, "key": key,
                                            "value_json": value_json})
        self._run(f"cannot set '{key}' on session {session_id}", run, write=True)

    def latest_extra(self, athlete: str, key: str, since: datetime | None = None
                     ) -> tuple[int, datetime, str] | None:
        """The newest session of ``athlete`` (started at or after ``since``) that has an extra
        under ``key``: (session id, started at, its JSON); None when there is none."""
        def run(conn: Connection) -> tuple[int, datetime, str] | None:
            query = (select(SessionRow.id, SessionRow.started_at, ExtraRow.value_json)
                     .join(ExtraRow, ExtraRow.session_id == SessionRow.id)
                     .where(SessionRow.athlete_name == athlete, ExtraRow.key == key)
                     .order_by(SessionRow.started_at.desc(), SessionRow.id.desc()).limit(1))
            if since is not None:
                query = query.where(SessionRow.started_at >= since)
            row = conn.execute(query).first()
            return None if row is None else (int(row[0]), row[1], str(row[2]))
        return self._run(f"cannot look up '{key}' for {athlete}", run)

    # -- crash recovery ------------------------------------------------------------------------
    def interrupted(self) -> list[SessionListing]:
        """Sessions left "running" by a process on this machine that no longer exists."""
        def run(conn: Connection) -> list[SessionListing]:
            query = history.listing_query().add_columns(SessionRow.writer).where(
                SessionRow.status == "running").order_by(SessionRow.started_at)
            return [history.to_listing(r[:-1]) for r in conn.execute(query)
                    if not writer_alive(r[-1])]
        return self._run("cannot look for interrupted sessions", run)

    def resolve_interrupted(self, session_id: int, keep: bool) -> None:
        """Keep (status "interrupted", summary recomputed from the samples) or discard it."""
        if not any(s.id == session_id for s in self.interrupted()):
            raise StoreError(f"session {session_id} is not an interrupted session")
        if not keep:
            self.delete(session_id)
            return
        record = self.load(session_id)
        h = record.header
        summary = summarize(record.samples, record.intervals, h.band, h.zones)
        summary = replace(summary, timer_s=session_timer_s(record, summary.duration_s))
        trimp = trimp_from_profile(record.samples, h.profile_json, h.zones.hrmax_bpm)
        self._run(f"cannot keep session {session_id}", lambda c: c.execute(
            update(SessionRow).where(SessionRow.id == session_id)
            .values(status="interrupted", **rows.summary_row(summary, trimp))), write=True)

    # -- athletes ------------------------------------------------------------------------------
    def save_athlete(self, name: str, profile_json: str) -> None:
        def run(conn: Connection) -> None:
            done = conn.execute(update(AthleteRow).where(AthleteRow.name == name)
                                .values(profile_json=profile_json))
            if done.rowcount == 0:
                conn.execute(insert(AthleteRow), {"name": name, "profile_json": profile_json})
        self._run(f"cannot save athlete '{name}'", run, write=True)

    def athletes(self) -> list[tuple[str, str]]:
        """(name, profile_json) of every saved athlete, by name."""
        return self._run("cannot list athletes", lambda c: [
            (r.name, r.profile_json) for r in
            c.execute(select(AthleteRow.name, AthleteRow.profile_json).order_by(AthleteRow.name))])

    def delete_athlete(self, name: str) -> None:
        def run(conn: Connection) -> None:
            if conn.execute(delete(AthleteRow).where(AthleteRow.name == name)).rowcount == 0:
                raise StoreError(f"no athlete named '{name}'")
        self._run(f"cannot delete athlete '{name}'", run, write=True)
