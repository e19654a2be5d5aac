"""The history list and the period totals: read-only queries over the sessions table.

Both read only summary columns (never samples) through the indexes on ``started_at``,
``athlete_name`` and ``plan_name``, which keeps them fast with 10,000 sessions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, Select, func, select

from zonetrainer.core.store.errors import StoreError
from zonetrainer.core.store.schema import SessionRow

Period = Literal["week", "month"]

#: Statuses whose figures count in totals: a running session has no summary yet.
COUNTED_STATUSES = ("finished", "ended early", "interrupted", "imported")


@dataclass(frozen=True, slots=True)
class SessionListing:
    """One line of the history list."""

    id: int
    started_at: datetime  # timezone-aware, UTC
    plan_name: str
    athlete_name: str
    sport: str
    status: str  # "running", "finished", "ended early", "interrupted", "imported"
    duration_s: float | None  # None: no summary (a running or unresolved session)
    time_in_band_s: float | None
    band_share: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    trimp: float | None  # None without a resting HR in the profile snapshot


@dataclass(frozen=True, slots=True)
class PeriodTotals:
    """Totals of one week (starting Monday) or calendar month, in local time."""

    period_start: date
    sessions: int
    duration_s: float
    time_in_band_s: float
    time_in_zone_s: tuple[float, float, float, float, float]
    trimp: float  # sum over the sessions that have a TRIMP
    trimp_sessions: int  # how many of the sessions had one


_LISTING_COLUMNS = (SessionRow.id, SessionRow.started_at, SessionRow.plan_name,
                    SessionRow.athlete_name, SessionRow.sport, SessionRow.status,
                    SessionRow.duration_s, SessionRow.time_in_band_s, SessionRow.band_share,
                    SessionRow.avg_hr_bpm, SessionRow.max_hr_bpm, SessionRow.trimp)


def as_utc(since: date | datetime | None) -> datetime | None:
    """A bound as aware UTC; a plain date means local midnight of that day."""
    if since is None:
        return None
    if not isinstance(since, datetime):
        since = datetime.combine(since, time.min).astimezone()
    if since.tzinfo is None:
        since = since.astimezone()
    return since.astimezone(UTC)


def _filtered(query: Select, since: date | datetime | None, plan: str | None,
              athlete: str | None) -> Select:
    bound = as_utc(since)
    if bound is not None:
        query = query.where(SessionRow.started_at >= bound)
    if plan is not None:
        query = query.where(SessionRow.plan_name == plan)
    if athlete is not None:
        query = query.where(SessionRow.athlete_name == athlete)
    return query


def listing_query() -> Select:
    return select(*_LISTING_COLUMNS)


def to_listing(row: Any) -> SessionListing:
    # A figure stored before the import rule (or by hand) that is no number reads as none.
    return SessionListing(*row[:6], *(None if f is None or not math.isfinite(f)
                                      or abs(f) > 1e9 else f for f in row[6:]))


def list_sessions(conn: Connection, since: date | datetime | None, plan: str | None,
                  athlete: str | None, limit: int | None) -> list[SessionListing]:
    query = _filtered(listing_query(), since, plan, athlete).order_by(
        SessionRow.started_at.desc(), SessionRow.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [to_listing(row) for row in conn.execute(query).all()]


def period_start(day: date, by: Period) -> date:
    """Monday of the week, or the first of the month."""
    if by == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def totals(conn: Connection, by: str, since: date | datetime | None,
           athlete: str | None) -> list[PeriodTotals]:
    if by not in ("week", "month"):
        raise StoreError(f"totals by '{by}': choose week or month")
    c = SessionRow
    # Summed per day in SQL (at most one row a day), then folded into weeks or months here.
    query = select(c.local_date, func.count(), func.sum(c.duration_s),
                   func.sum(c.time_in_band_s), func.sum(c.time_in_z1_s),
                   func.sum(c.time_in_z2_s), func.sum(c.time_in_z3_s),
                   func.sum(c.time_in_z4_s), func.sum(c.time_in_z5_s), func.sum(c.trimp),
                   func.count(c.trimp)).where(c.status.in_(COUNTED_STATUSES),
                                              c.duration_s.is_not(None))
    if since is not None:
        first_day = since.astimezone().date() if isinstance(since, datetime) else since
        query = query.where(c.local_date >= first_day)
    if athlete is not None:
        query = query.where(c.athlete_name == athlete)
    acc: dict[date, list[float]] = {}
    for day, *sums in conn.execute(query.group_by(c.local_date)):
        a = acc.setdefault(period_start(day, by), [0.0] * 10)  # type: ignore[arg-type]
        for k, v in enumerate(sums):
            a[k] += v or 0
    return [_totals(start, a) for start, a in sorted(acc.items())]


def _totals(start: date, a: Sequence[float]) -> PeriodTotals:
    return PeriodTotals(start, int(a[0]), a[1], a[2], (a[3], a[4], a[5], a[6], a[7]), a[8],
                        int(a[9]))
