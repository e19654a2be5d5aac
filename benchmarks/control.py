"""Zone-control benchmark: a fixed timer, a hysteresis switcher and ZoneController on one cohort.

Athletes come from ``zonetrainer.core.sim.random_cohort`` (ages 20-70, trained and
untrained, time constants 25-110 s, dead time 5-15 s, asymmetric recovery, drift, AR(1) strap
noise, gaps, spikes, contact losses). Each runs the intervals block of
sessions/fatmax-intervals.toml (5 x 240 s work / 120 s rest = 1800 s) after a 300 s warm-up,
once per controller, through the real ``SimulatedStrap``: the athlete's noise and faults are
drawn a fixed count per second, so every controller meets the same noise and the same faults.
The band is 60-70 % HRmax (``zones.band_pct_hrmax``, the default when only age is known).

Athletes are in three groups by their habitual work effort (the steady HR it would reach):
"above" 10-35 bpm above the band's top, "inside" inside the band, "far" 40-60 bpm above (capped
3 bpm under HRmax). Rest effort: 20-35 bpm under the band's bottom, never under resting HR + 10.

Figures, on the athlete's true heart rate second by second (what the heart did, not the strap):
time in band (share of seconds in the band, counted from the first entry); excursion (mean
distance outside the band over those seconds, 0 inside; bpm); switches per hour (work/rest
changes the controller commanded); work share (share of the block the athlete was asked to work;
a hold keeps the effort); worst overshoot (highest true HR above the band's top after the first
entry, bpm); "ease" (share of work bouts with an "ease off" cue in their first 10 s), "ease 1"
(the same for each athlete's first work bout), "ease 2+" (for the bouts after the first),
"1st ease" (share of athletes whose first work bout got an "ease off" at all) and "1st at s"
(the median second of that bout it came).

"zone-return" is ZoneController for an athlete it has met: the same athlete's session of the
day before (other noise and faults, habitual work effort up to 5 bpm apart) runs first, and how
its work bouts went (``ZoneController.bouts()``) is given to today's controller as ``history``:
an athlete who started most bouts too hard hears "ease off" from the first bout's first second.

Levers (issue 13): ``none`` (only when to switch; the athlete answers cues as
``SimulatedStrap`` documents: 3 s after a cue, 5 bpm of effort per step every 15 s, each bout
starting at the habitual effort again); ``cue`` (the athlete runs an effort in km/h or W, which
``zonetrainer.core.sim.random_response`` turns into a steady heart rate; the loop reads it as a
footpod or power meter would and says which effort it wants; the athlete answers a cue after a
reaction of 4-15 s, by 4-10 % of the effort per step, at most every 20 s, following 50-100 % of
cues, all drawn per athlete; each work bout starts at the effort the last one ended on, the
first at the habitual one); ``machine`` (the machine runs ``target_effort`` 3 s late and reports
what it runs). Baselines: the fixed timer and hysteresis (lever none) and a QZ-style heart-rate
PID on the machine's effort with the plan's fixed timing (QZ, qdomyos-zwift issues 427/4480:
below the zone the speed is raised in proportion to the distance to the zone's middle, inside
it nothing changes, above it the speed drops every 10 s; our reading of its behaviour, not its
code).

Figures per athlete group (true heart rate; work bouts as the controller asked): work bouts per
athlete (median, against the plan's 5 pairs), median work bout (s), share of work bouts under
60 s, short bouts (work bouts under the controller's ``min_work_s`` that neither safety, a lost
signal nor the athlete ended), antiphase share (pairs whose rest's mean HR exceeds the work's),
work-in-band (share of work seconds in the band, each bout counted from its first entry; a bout
that never enters counts wholly outside), worst overshoot, and the old time in band.

Usage: ``python benchmarks/control.py [--quick] [--athletes N] [--seed S] [--json PATH]``.
Prints a table, then the figures as JSON on the last line.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import re
import statistics
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from zonetrainer.control import EffortLever, ZoneController
from zonetrainer.core.model import Band, Phase, SessionState
from zonetrainer.core.sim import (
    Athlete,
    AthleteParams,
    EffortResponse,
    random_cohort,
    random_response,
)
from zonetrainer.core.sources.simulated import SimulatedStrap
from zonetrainer.core.zones import band_pct_hrmax

WARMUP_S = 300
BLOCK_S = 1800
WORK_S, REST_S = 240.0, 120.0
PAIRS = 5
HYSTERESIS_MIN_S = 20.0
GROUPS = ("above", "inside", "far")
MACHINE_LAG_S = 3
#: (name, lever) in the order of the table.
RUNS = (("fixed", "none"), ("hysteresis", "none"), ("zone", "none"), ("zone", "cue"),
        ("pid", "machine"), ("zone", "machine"))
LIMITS = {"km/h": (1.0, 20.0), "W": (0.0, 500.0)}
#: The QZ-style PID: every PID_EVERY_S, below the band the effort rises by PID_KP of the
#: distance to the band's middle (bpm, turned into effort with the nominal gain), above it
#: drops the same way; inside it nothing changes.
PID_EVERY_S = 10
PID_KP = 0.3


class Controller(Protocol):
    @property
    def cue(self) -> str | None: ...

    def update(self, t: float, hr: float | None, effort: float | None = None) -> str: ...


@dataclass(frozen=True)
class Case:
    """One athlete of the cohort, with the band, the efforts of their group and a machine."""

    params: AthleteParams
    seed: int
    group: str
    band: Band
    work_bpm: float
    rest_bpm: float
    response: EffortResponse
    person: tuple[float, float, float]  # reaction s, step share, share of cues followed

    def lever(self) -> EffortLever:
        low, high = LIMITS[self.response.unit]
        r, p = self.response, self.params
        return EffortLever(work=min(high, max(low, r.effort_for_hr(self.work_bpm, p))),
                           rest=min(high, max(low, r.effort_for_hr(self.rest_bpm, p))),
                           low=low, high=high, unit=r.unit)


def make_cases(n: int, seed: int) -> list[Case]:
    rng = np.random.default_rng(seed + 1)
    cases = []
    for i, params in enumerate(random_cohort(n, seed)):
        group = GROUPS[i % 3]
        band = band_pct_hrmax(params.hrmax_bpm, "cohort HRmax", 0.0)
        low, high = band.low_bpm, band.high_bpm
        if group == "above":
            work = high + float(rng.uniform(10, 35))
        elif group == "inside":
            work = float(rng.uniform(low + 3, high - 3))
        else:
            work = high + float(rng.uniform(40, 60))
        work = min(work, params.hrmax_bpm - 3.0)
        rest = max(low - float(rng.uniform(20, 35)), params.rest_hr_bpm + 10.0)
        response = random_response("km/h" if i % 2 == 0 else "W", rng)
        person = (float(rng.uniform(4, 15)), float(rng.uniform(0.04, 0.10)),
                  float(rng.uniform(0.5, 1.0)))
        cases.append(Case(params, seed * 1000 + i, group, band, work, rest, response, person))
    return cases


class Fixed:
    """The plan's timer: 240 s work, 120 s rest, whatever the heart does."""

    def __init__(self, case: Case) -> None:
        self.cue: str | None = None

    def update(self, t: float, hr: float | None, effort: float | None = None) -> str:
        if t >= BLOCK_S:
            return "done"
        return "work" if t % (WORK_S + REST_S) < WORK_S else "rest"


