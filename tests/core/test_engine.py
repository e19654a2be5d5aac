"""SessionEngine: plan walking, signal loss, safety ceiling, intents, batches."""

from __future__ import annotations

import pytest

from tests.core.test_engine_fakes import ScriptedController, ToyStrap
from zonetrainer.core.control import ControllerConfigError
from zonetrainer.core.control._rest import MAX_REST_FACTOR, MIN_REST_S
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.errors import UserError
from zonetrainer.core.model import Band, HeartRateSample, ZoneTable
from zonetrainer.core.plan import Plan, load_plan, parse_plan, shipped_plans

BAND = Band(120.0, 135.0, "custom", "test", 5.0)
ZONES = ZoneTable((114.0, 133.0, 152.0, 171.0, 190.0), 190.0, "test zones")
CEILING = 175.0


def plan(body: str) -> Plan:
    return parse_plan('title = "t"\n' + body, "test.toml")


WARM_INTERVALS_COOL = plan("""
[[block]]
kind = "warmup"
duration_s = 60
[[block]]
kind = "intervals"
repeats = 2
work_s = 60
rest_s = 30
[[block]]
kind = "cooldown"
duration_s = 60
""")


def engine(p: Plan, **kw: object) -> SessionEngine:
    return SessionEngine(p, BAND, ZONES, CEILING, alpha1_factory=None, **kw)  # type: ignore[arg-type]


def sample(t: float, hr: float | None, contact: bool | None = True) -> HeartRateSample:
    return HeartRateSample(float(t), hr, (), contact, None, "t")


def run_to_end(e: SessionEngine, strap: ToyStrap, limit_s: int = 100_000) -> None:
    t = 0
    while not e.done and t < limit_s:
        t += 1
        for s in strap.drain(t):
            e.feed(s)
        strap.follow(e.tick(t))


def test_fixed_blocks_have_their_planned_length_and_intervals_are_in_session_time() -> None:
    switches = {20.0: "scripted A", 50.0: "scripted B", 95.0: "scripted C"}

    def factory(low: float, high: float, work_s: float, rest_s: float, duration_s: float,
                safety: float | None) -> ScriptedController:
        assert (low, high, work_s, rest_s, duration_s, safety) == (120, 135, 60, 30, 180, CEILING)
        return ScriptedController(switches, duration_s, work_s, rest_s)

    e = engine(WARM_INTERVALS_COOL, controller_factory=factory)
    run_to_end(e, ToyStrap())
    got = [(r.kind, r.start_s, r.end_s, r.planned_s, r.end_reason) for r in e.intervals]
    assert got == [
        ("warmup", 0.0, 60.0, 60.0, "planned length reached"),
        ("work", 60.0, 80.0, 60.0, "scripted A"),
        ("rest", 80.0, 110.0, 30.0, "scripted B"),
        ("work", 110.0, 155.0, 60.0, "scripted C"),
        ("rest", 155.0, 240.0, 30.0, "block ended"),
        ("cooldown", 240.0, 300.0, 60.0, "planned length reached"),
    ]
    assert e.state.done and e.state.phase == "done"
    assert [r.index for r in e.intervals] == list(range(6))
    # Per-interval HR figures come from that interval's own readings.
    first = e.intervals[0]
    readings = [s.hr_bpm for s in e.samples if 0 < s.t_s <= 60 and s.hr_bpm]
    assert first.max_hr_bpm == max(readings)


def test_the_real_controller_drives_an_interval_block() -> None:
    e = engine(WARM_INTERVALS_COOL)
    run_to_end(e, ToyStrap(work_bpm=150, rest_bpm=100))
    kinds = [r.kind for r in e.intervals]
    assert kinds[0] == "warmup" and kinds[-1] == "cooldown"
    assert "work" in kinds and "rest" in kinds
    assert e.elapsed_s == pytest.approx(300.0)
    for a, b in zip(e.intervals, e.intervals[1:], strict=False):
        assert a.end_s == b.start_s  # no gap, no overlap


