"""RestController: planned sets, heart-rate controlled rests (min, max, safety, signal loss)."""

from __future__ import annotations

import math
from collections import deque

import pytest

from zonetrainer.core.control import HOLD_AFTER_S, ControllerConfigError
from zonetrainer.core.control._rest import (
    LONGEST_REST,
    MAX_REST_FACTOR,
    MIN_REST_S,
    RestController,
)
from zonetrainer.core.plan import SHORTEST_MAX_REST_S

LOW, HIGH, CEILING = 108.0, 126.0, 170.0
WORK_S, REST_S, REPEATS = 60.0, 90.0, 9


class Heart:
    """A first-order heart rate with a dead time, one reading a second: exact and noiseless."""

    def __init__(self, work_bpm: float = 150.0, rest_bpm: float = 80.0, start_bpm: float = 100.0,
                 tau_s: float = 40.0, dead_s: int = 8) -> None:
        self.efforts = {"work": work_bpm, "rest": rest_bpm}
        self.hr_bpm = start_bpm
        self.tau_s = tau_s
        self.pipe: deque[float] = deque([start_bpm] * dead_s)

    def step(self, effort_bpm: float) -> float:
        self.pipe.append(effort_bpm)
        target = self.pipe.popleft()
        self.hr_bpm = target + (self.hr_bpm - target) * math.exp(-1.0 / self.tau_s)
        return self.hr_bpm


def controller(**kw: object) -> RestController:
    args: dict[str, object] = {"low": LOW, "high": HIGH, "work_s": WORK_S, "rest_s": REST_S,
                               "repeats": REPEATS, "safety_max": CEILING}
    args.update(kw)
    return RestController(**args)  # type: ignore[arg-type]


def run(c: RestController, heart: Heart, limit_s: int = 5000) -> dict[int, float]:
    """Closed loop until done; returns the heart rate at every second."""
    hrs: dict[int, float] = {}
    effort = heart.efforts["work"]
    answer = "work"
    for t in range(1, limit_s):
        hrs[t] = heart.step(effort)
        answer = c.update(t, hrs[t])
        if answer == "done":
            return hrs
        if answer in heart.efforts:
            effort = heart.efforts[answer]
    raise AssertionError(f"not done after {limit_s} s: {answer}")


def test_every_set_has_its_planned_length_and_there_are_repeats_of_them() -> None:
    c = controller()
    run(c, Heart())
    sets = [r for r in c.intervals if r.kind == "work"]
    rests = [r for r in c.intervals if r.kind == "rest"]
    assert len(sets) == len(rests) == REPEATS and c.sets_done == REPEATS
    assert all(r.end_s - r.start_s == WORK_S and r.planned_s == WORK_S for r in sets)
    assert all(r.end_reason == "planned length reached" for r in sets)
    assert all(r.planned_s == REST_S for r in rests)
    assert [r.kind for r in c.intervals] == ["work", "rest"] * REPEATS  # a set, then its rest
    assert [r.index for r in c.intervals] == list(range(2 * REPEATS))
    for a, b in zip(c.intervals, c.intervals[1:], strict=False):
        assert a.end_s == b.start_s
    assert c.done and c.update(c.intervals[-1].end_s + 1, 110.0) == "done"


@pytest.mark.parametrize("heart", [
    Heart(work_bpm=145.0, rest_bpm=95.0, tau_s=60.0, dead_s=10),
    Heart(work_bpm=140.0, rest_bpm=95.0, tau_s=100.0, dead_s=15),
    Heart(work_bpm=150.0, rest_bpm=95.0, tau_s=30.0, dead_s=5),
], ids=["tau60", "tau100", "tau30"])
def test_a_rest_ends_as_hr_reaches_the_band_bottom_not_after_it_undershoots(heart: Heart) -> None:
    c = controller()
    hrs = run(c, heart)
    rests = [r for r in c.intervals if r.kind == "rest"]
    for r in rests[1:-1]:  # after the first rest the response is learnt; a set follows
        end = int(r.end_s)
        trough = min(hrs[t] for t in range(end, end + 25))  # HR falls on for the dead time
        assert LOW <= trough <= LOW + 3.0, (r, trough)
        assert hrs[end] > LOW + 1.0  # the set starts before HR reached the bottom ...
        assert MIN_REST_S < r.end_s - r.start_s < REST_S * MAX_REST_FACTOR  # ... on HR, not time
        assert "HR settles to" in r.end_reason and "(predicted)" in r.end_reason


