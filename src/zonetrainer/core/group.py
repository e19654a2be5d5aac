"""A group session (coach mode): several athletes at once, each with their own strap, band,
plan, loop and stored session.

Nothing is shared between the athletes but the asyncio loop and the recorder's worker: each
member is one unchanged :class:`SessionRunner` (its own :class:`SessionEngine`, source, clock
and session id), run as its own task. One member's strap dropping, its source failing to
connect or its callback raising ends or holds that member only; the others go on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from zonetrainer.core.errors import UserError
from zonetrainer.core.model import SessionState, SessionSummary
from zonetrainer.core.runner import SessionRunner

log = logging.getLogger(__name__)

#: The most athletes one group screen and one process are built and measured for
#: (benchmarks/group.py: 30 at 1 Hz).
MAX_ATHLETES: Final = 30

GroupStateCallback = Callable[[str, SessionState], None]


class GroupError(UserError):
    """A group that cannot be run as given (a strap assigned twice, a name used twice)."""


def check_assignments(pairs: Iterable[tuple[str, str | None]]) -> None:
    """Refuse two athletes of one name, or one strap (address or name, any case) assigned to
    two athletes: each athlete's session must hold only their own strap's samples.
    ``pairs``: (athlete, strap or None for a simulated strap)."""
    names: set[str] = set()
    straps: dict[str, str] = {}
    count = 0
    for athlete, strap in pairs:
        count += 1
        if not athlete.strip():
            raise GroupError("every athlete of a group needs a name")
        if athlete in names:
            raise GroupError(f"athlete '{athlete}' is in the group twice")
        names.add(athlete)
        if strap is None:
            continue
        key = strap.strip().lower()
        if not key:
            raise GroupError(f"no strap given for {athlete}: write {athlete}=ADDRESS")
        if key in straps:
            raise GroupError(f"strap {strap.strip()} is assigned to both {straps[key]} and "
                             f"{athlete}: each athlete needs their own strap")
        straps[key] = athlete
    if count > MAX_ATHLETES:
        raise GroupError(f"{count} athletes: a group holds at most {MAX_ATHLETES}")


def named_cue(name: str, cue: str) -> str:
    """The cue as said to one athlete of a group: "Ann, ease off"."""
    return f"{name}, {cue}"


@dataclass
class Member:
    """One athlete of the group: their runner, their task once started, their latest state,
    and the error that stopped them (if one did)."""

    name: str
    runner: SessionRunner
    task: asyncio.Task[tuple[int, SessionSummary]] | None = None
    state: SessionState | None = None
    error: BaseException | None = None

    @property
    def started(self) -> bool:
        return self.task is not None

    @property
    def finished(self) -> bool:
        return self.task is not None and self.task.done()

    @property
    def session_id(self) -> int | None:
        return self.runner.session_id

    @property
    def strap(self) -> str:
        return self.runner.source.source_id


class GroupSession:
    """Runs one :class:`SessionRunner` per athlete. Start all at once (:meth:`start_all`) or
    each when ready (:meth:`start`); pause, resume, skip and end one athlete (by name) or all
    (name None). ``on_state(name, state)`` hears every state of every athlete."""

    def __init__(self, members: Sequence[tuple[str, SessionRunner]],
                 on_state: GroupStateCallback | None = None) -> None:
        if not members:
            raise GroupError("a group needs at least one athlete")
        check_assignments((name, runner.source.source_id) for name, runner in members)
        self.on_state = on_state
        self.members: dict[str, Member] = {}
        for name, runner in members:
            member = Member(name, runner)
            runner.on_state = self._relay(member, runner.on_state)
            self.members[name] = member

    def _relay(self, member: Member, inner: Callable[[SessionState], None] | None
               ) -> Callable[[SessionState], None]:
        def relay(state: SessionState) -> None:
            member.state = state
            if inner is not None:
                inner(state)
            if self.on_state is not None:
                try:
                    self.on_state(member.name, state)
                except Exception:  # the screen of one athlete must not stop their session
                    log.exception("group display failed for %s", member.name)
        return relay

    def __len__(self) -> int:
        return len(self.members)

    def member(self, name: str) -> Member:
        try:
            return self.members[name]
        except KeyError:
            known = ", ".join(self.members)
            raise GroupError(f"no athlete '{name}' in this group (it has {known})") from None

    # -- starting ---------------------------------------------------------------------------------
    def start(self, name: str) -> Member:
        """Start one athlete's session (on the running loop); a second start does nothing."""
        member = self.member(name)
        if member.task is None:
            member.task = asyncio.get_running_loop().create_task(
                self._run_one(member), name=f"group:{name}")
        return member

    def start_all(self) -> None:
        for name in self.members:
            self.start(name)

    async def _run_one(self, member: Member) -> tuple[int, SessionSummary]:
        try:
            return await member.runner.run()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # kept for the report; the other athletes' tasks never see it
            member.error = exc
            log.warning("%s: session stopped: %s", member.name, exc)
            raise

    async def run(self) -> dict[str, Member]:
        """Start whoever has not started, wait for every athlete's session to end. A member
        whose session failed has ``error`` set; cancelling this ends (and stores) them all."""
        self.start_all()
        tasks = [m.task for m in self.members.values() if m.task is not None]
        try:
            await asyncio.gather(*tasks, return_exceptions=True)
        except asyncio.CancelledError:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return self.members

    # -- intents: one athlete by name, or all with name None --------------------------------------
    def _targets(self, name: str | None) -> list[Member]:
        chosen = list(self.members.values()) if name is None else [self.member(name)]
        return [m for m in chosen if m.started and not m.finished]

    def pause(self, name: str | None = None) -> None:
        for m in self._targets(name):
            m.runner.pause()

    def resume(self, name: str | None = None) -> None:
        for m in self._targets(name):
            m.runner.resume()

    def skip(self, name: str | None = None) -> None:
        for m in self._targets(name):
            m.runner.end_interval()

    def end(self, name: str | None = None, reason: str = "ended by the coach") -> None:
        for m in self._targets(name):
            m.runner.end(reason)

    @property
    def done(self) -> bool:
        return all(m.finished for m in self.members.values())