def test_silence_loses_the_signal_after_3_s_and_never_shows_a_stale_hr() -> None:
    e = engine(WARM_INTERVALS_COOL)
    for t in range(1, 71):
        e.feed(sample(t, 125.0))
        e.tick(t)
    assert e.state.phase == "work" and e.state.hr_bpm == 125.0 and e.state.signal_live
    assert e.tick(73.0).hr_bpm == 125.0  # 3 s of silence: still live
    lost = e.tick(73.5)
    assert lost.hr_bpm is None and not lost.signal_live and lost.zone is None
    assert lost.phase == "hold"
    assert [ev.kind for ev in e.events].count("signal_lost") == 1
    assert e.events[-1].t_s == 73.0  # when it became lost, not when it was noticed
    back = e.feed(sample(80, 126.0))
    assert back.signal_live and back.hr_bpm == 126.0
    assert e.events[-1].kind == "signal_back"


@pytest.mark.parametrize("bad", [sample(71, None), sample(71, 0.0), sample(71, 130.0, False)])
def test_an_unusable_reading_loses_the_signal_at_once(bad: HeartRateSample) -> None:
    e = engine(WARM_INTERVALS_COOL)
    for t in range(1, 71):
        e.feed(sample(t, 125.0))
    state = e.feed(bad)
    assert state.hr_bpm is None and not state.signal_live and state.phase == "hold"


def test_outside_a_controlled_block_signal_loss_keeps_the_phase() -> None:
    e = engine(WARM_INTERVALS_COOL)
    e.feed(sample(1, 100.0))
    state = e.tick(10.0)
    assert state.phase == "warmup" and state.hr_bpm is None and not state.signal_live


def test_time_in_band_counts_only_live_signal_and_share_starts_at_first_entry() -> None:
    e = engine(WARM_INTERVALS_COOL)
    for t in range(1, 11):
        e.feed(sample(t, 110.0))  # below the band: 10 s (the last one counts 1 s to t=11)
    for t in range(11, 21):
        e.feed(sample(t, 125.0))  # in band from t=11 to t=21
    e.feed(sample(21, 140.0))  # above: counts 21..24, then 3 s cap (silence until 30)
    e.feed(sample(30, 125.0))  # in band 30..31
    e.feed(sample(31, None))  # contact lost: nothing counts
    state = e.tick(40.0)
    assert state.time_in_band_s == pytest.approx(11.0)
    summary = e.summary()
    assert summary.time_in_band_s == pytest.approx(11.0)
    assert summary.band_share == pytest.approx(11.0 / 14.0)
    assert summary.time_in_zone_s == pytest.approx((10.0, 11.0, 3.0, 0.0, 0.0))
    assert summary.sample_count == 23
    assert summary.max_hr_bpm == 140.0
    # Time-weighted like the zone times (issue 16): 10 s at 110, 11 s at 125, 3 s at 140.
    assert summary.avg_hr_bpm == pytest.approx((10 * 110 + 11 * 125 + 3 * 140) / 24)


def test_a_spike_is_neither_shown_nor_counted() -> None:
    e = engine(WARM_INTERVALS_COOL)
    for t in range(1, 11):
        e.feed(sample(t, 120.0))
    spike = e.feed(sample(11, 190.0))
    assert spike.hr_bpm == 120.0 and spike.signal_live
    for t in range(12, 21):
        state = e.feed(sample(t, 121.0))
    assert state.hr_bpm == 121.0
    summary = e.summary()
    assert summary.max_hr_bpm == 121.0 and summary.sample_count == 20
    assert summary.time_in_zone_s[4] == 0.0
    assert summary.time_in_band_s == pytest.approx(19.0)  # from t=1 to t=20


def test_safety_ceiling_forces_rest_within_one_reading_in_a_fixed_block() -> None:
    steady = plan('[[block]]\nkind = "steady"\nduration_s = 600\n')
    e = engine(steady)
    hr = 130.0
    t = 0
    while hr <= CEILING:
        t += 1
        hr += 2.0  # a fast but physiological rise (<= 3 bpm/s)
        state = e.feed(sample(t, hr))
    assert state.phase == "rest" and state.safety_rest and state.cue == "rest now"
    assert e.intervals[-1].end_reason == "safety ceiling"
    assert e.intervals[-1].kind == "work" and e.intervals[-1].end_s == t
    assert any(ev.kind == "safety_rest" for ev in e.events)
    for _ in range(40):  # HR falls: work resumes once below the ceiling by 5 bpm
        t += 1
        hr -= 2.0
        state = e.feed(sample(t, hr))
    assert state.phase == "work" and not state.safety_rest
    assert e.intervals[-1].kind == "rest"