def test_no_rest_is_shorter_than_the_minimum_even_when_hr_is_already_low() -> None:
    c = controller()
    hrs = run(c, Heart(work_bpm=100.0, rest_bpm=70.0, start_bpm=95.0))  # sets that stay low
    rests = [r for r in c.intervals if r.kind == "rest"]
    assert all(r.end_s - r.start_s == MIN_REST_S for r in rests)
    assert all(r.end_reason.startswith("HR settled to ") for r in rests)
    said = float(rests[0].end_reason.removeprefix("HR settled to ").removesuffix(" bpm"))
    assert abs(said - hrs[int(rests[0].end_s)]) <= 1.0  # the spike filter's level, not a reading


def test_a_rest_ends_at_the_longest_rest_when_hr_does_not_settle() -> None:
    c = controller()
    run(c, Heart(work_bpm=140.0, rest_bpm=118.0, start_bpm=118.0))  # rest level inside the band
    rests = [r for r in c.intervals if r.kind == "rest"]
    assert all(r.end_s - r.start_s == MAX_REST_FACTOR * REST_S for r in rests)
    assert all(r.end_reason == LONGEST_REST for r in rests)
    c = controller(max_rest_s=100.0)
    run(c, Heart(work_bpm=140.0, rest_bpm=118.0, start_bpm=118.0))
    assert {r.end_s - r.start_s for r in c.intervals if r.kind == "rest"} == {100.0}


def test_a_short_nominal_rest_still_gets_the_minimum_and_the_longest_is_never_below_it() -> None:
    c = controller(rest_s=5.0)
    assert c.max_rest_s == MIN_REST_S
    run(c, Heart(work_bpm=140.0, rest_bpm=118.0, start_bpm=118.0))
    assert {r.end_s - r.start_s for r in c.intervals if r.kind == "rest"} == {MIN_REST_S}


def test_hr_above_the_safety_ceiling_ends_a_set_at_once_and_holds_the_rest() -> None:
    c = controller(repeats=2)
    hr = 150.0
    t = 0
    while hr <= CEILING:  # a rise a heart can make (2 bpm/s), not a spike
        t += 1
        hr += 2.0
        assert c.update(t, hr) == ("work" if hr <= CEILING else "rest")
    first = c.intervals[0]
    assert first.kind == "work" and first.end_reason == "safety ceiling" and first.end_s == t
    assert c.safety_rest and c.sets_done == 1  # the cut set counts: the circuit keeps its sets
    cut_s = t
    for t in range(cut_s + 1, cut_s + 400):  # far past the longest rest: above the ceiling
        assert c.update(t, CEILING + 3.0) == "rest"
    # Below the ceiling but within 5 bpm of it: still a safety rest; then the usual rules.
    for hr in (CEILING - 2.0, CEILING - 4.0):
        t += 1
        assert c.update(t, hr) == "rest" and c.safety_rest
    while c.phase == "rest":
        t += 1
        hr -= 2.0
        c.update(t, hr)
    assert not c.safety_rest and c.intervals[-1].end_reason == LONGEST_REST
    assert c.phase == "work" and c.sets_done == 1


def test_a_single_spike_above_the_ceiling_ends_nothing() -> None:
    c = controller()
    for t in range(1, 30):
        c.update(t, 140.0)
    assert c.update(30, 210.0) == "work" and not c.safety_rest
    assert c.update(31, 140.0) == "work" and c.intervals == []


def test_signal_loss_holds_within_3_s_and_a_rest_never_ends_on_no_reading() -> None:
    c = controller()
    heart = Heart()
    t = 0
    answer = "work"
    while c.phase == "work":
        t += 1
        answer = c.update(t, heart.step(150.0))
    rest_start = t
    for t in range(rest_start + 1, rest_start + 20):
        answer = c.update(t, heart.step(80.0))
    assert answer == "rest"
    lost = t
    for t in range(lost + 1, rest_start + 150):  # lost for 130 s, past the minimum rest
        heart.step(80.0)
        answer = c.update(t, None if t % 2 else 0.0)  # nothing, or the 0 bpm of lost contact
        if t - lost < HOLD_AFTER_S:
            assert answer == "rest"
        else:
            assert answer == "hold" and c.phase == "rest", t
    assert c.hr_bpm is None and c.predicted_hr_bpm is None
    assert len(c.intervals) == 1  # heart rate fell below the bottom meanwhile: no decision
    # HR is now 40+ bpm below the last level seen: the filter waits for a second reading to
    # confirm it is no spike, then the rest ends at once.
    assert c.update(t + 1, heart.step(80.0)) == "hold"
    assert c.update(t + 2, heart.step(80.0)) == "work"
    assert c.intervals[-1].end_reason.startswith("HR settled to")