class Hysteresis:
    """Rest above the band, work below it, at least 20 s per phase; median of 3 readings."""

    def __init__(self, case: Case) -> None:
        self.low, self.high = case.band.low_bpm, case.band.high_bpm
        self.phase, self.since, self.cue = "work", 0.0, None
        self.recent: list[float] = []

    def update(self, t: float, hr: float | None, effort: float | None = None) -> str:
        if hr is None or hr <= 0:
            return self.phase
        self.recent = [*self.recent[-2:], hr]
        level = statistics.median(self.recent)
        if t - self.since >= HYSTERESIS_MIN_S:
            if self.phase == "work" and level > self.high:
                self.phase, self.since = "rest", t
            elif self.phase == "rest" and level < self.low:
                self.phase, self.since = "work", t
        return self.phase


class Pid(Fixed):
    """QZ-style heart-rate PID on the machine's effort, with the plan's fixed timing."""

    def __init__(self, case: Case) -> None:
        super().__init__(case)
        self.lever = case.lever()
        self.low, self.high = case.band.low_bpm, case.band.high_bpm
        gain = 24.0 / 3.6 if self.lever.unit == "km/h" else 0.3  # nominal (Hunt 2015; cycling)
        self.per_bpm = PID_KP / gain
        self.work_target = self.lever.work
        self.target_effort: float | None = self.lever.work
        self.recent: deque[float] = deque(maxlen=5)

    def update(self, t: float, hr: float | None, effort: float | None = None) -> str:
        phase = super().update(t, hr)
        if hr is not None and hr > 0:
            self.recent.append(hr)
        if phase == "work" and int(t) % PID_EVERY_S == 0 and self.recent:
            level = statistics.fmean(self.recent)
            mid = (self.low + self.high) / 2.0
            if level < self.low or level > self.high:
                self.work_target = self.lever.clamp(self.work_target
                                                    + (mid - level) * self.per_bpm)
        self.target_effort = self.work_target if phase == "work" else self.lever.rest
        return phase


def zone(case: Case, lever: str) -> ZoneController:
    return ZoneController(case.band.low_bpm, case.band.high_bpm, WORK_S, REST_S, BLOCK_S,
                          effort=None if lever == "none" else case.lever())