def test_a_single_spike_above_the_ceiling_is_not_a_safety_rest() -> None:
    e = engine(plan('[[block]]\nkind = "warmup"\nduration_s = 600\n'))
    for t in range(1, 30):
        e.feed(sample(t, 200.0 if t == 20 else 120.0))
    assert e.state.phase == "warmup" and not e.intervals


def test_safety_ceiling_forces_rest_in_an_interval_block() -> None:
    e = engine(plan('[[block]]\nkind = "intervals"\nrepeats = 2\nwork_s = 600\nrest_s = 60\n'))
    # Reach the ceiling within the first 12 s: before that the loop's own early end of an
    # overshooting bout (never before half the minimum interval) cannot take it first.
    hr, t = CEILING - 8.0, 0
    while hr <= CEILING:
        t += 1
        hr += 1.0
        state = e.feed(sample(t, hr))
    assert state.phase == "rest" and state.safety_rest
    assert e.intervals[-1].end_reason == "safety ceiling" and e.intervals[-1].end_s == t


def test_steady_block_cues_on_the_band() -> None:
    e = engine(plan('[[block]]\nkind = "steady"\nduration_s = 600\ncue = "easy"\n'))
    for t in range(1, 15):
        state = e.feed(sample(t, 145.0))
    assert state.cue == "ease off" and state.phase == "work"
    for t in range(15, 40):
        state = e.feed(sample(t, 110.0))
    assert state.cue == "pick it up"
    for t in range(40, 60):
        state = e.feed(sample(t, 127.0))
    assert state.cue == "easy"  # the plan's own text when nothing needs saying


def test_ramp_steps_up_every_step_s() -> None:
    e = engine(plan('[[block]]\nkind = "ramp"\nsteps = 3\nstep_s = 60\n'))
    steps = []
    for t in range(1, 200):
        state = e.feed(sample(t, 110.0 + t / 10))
        steps.append(state.ramp_step)
    assert steps[0] == 0 and steps[58] == 0 and steps[59] == 1 and steps[120] == 2
    assert [(r.start_s, r.end_s, r.end_reason) for r in e.intervals] == [
        (0.0, 60.0, "step done"), (60.0, 120.0, "step done"), (120.0, 180.0, "ramp finished")]
    assert e.done


def test_pause_freezes_the_plan_and_skip_and_end_close_intervals() -> None:
    e = engine(WARM_INTERVALS_COOL)
    for t in range(1, 31):
        e.feed(sample(t, 110.0))
    paused = e.pause()
    assert paused.paused and paused.phase_remaining_s == pytest.approx(30.0)
    for t in range(31, 100):
        e.feed(sample(t, 110.0))
    state = e.resume()
    assert state.phase == "warmup" and state.phase_remaining_s == pytest.approx(30.0)
    assert e.summary().sample_count == 99  # readings during the pause are kept
    state = e.skip()
    assert state.phase == "work" and state.block_index == 1
    assert e.intervals[-1].end_reason == "skipped" and e.intervals[-1].end_s == 99.0
    e.feed(sample(120, 125.0))
    state = e.end()
    assert state.done and e.intervals[-1].end_reason == "ended by user"
    assert e.intervals[-1].kind == "work" and e.intervals[-1].start_s == 99.0
    assert [ev.kind for ev in e.events if ev.kind in ("pause", "resume", "skip", "end")] == [
        "pause", "resume", "skip", "end"]
    assert e.feed(sample(121, 125.0)).done  # after the end nothing moves
    assert e.tick(130.0).elapsed_s == 120.0
    assert e.summary().sample_count == 100 and e.summary().duration_s == 120.0


def test_batches_hold_everything_once() -> None:
    e = engine(WARM_INTERVALS_COOL)
    strap = ToyStrap(gaps=((100, 110),))
    batches = []
    t = 0
    while not e.done:
        t += 1
        for s in strap.drain(t):
            e.feed(s)
        strap.follow(e.tick(t))
        if t % 7 == 0:
            batches.append(e.take_batch())
    batches.append(e.take_batch())
    assert sum((b.samples for b in batches), ()) == tuple(strap.produced)
    assert sum((b.intervals for b in batches), ()) == tuple(e.intervals)
    assert sum((b.events for b in batches), ()) == tuple(e.events)
    assert e.take_batch().samples == ()


