"""The shipped strength circuit through the engine: planned sets, heart-rate controlled rests.

The simulated athlete (zonetrainer.core.sources.simulated) on a VirtualClock, through the
runner into a MemoryRecorder: what a user gets from ``zonetrainer run --plan
back-strength-circuit``.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from tests.core.test_engine import BAND, CEILING, ZONES, plan, run_to_end
from tests.core.test_engine_fakes import ToyStrap
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.control._rest import MAX_REST_FACTOR, MIN_REST_S
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import HeartRateSample, SessionHeader, SessionState
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.recorder import MemoryRecorder
from zonetrainer.core.runner import run_session
from zonetrainer.core.sources.simulated import simulated_source_for

EXERCISES = ["Controlled-eccentric deadlift", "Front-loaded barbell row",
             "Cable pullover with hip hinge"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_strength_circuit_runs_its_sets_and_lets_heart_rate_end_the_rests(seed: int) -> None:
    profile = Profile()
    band = profile.band()
    p = load_plan("back-strength-circuit")
    circuit = p.blocks[1]
    assert circuit.kind == "intervals" and circuit.control == "rest"
    engine = SessionEngine(p, band, profile.zones(), profile.safety_ceiling_bpm,
                           alpha1_factory=None)
    strap = simulated_source_for(profile, band, seed)
    true_hr: dict[int, float] = {}
    states: list[SessionState] = []

    def seen(state: SessionState) -> None:
        states.append(state)
        true_hr[round(state.elapsed_s)] = strap.athlete.true_hr_bpm

    recorder = MemoryRecorder()
    header = SessionHeader(datetime(2026, 11, 23, 20, 0, tzinfo=UTC), p.name, "Athlete", band,
                           profile.zones(), "simulated")
    session_id, _ = asyncio.run(run_session(engine, strap, VirtualClock(), recorder, header,
                                            on_state=seen))
    record = recorder.records[session_id]
    assert record.status == "finished" and record.intervals == tuple(engine.intervals)

    kinds = [r.kind for r in engine.intervals]
    assert kinds == ["warmup"] + ["work", "rest"] * circuit.repeats + ["cooldown"]
    sets = [r for r in engine.intervals if r.kind == "work"]
    rests = [r for r in engine.intervals if r.kind == "rest"]
    # A set is a set: nine of them, each exactly its planned 60 s, exercises in turn.
    assert [r.end_s - r.start_s for r in sets] == [circuit.work_s] * 9
    assert all(r.end_reason == "planned length reached" for r in sets)
    assert [r.exercise for r in sets] == EXERCISES * 3
    # Rests: between the minimum and the longest, ended by the heart rate.
    longest = MAX_REST_FACTOR * circuit.rest_s
    assert all(MIN_REST_S <= r.end_s - r.start_s <= longest for r in rests)
    assert all(r.end_reason.startswith("HR settle") for r in rests)
    assert len({r.end_s - r.start_s for r in rests}) > 3  # each as long as that recovery took
    # The set after a rest starts as HR reaches the band's bottom: the heart's own rate (no
    # strap noise) bottoms out near it, neither far above nor well under it.
    for r in rests[1:-1]:
        trough = min(true_hr[t] for t in range(round(r.end_s), round(r.end_s) + 25))
        assert band.low_bpm - 4.0 <= trough <= band.low_bpm + 7.0, (r, trough)
    # The session's length follows the rests, not the nominal 90 s each.
    assert engine.elapsed_s == pytest.approx(
        p.blocks[0].planned_s + sum(r.end_s - r.start_s for r in sets + rests)
        + p.blocks[2].planned_s)
    # ... and so does the session length the progress display is given, once it is known.
    assert states[-1].session_duration_s == pytest.approx(engine.elapsed_s)
    assert all(s.elapsed_s <= s.session_duration_s + 1e-6 for s in states)

    # What the athlete is shown: the set's exercise and the block's cue in a set; in a rest the
    # next exercise and no work cue; the last rest leads to the cool-down, with no exercise.
    in_circuit = [s for s in states if s.block_index == 1 and not s.done]
    for s in in_circuit:
        if s.phase == "rest":
            assert s.cue != circuit.cue
    for r, name in zip(sets, EXERCISES * 3, strict=True):
        during = [s for s in in_circuit if r.start_s < s.elapsed_s < r.end_s and s.phase == "work"]
        assert during and all(s.exercise is not None and s.exercise.name == name for s in during)
        assert all(s.cue == circuit.cue for s in during if not s.safety_rest)
    last_rest = [s for s in in_circuit if s.elapsed_s > rests[-1].start_s and s.phase == "rest"]
    assert last_rest and all(s.next_phase == "cooldown" and s.exercise is None
                             for s in last_rest)
    other_rests = [s for s in in_circuit if rests[0].start_s < s.elapsed_s < rests[0].end_s
                   and s.phase == "rest"]
    assert other_rests and all(s.next_phase == "work" and s.exercise is not None
                               and s.exercise.name == EXERCISES[1] for s in other_rests)


def test_a_rest_does_not_show_the_blocks_work_cue_in_a_zone_controlled_block_either() -> None:
    p = plan('[[block]]\nkind = "intervals"\nrepeats = 3\nwork_s = 60\nrest_s = 60\n'
             'cue = "Push the pace"\n')
    e = SessionEngine(p, BAND, ZONES, CEILING, alpha1_factory=None)
    strap = ToyStrap(work_bpm=150, rest_bpm=100, start_bpm=115)
    states: list[SessionState] = []
    t = 0
    while not e.done and t < 1000:
        t += 1
        for s in strap.drain(t):
            e.feed(s)
        states.append(e.tick(t))
        strap.follow(states[-1])
    assert {s.cue for s in states if s.phase == "rest"} == {None}
    assert "Push the pace" in {s.cue for s in states if s.phase == "work"}


def test_a_rest_controlled_block_runs_its_sets_with_the_toy_strap_too() -> None:
    p = plan('[[block]]\nkind = "intervals"\nrepeats = 4\nwork_s = 45\nrest_s = 60\n'
             'control = "rest"\nmax_rest_s = 100\n')
    e = SessionEngine(p, BAND, ZONES, CEILING, alpha1_factory=None)
    run_to_end(e, ToyStrap(work_bpm=150, rest_bpm=130, start_bpm=125))  # rests never settle
    assert [r.kind for r in e.intervals] == ["work", "rest"] * 4
    assert {r.end_s - r.start_s for r in e.intervals if r.kind == "work"} == {45.0}
    assert {(r.end_s - r.start_s, r.end_reason) for r in e.intervals if r.kind == "rest"} == {
        (100.0, "longest rest reached")}
    assert e.done and e.elapsed_s == 4 * (45 + 100)


def test_end_interval_skips_a_set_a_rest_a_bout_or_a_fixed_block() -> None:
    body = ('[[block]]\nkind = "intervals"\nrepeats = 2\nwork_s = 60\nrest_s = 60\n'
            'control = "{}"\n[[block.exercise]]\nname = "Row"\n[[block.exercise]]\nname = "Pull"\n'
            '[[block]]\nkind = "cooldown"\nduration_s = 60\n')
    e = SessionEngine(plan(body.format("rest")), BAND, ZONES, CEILING, alpha1_factory=None)
    strap = ToyStrap(work_bpm=150, rest_bpm=100, start_bpm=115)
    for t in range(1, 31):
        for s in strap.drain(t):
            e.feed(s)
        strap.follow(e.tick(t))
    state = e.end_interval()
    assert state.phase == "rest" and state.exercise is not None and state.exercise.name == "Pull"
    first = e.intervals[0]
    assert (first.kind, first.end_s, first.end_reason, first.exercise) == (
        "work", 30.0, "ended by the athlete", "Row")
    assert e.events[-1].kind == "end_interval" and e.events[-1].detail == "work in block 1"
    e.tick(31.0)
    assert e.end_interval().phase == "work" and e.intervals[-1].kind == "rest"
    e.tick(32.0)
    e.end_interval()  # the second set ...
    e.tick(33.0)
    state = e.end_interval()  # ... and its rest: the block is over
    assert state.block_index == 1 and state.phase == "cooldown"
    assert [r.kind for r in e.intervals] == ["work", "rest", "work", "rest"]
    assert [r.exercise for r in e.intervals if r.kind == "work"] == ["Row", "Pull"]

    zone = SessionEngine(plan(body.format("both")), BAND, ZONES, CEILING, alpha1_factory=None)
    for t in range(1, 31):
        zone.feed(HeartRateSample(float(t), 125.0, (), True, None, "t"))
    state = zone.end_interval()  # the zone-control loop's bout too: the athlete skips it
    assert state.phase == "rest" and state.block_index == 0
    assert (zone.intervals[-1].kind, zone.intervals[-1].end_reason) == (
        "work", "ended by the athlete")
    zone.tick(31.0)
    assert zone.end_interval().phase == "work"  # and the rest

    fixed = SessionEngine(plan('[[block]]\nkind = "warmup"\nduration_s = 60\n' + body.format(
        "both")), BAND, ZONES, CEILING, alpha1_factory=None)
    fixed.feed(HeartRateSample(1.0, 100.0, (), True, None, "t"))
    state = fixed.end_interval()  # a warm-up is one interval: skipping it ends the block
    assert state.block_index == 1 and state.phase == "work"
    assert fixed.intervals[-1].kind == "warmup"
