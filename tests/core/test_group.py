"""GroupSession: one unchanged runner per athlete; intents by name or for all; one athlete's
failure or end touches no other."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from tests.e2e.test_cli_run import SHORT_PLAN
from zonetrainer.cli.group import sim_profile
from zonetrainer.cli.run import simulated_source
from zonetrainer.core.clock import ScaledClock, VirtualClock
from zonetrainer.core.group import GroupError, GroupSession, check_assignments, named_cue
from zonetrainer.core.model import HeartRateSample
from zonetrainer.core.plan import parse_plan
from zonetrainer.core.recorder import MemoryRecorder
from zonetrainer.core.runner import SessionRunner, runner_for
from zonetrainer.core.sources.base import HeartRateSource, SourceError

PLAN = parse_plan(SHORT_PLAN, "short.toml")


def sim_runner(k: int, recorder: MemoryRecorder, clock: VirtualClock | ScaledClock | None = None,
               source: HeartRateSource | None = None) -> SessionRunner:
    profile = sim_profile(k)
    if source is None:
        source = simulated_source(profile, k)
        source.source_id = f"simulated-{k}"
    return runner_for(PLAN, profile, source, clock or VirtualClock(), recorder,
                      datetime.now(UTC))


class RefusedStrap(HeartRateSource):
    source_id = "C0:FF:EE:00:00:99"

    async def start(self) -> None:
        raise SourceError("Could not connect to the strap C0:FF:EE:00:00:99: refused")

    def drain(self, now_s: float) -> list[HeartRateSample]:
        return []

    async def stop(self) -> None:
        pass


@pytest.mark.parametrize(("pairs", "message"), [
    ([("Ann", "H10"), ("Bob", "h10 ")], "strap h10 is assigned to both Ann and Bob"),
    ([("Ann", "A"), ("Ann", "B")], "athlete 'Ann' is in the group twice"),
    ([(" ", "A")], "needs a name"),
    ([("Ann", " ")], "no strap given for Ann"),
    ([(f"A{k}", None) for k in range(31)], "at most 30"),
])
def test_bad_groups_are_refused(pairs: list[tuple[str, str | None]], message: str) -> None:
    with pytest.raises(GroupError, match=message):
        check_assignments(pairs)


def test_simulated_straps_may_share_no_name_but_need_none() -> None:
    check_assignments([("Ann", None), ("Bob", None)])
    assert named_cue("Ann", "ease off") == "Ann, ease off"


def test_every_athlete_is_stored_as_their_own_session() -> None:
    recorder = MemoryRecorder()
    heard: dict[str, int] = {}
    group = GroupSession([(f"A{k}", sim_runner(k, recorder)) for k in range(4)],
                         on_state=lambda n, _s: heard.__setitem__(n, heard.get(n, 0) + 1))
    members = asyncio.run(group.run())
    assert group.done and set(heard) == {"A0", "A1", "A2", "A3"}
    ids = {m.session_id for m in members.values()}
    assert len(ids) == 4 and len(recorder.records) == 4
    for name, member in members.items():
        record = recorder.records[member.session_id]  # type: ignore[index]
        assert record.status == "finished"
        assert {s.source_id for s in record.samples} == {member.strap}
        assert record.header.source_id == member.strap
        assert heard[name] > 0


def test_a_strap_that_will_not_connect_stops_only_its_athlete() -> None:
    recorder = MemoryRecorder()
    group = GroupSession([("Ann", sim_runner(1, recorder)),
                          ("Bob", sim_runner(2, recorder, source=RefusedStrap())),
                          ("Cleo", sim_runner(3, recorder))])
    members = asyncio.run(group.run())
    assert isinstance(members["Bob"].error, SourceError) and members["Bob"].session_id is None
    assert members["Ann"].error is None and members["Cleo"].error is None
    assert sorted(r.status for r in recorder.records.values()) == ["finished", "finished"]


def test_a_failing_display_never_stops_a_session() -> None:
    recorder = MemoryRecorder()

    def broken(_name: str, _state: object) -> None:
        raise RuntimeError("the screen fell over")
    group = GroupSession([("Ann", sim_runner(1, recorder))], on_state=broken)
    members = asyncio.run(group.run())
    assert members["Ann"].error is None and recorder.records[1].status == "finished"


def test_intents_by_name_touch_only_that_athlete_and_none_means_all() -> None:
    recorder = MemoryRecorder()
    clock = ScaledClock(200.0)  # shared, as for real straps: everyone is live at once
    group = GroupSession([(n, sim_runner(k, recorder, clock))
                          for k, n in enumerate(["Ann", "Bob", "Cleo"])])
    with pytest.raises(GroupError, match="no athlete 'Zed' in this group"):
        group.pause("Zed")

    async def drive() -> None:
        group.start("Bob")
        assert not group.members["Ann"].started
        task = asyncio.create_task(group.run())  # starts the others
        while any(m.state is None for m in group.members.values()):
            await asyncio.sleep(0.01)
        group.pause("Ann")
        await asyncio.sleep(0.1)
        states = {n: m.state for n, m in group.members.items()}
        assert states["Ann"] is not None and states["Ann"].paused
        assert not any(s is not None and s.paused for n, s in states.items() if n != "Ann")
        group.end("Bob")
        while not group.members["Bob"].finished:
            await asyncio.sleep(0.01)
        assert not group.members["Cleo"].finished
        group.resume()  # all: Ann goes on
        await asyncio.sleep(0.1)
        ann = group.members["Ann"].state
        assert ann is not None and not ann.paused
        group.end()
        await task

    asyncio.run(drive())
    assert all(r.status == "ended early" for r in recorder.records.values())


def test_cancelling_the_group_stores_every_session_as_far_as_it_went() -> None:
    recorder = MemoryRecorder()
    clock = ScaledClock(50.0)
    group = GroupSession([(f"A{k}", sim_runner(k, recorder, clock)) for k in range(3)])

    async def drive() -> None:
        task = asyncio.create_task(group.run())
        while any(not m.runner.engine.samples for m in group.members.values()):
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(drive())
    assert len(recorder.records) == 3
    assert all(r.summary is not None and r.samples for r in recorder.records.values())