def test_exercises_cycle_over_work_intervals() -> None:
    p = plan("""
[[block]]
kind = "intervals"
repeats = 3
work_s = 40
rest_s = 20
[[block.exercise]]
name = "Deadlift"
[[block.exercise]]
name = "Row"
""")
    switches = {40.0: "a", 60.0: "b", 100.0: "c", 120.0: "d", 160.0: "e"}
    e = engine(p, controller_factory=lambda lo, hi, w, r, d, s: ScriptedController(
        switches, d, w, r))
    shown = []
    for t in range(1, 200):
        shown.append(e.feed(sample(t, 125.0)).exercise)
    works = [r.exercise for r in e.intervals if r.kind == "work"]
    assert works == ["Deadlift", "Row", "Deadlift"]
    assert shown[10] is not None and shown[10].name == "Deadlift"
    assert shown[45] is not None and shown[45].name == "Row"  # resting: the next one


@pytest.mark.parametrize("name", sorted(shipped_plans()))
def test_every_shipped_plan_runs_to_its_end(name: str) -> None:
    p = load_plan(name)
    e = engine(p)
    run_to_end(e, ToyStrap(work_bpm=150, rest_bpm=100))
    # A block with control = "rest" lasts as long as its heart-rate controlled rests: each
    # between the minimum and the longest rest. Every other block keeps its planned length.
    shortest = longest = 0.0
    for block in p.blocks:
        if block.kind == "intervals" and block.control == "rest":
            max_rest_s = block.max_rest_s or max(MIN_REST_S, MAX_REST_FACTOR * block.rest_s)
            shortest += block.repeats * (block.work_s + MIN_REST_S)
            longest += block.repeats * (block.work_s + max_rest_s)
        else:
            shortest, longest = shortest + block.planned_s, longest + block.planned_s
    assert e.done and shortest - 1e-6 <= e.elapsed_s <= longest + 1e-6
    assert e.intervals[0].start_s == 0.0 and e.intervals[-1].end_s == pytest.approx(e.elapsed_s)
    for a, b in zip(e.intervals, e.intervals[1:], strict=False):
        assert a.end_s == b.start_s
    if any(b.exercises for b in p.blocks):
        assert all(r.exercise for r in e.intervals if r.kind == "work")


def test_next_phase_and_time_left() -> None:
    e = engine(WARM_INTERVALS_COOL)
    state = e.feed(sample(10, 110.0))
    assert state.phase == "warmup" and state.next_phase == "work"
    assert state.phase_remaining_s == pytest.approx(50.0)
    assert state.session_duration_s == 300.0 and state.block_kind == "warmup"
    for t in range(11, 62):
        state = e.feed(sample(t, 125.0))
    assert state.phase == "work" and state.next_phase == "rest" and state.block_index == 1
    assert state.phase_remaining_s is not None and 0 < state.phase_remaining_s <= 60.0


def test_safety_ceiling_in_a_ramp_keeps_the_step_clock() -> None:
    e = engine(plan('[[block]]\nkind = "ramp"\nsteps = 4\nstep_s = 60\n'))
    hr = 150.0
    for t in range(1, 20):
        state = e.feed(sample(t, hr))
        hr += 2.0 if hr < CEILING + 4 else 0.0
    assert state.phase == "rest" and state.ramp_step == 0
    for t in range(20, 130):
        hr = max(150.0, hr - 2.0)
        state = e.feed(sample(t, hr))
    assert state.phase == "work" and state.ramp_step == 2
    reasons = [r.end_reason for r in e.intervals]
    assert reasons[:2] == ["safety ceiling", "HR back below the safety ceiling"]


def test_a_ceiling_inside_the_band_is_refused_before_the_session_starts() -> None:
    """Found only when the intervals block began, it stopped sessions after their warm-up."""
    for shipped in ("fatmax-intervals", "back-strength-circuit"):
        with pytest.raises(ControllerConfigError, match=r"safety_max \(130.0\) must be above "
                                                        r"the band's top \(135.0\)"):
            SessionEngine(load_plan(shipped), BAND, ZONES, 130.0, alpha1_factory=None)
    assert issubclass(ControllerConfigError, UserError)  # one line in the CLI and dashboard
    SessionEngine(load_plan("zone2-continuous"), BAND, ZONES, 130.0, alpha1_factory=None)