def test_a_set_keeps_its_length_without_signal_and_a_lost_rest_ends_at_the_longest() -> None:
    c = controller()
    for t in range(1, 11):
        c.update(t, 120.0)
    answers = [c.update(t, None) for t in range(11, 61)]
    assert answers[-1] == "hold" and c.phase == "rest"
    assert c.intervals[0].end_s == WORK_S and c.intervals[0].end_reason == "planned length reached"
    answers = [c.update(t, None) for t in range(61, 61 + int(MAX_REST_FACTOR * REST_S))]
    assert c.phase == "work" and c.intervals[-1].end_s == WORK_S + MAX_REST_FACTOR * REST_S
    assert c.intervals[-1].end_reason == f"{LONGEST_REST} (no signal)"
    assert answers[-1] == "hold"  # the next set runs; the display still says no signal


def test_the_countdown_is_the_set_then_the_expected_rest() -> None:
    c = controller()
    heart = Heart()
    assert c.expected_remaining_s is None
    c.update(1, heart.step(150.0))
    assert c.expected_remaining_s == WORK_S - 1.0
    t = 1
    effort = 150.0
    seen: list[tuple[int, float]] = []
    while c.sets_done < 3 or c.phase == "rest":
        t += 1
        answer = c.update(t, heart.step(effort))
        effort = 150.0 if answer == "work" else 80.0
        if c.phase == "rest" and c.sets_done == 3:
            remaining = c.expected_remaining_s
            assert remaining is not None
            seen.append((t, remaining))
    end = c.intervals[-1].end_s
    assert all(t + r >= c.intervals[-1].start_s + MIN_REST_S for t, r in seen)
    late = [(t, r) for t, r in seen if t >= end - 20]  # near the end the forecast is close
    assert late and all(abs(t + r - end) <= 5.0 for t, r in late)


@pytest.mark.parametrize(("kw", "message"), [
    ({"repeats": 0}, "repeats must be a whole number >= 1"),
    ({"repeats": 2.5}, "repeats must be a whole number >= 1"),
    ({"repeats": True}, "repeats must be a whole number >= 1"),
    ({"low": 130.0}, "band must satisfy"),
    ({"work_s": 0.0}, "work_s must be positive"),
    ({"rest_s": math.nan}, "rest_s must be a finite number"),
    ({"safety_max": 120.0}, "safety_max (120.0) must be above the band's top"),
    ({"max_rest_s": 20.0}, "max_rest_s must be a number >= min_rest_s (30)"),
    ({"max_rest_s": math.inf}, "max_rest_s must be a number >= min_rest_s"),
    ({"min_rest_s": -1.0}, "min_rest_s must be a number of seconds >= 0"),
])
def test_impossible_settings_are_refused_with_a_clear_message(kw: dict[str, object],
                                                              message: str) -> None:
    with pytest.raises(ControllerConfigError, match=message.replace("(", r"\(").replace(
            ")", r"\)")):
        controller(**kw)


def test_time_must_not_go_backwards_and_must_be_a_number() -> None:
    c = controller()
    c.update(5, 110.0)
    with pytest.raises(ValueError, match="backwards"):
        c.update(4, 110.0)
    with pytest.raises(ValueError, match="not a number"):
        c.update(math.nan, 110.0)


def test_the_plan_refuses_a_longest_rest_below_the_controllers_minimum() -> None:
    assert SHORTEST_MAX_REST_S == MIN_REST_S


def test_the_athlete_may_end_a_set_or_a_rest_early_but_not_a_safety_rest() -> None:
    c = controller(repeats=2)
    for t in range(1, 21):
        c.update(t, 120.0)
    assert c.end_interval(20.5)  # the reps are done before the planned minute
    assert c.phase == "rest" and c.sets_done == 1
    assert (c.intervals[-1].kind, c.intervals[-1].end_s, c.intervals[-1].end_reason) == (
        "work", 20.5, "ended by the athlete")
    assert c.update(21, 120.0) == "rest"
    assert c.end_interval(25.0) and c.phase == "work"  # ready before the minimum rest
    assert c.intervals[-1].kind == "rest" and c.intervals[-1].end_reason == "ended by the athlete"
    with pytest.raises(ValueError, match="backwards"):
        c.end_interval(24.0)
    hr = 150.0
    t = 25
    while not c.safety_rest:
        t += 1
        hr += 2.0
        c.update(t, hr)
    assert c.phase == "rest" and not c.end_interval(t + 0.5)  # HR above the ceiling: no
    assert c.final_rest and c.intervals[-1].end_reason == "safety ceiling"
    cut_s = t
    for t in range(cut_s + 1, cut_s + 40):
        c.update(t, 140.0)
    assert not c.safety_rest and c.end_interval(t + 0.5) and c.done
    assert not c.end_interval(t + 1.0)
    assert [r.kind for r in c.intervals] == ["work", "rest", "work", "rest"]
