"""What the zone-control loop carries from one session of an athlete to the next.

Inside a session, an athlete whose last work bout needed "ease off" hears it at the start of
the next bout (:data:`zonetrainer.core.control._policy.EARLY_EASE_OFF_S`): people start each bout
as hard as the last one began, and the heart shows it only after its dead time (5-15 s,
DESIGN.md), too late to hold the band. A session's first bout has no last bout, so it could not
be cued early. :class:`BoutHistory`, stored with each session, is that last bout across
sessions: when most work bouts of the athlete's previous session needed "ease off", the first
bout of the next one starts with it.

Measured (benchmarks/control.py, "returning" rows): with the history, every first work bout of
the 40-60 bpm group gets "ease off" in its first 10 s (none without); time in band is unchanged.
Carrying the identified time constants and effort levels as priors as well was tried and gained
nothing (time in band and worst overshoot within 0.02 and 0.1 bpm), so only this is carried.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from zonetrainer.core.errors import UserError

log = logging.getLogger(__name__)

#: Session extra (``Recorder.finish``) under which a session stores its :class:`BoutHistory`.
EXTRA_KEY: Final = "zone_control_bouts"

#: A history older than this is not used: what an athlete does with "work" changes over weeks
#: of training or detraining (a product choice on that scale; no study fixes the number).
MAX_AGE_DAYS: Final = 42

#: Fewer work bouts than this say too little about how the athlete starts them.
MIN_WORK_BOUTS: Final = 2


class BoutHistoryError(ValueError):
    """A stored bout history that cannot be read."""


@dataclass(frozen=True, slots=True)
class BoutHistory:
    """How the work bouts of a session's zone-controlled blocks went."""

    work_bouts: int
    eased_bouts: int  # of them, how many needed an "ease off" cue

    def __post_init__(self) -> None:
        counts = (self.work_bouts, self.eased_bouts)
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in counts) or not (
                0 <= self.eased_bouts <= self.work_bouts):
            raise BoutHistoryError(
                f"{self.eased_bouts!r} eased of {self.work_bouts!r} work bouts is not a count")

    @property
    def usable(self) -> bool:
        """Enough work bouts to tell how the athlete starts them."""
        return self.work_bouts >= MIN_WORK_BOUTS

    @property
    def starts_too_hard(self) -> bool:
        """Most work bouts needed "ease off" (and there were enough to tell)."""
        return self.usable and 2 * self.eased_bouts > self.work_bouts

    def __add__(self, other: BoutHistory) -> BoutHistory:
        return BoutHistory(self.work_bouts + other.work_bouts,
                           self.eased_bouts + other.eased_bouts)

    def describe(self) -> str:
        return f"{self.eased_bouts} of {self.work_bouts} work bouts needed \"ease off\""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> BoutHistory:
        try:
            data: Any = json.loads(text)
        except ValueError as exc:
            raise BoutHistoryError(f"not JSON: {exc}") from None
        if not isinstance(data, dict) or set(data) != {"work_bouts", "eased_bouts"}:
            raise BoutHistoryError(f"expected work_bouts and eased_bouts, got {text[:80]!r}")
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Recalled:
    """A bout history found for an athlete, and the session it comes from."""

    history: BoutHistory
    session_id: int
    started_at: datetime

    def describe(self) -> str:
        day = self.started_at.astimezone().strftime("%Y-%m-%d")
        then = (", so the first work bout starts with \"ease off\""
                if self.history.starts_too_hard else "")
        return f"last time (session {self.session_id}, {day}): {self.history.describe()}{then}"


#: ``(athlete, key, since) -> (session id, started at, JSON) | None``: ``Store.latest_extra``.
Lookup = Callable[[str, str, datetime], "tuple[int, datetime, str] | None"]


def recall(lookup: Lookup, athlete: str, now: datetime) -> Recalled | None:
    """The athlete's newest bout history from the last MAX_AGE_DAYS, if any. A stored value
    that cannot be read, or a database that cannot answer (a UserError such as StoreError), is
    skipped with a warning: the session then starts as a first one."""
    try:
        found = lookup(athlete, EXTRA_KEY, now - timedelta(days=MAX_AGE_DAYS))
    except UserError as exc:
        log.warning("no bout history for %s: %s", athlete, exc)
        return None
    if found is None:
        return None
    session_id, started_at, text = found
    try:
        history = BoutHistory.from_json(text)
    except BoutHistoryError as exc:
        log.warning("ignoring the bout history of session %s: %s", session_id, exc)
        return None
    return Recalled(history, session_id, started_at)
