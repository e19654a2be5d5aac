"""The zone-control loop against a small first-order athlete with a dead time."""

from __future__ import annotations

import math
import random
from collections import deque

import pytest

from zonetrainer.control import ControllerConfigError, ZoneController


class _FirstOrderAthlete:
    """HR moves toward the effort's steady state with a dead time and one time constant."""

    def __init__(self, work_bpm: float, rest_bpm: float, tau_s: float = 45.0,
                 dead_s: int = 8, start_bpm: float = 95.0, drift_bpm_per_s: float = 0.0) -> None:
        self.work_bpm, self.rest_bpm, self.tau_s = work_bpm, rest_bpm, tau_s
        self.hr = start_bpm
        self.drift = drift_bpm_per_s
        self._efforts: deque[bool] = deque([False] * dead_s)
        self.t = 0

    def step(self, working: bool) -> float:
        self._efforts.append(working)
        effective = self._efforts.popleft()
        target = (self.work_bpm if effective else self.rest_bpm) + self.drift * self.t
        self.hr += (target - self.hr) * (1.0 - math.exp(-1.0 / self.tau_s))
        self.t += 1
        return self.hr


def _run(controller: ZoneController, athlete: _FirstOrderAthlete, seconds: int,
         noise_sd: float = 0.0, seed: int = 1) -> list[tuple[int, str, float]]:
    rng = random.Random(seed)
    out: list[tuple[int, str, float]] = []
    working = True
    for t in range(seconds):
        hr = athlete.step(working)
        phase = controller.update(float(t), hr + rng.gauss(0.0, noise_sd))
        if phase in ("work", "rest"):
            working = phase == "work"
        out.append((t, phase, athlete.hr))
        if phase == "done":
            break
    return out


def test_signal_loss_holds_within_3_s() -> None:
    c = ZoneController(120, 135, 240, 120, 2400)
    for t in range(60):
        assert c.update(t, 125.0) in ("work", "rest")
    phases = [c.update(60 + k, None) for k in range(10)]
    assert "hold" in phases[:3]
    assert all(p == "hold" for p in phases[3:])
    assert c.update(70, 125.0) in ("work", "rest")


def test_zero_bpm_and_single_gap_do_not_switch_or_hold() -> None:
    c = ZoneController(120, 135, 240, 120, 2400)
    for t in range(40):
        c.update(t, 110.0 + 0.25 * t)
    before = len(c.intervals)
    assert c.update(40, 0.0) == "work"
    assert c.update(41, None) != "rest"
    assert len(c.intervals) == before


def test_safety_ceiling_forces_rest_within_1_s_even_inside_min_interval() -> None:
    # 60 s: the ramp reaches the ceiling before half of it, when no predicted overshoot may end
    # a bout yet, so it is the ceiling that ends this one.
    c = ZoneController(120, 135, 240, 120, 2400, safety_max=170.0, min_interval_s=60.0)
    hr = 110.0
    for t in range(10):
        c.update(t, hr)
        hr += 2.5
    assert c.phase == "work"
    t = 10
    while hr <= 170.0:
        c.update(t, hr)
        hr += 2.5
        t += 1
    assert c.update(t, hr) == "rest"
    assert c.last_switch_reason == "safety ceiling"
    assert c.intervals[-1].end_reason == "safety ceiling"


def test_single_spike_above_safety_does_not_switch() -> None:
    c = ZoneController(120, 135, 240, 120, 2400, safety_max=170.0)
    for t in range(30):
        c.update(t, 115.0)
    assert c.update(30, 205.0) == "work"
    assert c.update(31, 115.0) == "work"
    assert c.intervals == []


def test_spikes_do_not_cause_switches() -> None:
    c = ZoneController(120, 135, 1200, 120, 2400, min_interval_s=20.0)  # work bouts of ~18 min
    for t in range(600):
        c.update(t, 127.0)
    assert c.phase == "work"
    before = list(c.intervals)
    for t in range(600, 1000):
        hr = 127.0 + (40.0 if t % 17 == 5 else 0.0) - (35.0 if t % 23 == 7 else 0.0)
        assert c.update(t, 0.0 if t % 29 == 3 else hr) in ("work", "hold")
    assert c.intervals == before


@pytest.mark.parametrize("min_work_s", [None, 90.0])
def test_min_work_respected_even_far_above_the_band(min_work_s: float | None) -> None:
    """Issue 13: a work bout lasts at least min_work_s (default 60 % of the planned work,
    never under 60 s) unless safety, a lost signal or the athlete ends it; rests keep at
    least their planned length and at most twice it."""
    c = ZoneController(120, 135, 240, 120, 1800, min_work_s=min_work_s)
    assert c.min_work_s == (144.0 if min_work_s is None else min_work_s)
    athlete = _FirstOrderAthlete(work_bpm=190.0, rest_bpm=80.0, tau_s=25.0, dead_s=5)
    _run(c, athlete, 1801, noise_sd=2.0)
    works = [r for r in c.intervals if r.kind == "work"]
    assert len(works) == 5
    assert all(r.actual_s >= c.min_work_s for r in works)
    for rec in c.intervals[:-1]:
        if rec.kind == "rest":
            assert 120.0 <= rec.actual_s <= 240.0 + 1.0, rec


