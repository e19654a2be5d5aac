"""Small, exact test doubles for the engine and runner tests (and tests of the doubles).

``ToyStrap`` is a real HeartRateSource: a first-order heart rate that follows the phase it is
told (closed loop), one reading a second, with scripted gaps, invalid readings and overrides, so
a test knows exactly what the source produced. The athlete part's SimulatedStrap is the
realistic one; these keep the engine tests independent of its noise and faults.
"""

from __future__ import annotations

import math

from zonetrainer.core.model import HeartRateSample, SessionState
from zonetrainer.core.sources.base import HeartRateSource


class ToyStrap(HeartRateSource):
    """HR moves toward the effort's target with time constant ``tau_s``; samples at whole s."""

    def __init__(self, work_bpm: float = 150.0, rest_bpm: float = 100.0, easy_bpm: float = 110.0,
                 start_bpm: float = 80.0, tau_s: float = 30.0, end_s: float | None = None,
                 gaps: tuple[tuple[float, float], ...] = (),
                 invalid: tuple[tuple[float, float], ...] = (),
                 override: dict[int, float] | None = None, with_rr: bool = True) -> None:
        self.source_id = "toy"
        self.targets = {"work": work_bpm, "rest": rest_bpm, "warmup": easy_bpm,
                        "cooldown": easy_bpm}
        self.target_bpm = easy_bpm
        self.hr_bpm = start_bpm
        self.tau_s = tau_s
        self.end_s = end_s
        self.gaps = gaps
        self.invalid = invalid
        self.override = override or {}
        self.with_rr = with_rr
        self.next_t = 1
        self.produced: list[HeartRateSample] = []
        self.started = False
        self.stopped = 0
        self.followed: list[str] = []

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped += 1

    @property
    def finished(self) -> bool:
        return self.end_s is not None and self.next_t > self.end_s

    def follow(self, state: SessionState) -> None:
        self.followed.append(state.phase)
        if state.phase in self.targets:
            self.target_bpm = self.targets[state.phase]

    def drain(self, now_s: float) -> list[HeartRateSample]:
        out = []
        while self.next_t <= now_s and not self.finished:
            t = self.next_t
            self.next_t += 1
            self.hr_bpm += (self.target_bpm - self.hr_bpm) * (1 - math.exp(-1 / self.tau_s))
            if any(a <= t < b for a, b in self.gaps):
                continue
            hr: float | None = round(self.override.get(t, self.hr_bpm), 1)
            contact: bool | None = True
            if any(a <= t < b for a, b in self.invalid):
                hr, contact = None, False
            rr = (round(60000.0 / hr, 1),) if hr and self.with_rr else ()
            sample = HeartRateSample(float(t), hr, rr, contact, None, self.source_id)
            self.produced.append(sample)
            out.append(sample)
        return out


class ScriptedController:
    """A controller double that switches at fixed block times (to test the engine's bookkeeping
    without the real loop's decisions)."""

    def __init__(self, switches: dict[float, str], duration_s: float, work_s: float,
                 rest_s: float) -> None:
        from zonetrainer.core.model import IntervalRecord

        self._record = IntervalRecord
        self.switches = dict(sorted(switches.items()))
        self.duration_s = duration_s
        self.work_s, self.rest_s = work_s, rest_s
        self.phase: str = "work"
        self.cue: str | None = None
        self.safety_rest = False
        self.target_effort: float | None = None  # no effort lever (the Controller protocol)
        self.intervals: list = []
        self._start = 0.0
        self._t = 0.0
        self._done = False

    @property
    def planned_s(self) -> float:
        return self.work_s if self.phase == "work" else self.rest_s

    @property
    def phase_elapsed_s(self) -> float:
        return self._t - self._start

    def _close(self, t: float, reason: str) -> None:
        self.intervals.append(self._record(len(self.intervals), self.phase, self._start, t,
                                           self.planned_s, reason))
        self._start = t

    def update(self, t: float, hr: float | None) -> str:
        self._t = t
        if self._done:
            return "done"
        if t >= self.duration_s:
            self._close(self.duration_s, "block ended")
            self._done = True
            return "done"
        for at, reason in list(self.switches.items()):
            if t >= at:
                del self.switches[at]
                self._close(t, reason)
                self.phase = "rest" if self.phase == "work" else "work"
        return self.phase


def test_toy_strap_follows_the_phase_and_scripts_faults() -> None:
    strap = ToyStrap(gaps=((3, 5),), invalid=((6, 7),), override={8: 200.0}, tau_s=10.0)
    first = strap.drain(10.0)
    assert [s.t_s for s in first] == [1, 2, 5, 6, 7, 8, 9, 10]
    assert first[3].hr_bpm is None and first[3].contact is False
    assert first[5].hr_bpm == 200.0
    assert not strap.drain(10.5)
    before = strap.hr_bpm
    strap.targets["work"] = 170.0
    strap.target_bpm = 170.0
    later = strap.drain(40.0)
    assert later[-1].hr_bpm is not None and later[-1].hr_bpm > before + 20


def test_toy_strap_finishes() -> None:
    strap = ToyStrap(end_s=5)
    assert len(strap.drain(100.0)) == 5
    assert strap.finished