MAKERS: dict[str, Callable[[Case, str], Controller]] = {
    "fixed": lambda c, _: Fixed(c), "hysteresis": lambda c, _: Hysteresis(c), "zone": zone,
    "pid": lambda c, _: Pid(c)}


def _state(case: Case, t: float, phase: Phase, cue: str | None) -> SessionState:
    """Just what SimulatedStrap.follow reads: the phase and the cue."""
    return SessionState(elapsed_s=t, phase=phase, phase_elapsed_s=0.0, phase_remaining_s=None,
                        next_phase=None, block_index=1, interval_index=0, hr_bpm=None,
                        signal_live=True, zone=None, in_band=None, band=case.band,
                        session_duration_s=float(WARMUP_S + BLOCK_S), cue=cue,
                        block_kind="intervals")


class Person:
    """The athlete on a machine they set themselves, following numeric cues (see above)."""

    def __init__(self, case: Case, rng: np.random.Generator) -> None:
        self.reaction_s, self.share, self.follows = case.person
        self.lever = case.lever()
        self.rng = rng
        self.effort = self.lever.rest
        self.bout_effort = self.lever.work
        self.due: float | None = None
        self.next_ok = 0.0
        self.working = False

    def follow(self, t: float, working: bool, cue: str | None) -> float:
        if working and not self.working:
            self.effort = self.bout_effort
        elif not working and self.working:
            self.bout_effort = self.effort
            self.effort = self.lever.rest
        self.working = working
        match = re.search(r"(\d+(?:\.\d+)?)", cue or "") if working else None
        if match is None:
            self.due = None
            return self.effort
        if self.due is None:
            self.due = max(t + self.reaction_s, self.next_ok)
        if t >= self.due:
            wanted = float(match.group(1))
            if self.rng.random() < self.follows:
                step = self.share * self.effort
                self.effort = (max(wanted, self.effort - step) if wanted < self.effort
                               else min(wanted, self.effort + step))
            self.next_ok = t + 20.0
            self.due = self.next_ok
        return self.effort


def simulate(case: Case, name: str, lever: str) -> dict[str, float]:
    ctl = MAKERS[name](case, lever)
    athlete = Athlete(case.params, seed=case.seed)
    strap = SimulatedStrap(athlete, work_hr_bpm=case.work_bpm, rest_hr_bpm=case.rest_bpm,
                           warmup_hr_bpm=case.band.low_bpm - 8.0)
    response, params = case.response, case.params
    warm_effort = response.effort_for_hr(case.band.low_bpm - 8.0, params)
    person = Person(case, np.random.default_rng(case.seed + 7))
    applied: deque[float] = deque([warm_effort] * (MACHINE_LAG_S + 1), maxlen=MACHINE_LAG_S + 1)
    strap.follow(_state(case, 0.0, "warmup", None))
    strap.drain(float(WARMUP_S))
    true_hr = np.zeros(BLOCK_S)
    work = np.zeros(BLOCK_S, dtype=bool)
    working, switches = True, 0
    effort: float | None = warm_effort if lever != "none" else None
    for k in range(BLOCK_S):
        if lever == "none":
            samples = strap.drain(float(WARMUP_S + k + 1))
        else:
            assert effort is not None
            athlete.advance(1.0, response.steady_hr_bpm(effort, params))
            sample = athlete.sample(float(WARMUP_S + k + 1))
            samples = [] if sample is None else [sample]
        true_hr[k] = athlete.true_hr_bpm
        hr = samples[-1].hr_bpm if samples else None
        answer = ctl.update(float(k + 1), hr, effort if lever != "none" else None)
        if answer in ("work", "rest") and (answer == "work") != working:
            working = answer == "work"
            switches += 1
        work[k] = working
        phase: Phase = "hold" if answer == "hold" else ("work" if working else "rest")
        if lever == "none":
            strap.follow(_state(case, float(WARMUP_S + k + 1), phase, ctl.cue))
        elif lever == "cue":
            effort = person.follow(float(k + 1), working, ctl.cue)
        else:
            target = getattr(ctl, "target_effort", None)
            applied.append(effort if target is None else float(target))
            effort = applied[0]
    figures = _figures(case, true_hr, work)
    figures["switches_per_h"] = switches * 3600.0 / BLOCK_S
    figures["short_bouts"] = float(_short_bouts(ctl))
    return figures


def _short_bouts(ctl: object) -> int:
    """Work bouts under min_work_s not ended by safety, a lost signal, the athlete or the block."""
    if not isinstance(ctl, ZoneController):
        return 0
    excused = ("safety ceiling", "signal lost", "ended by the athlete", "block ended")
    return sum(1 for i in ctl.intervals if i.kind == "work" and i.end_reason not in excused
               and i.end_s - i.start_s < ctl.min_work_s - 1e-6)