def test_the_default_shortest_work_bout_is_never_under_60_s() -> None:
    assert ZoneController(120, 135, 60, 60, 1200).min_work_s == 60.0
    assert ZoneController(120, 135, 90, 60, 1200).min_work_s == 60.0
    assert ZoneController(120, 135, 600, 60, 1200).min_work_s == 360.0
    assert ZoneController(120, 135, 30, 30, 600).min_work_s == 30.0  # the planned bout itself


def test_done_at_duration_and_intervals_cover_the_block() -> None:
    c = ZoneController(120, 135, 240, 120, 600)
    athlete = _FirstOrderAthlete(work_bpm=155.0, rest_bpm=95.0)
    trace = _run(c, athlete, 700)
    assert trace[-1][1] == "done" and trace[-1][0] == 600
    assert c.update(601, 130.0) == "done"
    assert c.intervals[0].start_s == 0.0
    assert c.intervals[-1].end_s == 600.0
    for a, b in zip(c.intervals, c.intervals[1:], strict=False):
        assert a.end_s == b.start_s


def test_deterministic() -> None:
    def once() -> list[tuple[int, str, float]]:
        c = ZoneController(120, 135, 240, 120, 1200)
        return _run(c, _FirstOrderAthlete(160.0, 95.0, drift_bpm_per_s=0.003), 1200,
                    noise_sd=2.5, seed=7)
    assert once() == once()


@pytest.mark.parametrize("kwargs, message", [
    ({"low": 140, "high": 135}, "low < high"),
    ({"work_s": 0}, "work_s must be positive"),
    ({"duration_s": -5}, "duration_s must be positive"),
    ({"safety_max": 130}, "safety_max"),
    ({"min_interval_s": -1}, "min_interval_s"),
    ({"low": float("nan")}, "finite number"),
])
def test_bad_config_is_a_clear_error(kwargs: dict[str, float], message: str) -> None:
    args: dict[str, float] = {"low": 120, "high": 135, "work_s": 240, "rest_s": 120,
                              "duration_s": 2400}
    args.update(kwargs)
    with pytest.raises(ControllerConfigError, match=message):
        ZoneController(args["low"], args["high"], args["work_s"], args["rest_s"],
                       args["duration_s"], safety_max=args.get("safety_max"),
                       min_interval_s=args.get("min_interval_s", 25.0))


def test_time_going_backwards_is_an_error() -> None:
    c = ZoneController(120, 135, 240, 120, 2400)
    c.update(10, 120.0)
    with pytest.raises(ValueError, match="backwards"):
        c.update(9, 120.0)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -120.0, 0.0, 10.0, 400.0, True])
def test_unusable_heart_rates_are_no_reading(bad: float) -> None:
    c = ZoneController(120, 135, 240, 120, 2400, safety_max=170.0)
    for t in range(60):
        c.update(t, 125.0)
    before = list(c.intervals)
    phases = [c.update(60 + k, bad) for k in range(5)]
    assert phases[0] in ("work", "rest") and phases[-1] == "hold"
    assert c.intervals == before and not c.safety_rest and c.hr_bpm is None


def test_a_spike_after_a_long_gap_is_not_believed() -> None:
    c = ZoneController(120, 135, 240, 120, 2400, safety_max=170.0)
    for t in range(60):
        c.update(t, 125.0)
    for t in range(60, 90):  # 30 s without readings: the trend window has emptied
        c.update(t, None)
    c.update(90, 185.0)  # one spike above the ceiling
    assert not c.safety_rest
    assert all(i.end_reason != "safety ceiling" for i in c.intervals)
    c.update(91, 126.0)
    assert c.hr_bpm is not None and abs(c.hr_bpm - 126.0) < 5.0


def test_the_athlete_can_end_a_bout_or_a_rest_but_not_a_safety_rest() -> None:
    c = ZoneController(low=120.0, high=135.0, work_s=240.0, rest_s=120.0, duration_s=1800.0,
                       safety_max=170.0)
    for t in range(0, 40):
        c.update(float(t), 125.0)
    assert c.phase == "work"
    assert c.end_interval(40.0)
    assert c.phase == "rest" and c.intervals[-1].end_reason == "ended by the athlete"
    assert c.intervals[-1].end_s == 40.0
    assert c.end_interval(41.0) and c.phase == "work"
    for t in range(42, 46):
        c.update(float(t), 168.0 + t - 42)  # over the ceiling: a safety rest
    assert c.phase == "rest" and c.safety_rest
    assert not c.end_interval(46.0) and c.phase == "rest"  # only the heart rate ends it


def test_a_three_reading_spike_over_the_ceiling_forces_no_rest() -> None:
    # A strap's smoothed rate can carry one bad beat for 2-3 notifications; a heart cannot
    # jump 60 bpm in a second, so only a level that lasts is believed while readings flow.
    c = ZoneController(low=120.0, high=135.0, work_s=240.0, rest_s=120.0, duration_s=1800.0,
                       safety_max=170.0)
    for t in range(0, 30):
        c.update(float(t), 125.0)
    for t in range(30, 33):
        c.update(float(t), 188.0)
    for t in range(33, 40):
        c.update(float(t), 126.0)
    assert not c.safety_rest and all(r.end_reason != "safety ceiling" for r in c.intervals)
    # ... while a level that lasts is believed: a rest within the confirmation time
    for t in range(40, 45):
        c.update(float(t), 188.0)
    assert c.safety_rest and c.phase == "rest"
