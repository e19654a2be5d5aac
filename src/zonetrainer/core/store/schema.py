"""The tables, as SQLAlchemy 2 typed models. Alembic migrations must produce exactly these
(tests/store/test_migrations.py compares them).

Times within a session are seconds since its start (``t_s``); ``started_at`` is stored as naive
UTC and read back timezone-aware. Floats are double precision so values round-trip exactly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python, naive UTC in the database (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("started_at must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


def _session_fk() -> ForeignKey:
    return ForeignKey("sessions.id", ondelete="CASCADE")


class AthleteRow(Base):
    __tablename__ = "athletes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    profile_json: Mapped[str] = mapped_column(Text)


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The day it started where it was recorded: what weekly and monthly totals group by.
    local_date: Mapped[date | None] = mapped_column(Date)
    plan_name: Mapped[str] = mapped_column(String(200))
    athlete_name: Mapped[str] = mapped_column(String(200))
    sport: Mapped[str] = mapped_column(String(50))
    source_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    # host:pid of the process writing a running session, to tell a live one from a dead one.
    writer: Mapped[str] = mapped_column(String(300), default="")
    profile_json: Mapped[str] = mapped_column(Text)
    band_low_bpm: Mapped[float] = mapped_column(Double)
    band_high_bpm: Mapped[float] = mapped_column(Double)
    band_method: Mapped[str] = mapped_column(String(50))
    band_source: Mapped[str] = mapped_column(Text)
    band_uncertainty_bpm: Mapped[float] = mapped_column(Double)
    zones_json: Mapped[str] = mapped_column(Text)  # ZoneTable: upper_bpm, hrmax_bpm, source
    # Summary columns: NULL until the session is finished (or an interrupted one is kept).
    duration_s: Mapped[float | None] = mapped_column(Double)
    time_in_band_s: Mapped[float | None] = mapped_column(Double)
    band_share: Mapped[float | None] = mapped_column(Double)
    time_in_z1_s: Mapped[float | None] = mapped_column(Double)
    time_in_z2_s: Mapped[float | None] = mapped_column(Double)
    time_in_z3_s: Mapped[float | None] = mapped_column(Double)
    time_in_z4_s: Mapped[float | None] = mapped_column(Double)
    time_in_z5_s: Mapped[float | None] = mapped_column(Double)
    avg_hr_bpm: Mapped[float | None] = mapped_column(Double)
    max_hr_bpm: Mapped[float | None] = mapped_column(Double)
    sample_count: Mapped[int | None] = mapped_column(Integer)
    work_intervals: Mapped[int | None] = mapped_column(Integer)
    rest_intervals: Mapped[int | None] = mapped_column(Integer)
    trimp: Mapped[float | None] = mapped_column(Double)
    # Timer (moving) time: duration_s less the time paused; NULL when not known (0004).
    timer_s: Mapped[float | None] = mapped_column(Double)

    __table_args__ = (
        Index("ix_sessions_started_at", "started_at"),
        Index("ix_sessions_athlete_started", "athlete_name", "started_at"),
        Index("ix_sessions_plan_started", "plan_name", "started_at"),
        Index("ix_sessions_status", "status"),
        Index("ix_sessions_local_date", "local_date"),
    )


class SampleRow(Base):
    __tablename__ = "samples"

    session_id: Mapped[int] = mapped_column(_session_fk(), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    t_s: Mapped[float] = mapped_column(Double)
    hr_bpm: Mapped[float | None] = mapped_column(Double)
    contact: Mapped[bool | None] = mapped_column(Boolean)
    energy_kj: Mapped[int | None] = mapped_column(Integer)
    source_id: Mapped[str | None] = mapped_column(String(200))  # NULL: the session's source


class RRRow(Base):
    __tablename__ = "rr"

    session_id: Mapped[int] = mapped_column(_session_fk(), primary_key=True)
    sample_idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    t_s: Mapped[float] = mapped_column(Double)
    rr_ms: Mapped[float] = mapped_column(Double)


class IntervalRow(Base):
    __tablename__ = "intervals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(_session_fk(), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    start_s: Mapped[float] = mapped_column(Double)
    end_s: Mapped[float] = mapped_column(Double)
    planned_s: Mapped[float] = mapped_column(Double)
    end_reason: Mapped[str] = mapped_column(String(200))
    exercise: Mapped[str | None] = mapped_column(String(200))
    avg_hr_bpm: Mapped[float | None] = mapped_column(Double)
    max_hr_bpm: Mapped[float | None] = mapped_column(Double)
    avg_effort: Mapped[float | None] = mapped_column(Double)
    avg_target_effort: Mapped[float | None] = mapped_column(Double)
    effort_unit: Mapped[str | None] = mapped_column(String(10))
    timer_s: Mapped[float | None] = mapped_column(Double)


class EffortRow(Base):
    """One effort reading (a fitness machine's or an effort sensor's), in time order."""

    __tablename__ = "efforts"

    session_id: Mapped[int] = mapped_column(_session_fk(), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    t_s: Mapped[float] = mapped_column(Double)
    value: Mapped[float | None] = mapped_column(Double)
    target: Mapped[float | None] = mapped_column(Double)
    unit: Mapped[str] = mapped_column(String(10))
    incline_pct: Mapped[float | None] = mapped_column(Double)
    cadence_rpm: Mapped[float | None] = mapped_column(Double)
    source_id: Mapped[str | None] = mapped_column(String(200))  # NULL: the session's source


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(_session_fk(), index=True)
    t_s: Mapped[float] = mapped_column(Double)
    kind: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str] = mapped_column(Text)


class Alpha1Row(Base):
    __tablename__ = "alpha1"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(_session_fk(), index=True)
    t_s: Mapped[float] = mapped_column(Double)
    alpha1: Mapped[float] = mapped_column(Double)
    corrected_share: Mapped[float] = mapped_column(Double)
    beats: Mapped[int] = mapped_column(Integer)
    hr_bpm: Mapped[float] = mapped_column(Double)
    usable: Mapped[bool] = mapped_column(Boolean)


class ExtraRow(Base):
    __tablename__ = "extras"

    session_id: Mapped[int] = mapped_column(_session_fk(), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