def _figures(case: Case, true_hr: np.ndarray, work: np.ndarray) -> dict[str, float]:
    low, high = case.band.low_bpm, case.band.high_bpm
    inside = (true_hr >= low) & (true_hr <= high)
    first = int(np.argmax(inside)) if inside.any() else BLOCK_S
    after = true_hr[first:]
    edges = np.flatnonzero(np.diff(work.astype(int))) + 1
    runs = np.split(np.arange(BLOCK_S), edges)
    bouts = [r for r in runs if work[r[0]]]
    rests = [r for r in runs if not work[r[0]]]
    counted = in_band = 0
    for r in bouts:
        ins = inside[r]
        start = int(np.argmax(ins)) if ins.any() else 0
        counted += len(r) - start
        in_band += int(ins[start:].sum()) if ins.any() else 0
    pairs = list(zip(bouts, rests, strict=False))
    anti = sum(true_hr[b].mean() < true_hr[r].mean() for b, r in pairs)
    lengths = [float(len(r)) for r in bouts]
    return {
        "time_in_band": float(inside[first:].mean()) if after.size else 0.0,
        "worst_overshoot_bpm": float(max(0.0, (after - high).max())) if after.size else 0.0,
        "work_in_band": in_band / counted if counted else 0.0,
        "work_bouts": float(len(bouts)),
        "bout_lengths": lengths,  # type: ignore[dict-item]
        "pairs": float(len(pairs)),
        "antiphase": float(anti),
    }


def summarise(rows: list[dict[str, float]]) -> dict[str, float | None]:
    lengths = [x for r in rows for x in r["bout_lengths"]]  # type: ignore[attr-defined]
    pairs = sum(r["pairs"] for r in rows)
    return {
        "athletes": len(rows),
        "work_bouts_median": statistics.median(r["work_bouts"] for r in rows),
        "work_bouts_min": min(r["work_bouts"] for r in rows),
        "work_bouts_max": max(r["work_bouts"] for r in rows),
        "work_bout_median_s": round(statistics.median(lengths), 1) if lengths else None,
        "under_60s_share": round(sum(x < 60 for x in lengths) / len(lengths), 3)
        if lengths else None,
        "short_bouts": int(sum(r["short_bouts"] for r in rows)),
        "antiphase_share": round(sum(r["antiphase"] for r in rows) / pairs, 3) if pairs else None,
        "work_in_band_median": round(statistics.median(r["work_in_band"] for r in rows), 3),
        "work_in_band_min": round(min(r["work_in_band"] for r in rows), 3),
        "worst_overshoot_bpm": round(max(r["worst_overshoot_bpm"] for r in rows), 1),
        "time_in_band_median": round(statistics.median(r["time_in_band"] for r in rows), 3),
        "switches_per_h_median": round(statistics.median(r["switches_per_h"] for r in rows), 1),
    }


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


COLUMNS = (("work_bouts_median", "bouts"), ("work_bout_median_s", "bout s"),
           ("under_60s_share", "<60s"), ("short_bouts", "short"),
           ("antiphase_share", "anti"), ("work_in_band_median", "WiB med"),
           ("work_in_band_min", "WiB min"), ("worst_overshoot_bpm", "worst"),
           ("time_in_band_median", "TiB med"), ("switches_per_h_median", "sw/h"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zone-control benchmark (see the docstring).")
    parser.add_argument("--quick", action="store_true", help="18 athletes instead of 72")
    parser.add_argument("--athletes", type=int, default=None)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args(argv)
    n = args.athletes or (18 if args.quick else 72)
    if n < 3:
        parser.error("--athletes must be at least 3 (one per group)")
    cases = make_cases(n, args.seed)
    started = time.perf_counter()
    results: dict[str, dict[str, dict[str, float | None]]] = {}
    for name, lever in RUNS:
        per_group: dict[str, list[dict[str, float]]] = {g: [] for g in GROUPS}
        for case in cases:
            per_group[case.group].append(simulate(case, name, lever))
        results[f"{name}/{lever}"] = {g: summarise(rows) for g, rows in per_group.items()}
    wall_s = time.perf_counter() - started
    print(f"{'group':7} {'run':16} " + " ".join(f"{h:>7}" for _, h in COLUMNS))
    for g in GROUPS:
        for key in results:
            s = results[key][g]
            print(f"{g:7} {key:16} " + " ".join(f"{_cell(s[c]):>7}" for c, _ in COLUMNS))
    out = {"athletes": n, "block_s": BLOCK_S, "seed": args.seed, "quick": args.quick,
           "date": datetime.date.today().isoformat(), "wall_s": round(wall_s, 1),
           "python": platform.python_version(), "machine": platform.machine(),
           "planned_pairs": PAIRS, "results": results}
    text = json.dumps(out, sort_keys=True)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
