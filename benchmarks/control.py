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

Cues: only ZoneController gives them; the athlete answers as ``SimulatedStrap`` documents (3 s
after a cue, 5 bpm of effort per step, a step every 15 s, at most 30 bpm, each bout starting at
the habitual effort again).

Usage: ``python benchmarks/control.py [--quick] [--athletes N] [--seed S] [--min-interval S]
[--json PATH]``. Prints a table, then the figures as JSON on the last line.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from zonetrainer.control import ZoneController
from zonetrainer.core.model import Band, Phase, SessionState
from zonetrainer.core.sim import Athlete, AthleteParams, random_cohort
from zonetrainer.core.sources.simulated import SimulatedStrap
from zonetrainer.core.zones import band_pct_hrmax

WARMUP_S = 300
BLOCK_S = 1800
WORK_S, REST_S = 240.0, 120.0
HYSTERESIS_MIN_S = 20.0
EARLY_S = 10
GROUPS = ("above", "inside", "far")
CONTROLLERS = ("fixed", "hysteresis", "zone", "zone-pairs", "zone-return")
#: The returning athlete's session of the day before draws its noise and faults from here on.
YESTERDAY_SEED_OFFSET = 500_000


class Controller(Protocol):
    @property
    def cue(self) -> str | None: ...

    def update(self, t: float, hr: float | None) -> str: ...


@dataclass(frozen=True)
class Case:
    """One athlete of the cohort, with the band and the efforts of their group."""

    params: AthleteParams
    seed: int
    group: str
    band: Band
    work_bpm: float
    rest_bpm: float


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
        cases.append(Case(params, seed * 1000 + i, group, band, work, rest))
    return cases


class Fixed:
    """The plan's timer: 240 s work, 120 s rest, whatever the heart does."""

    def __init__(self, case: Case, min_interval_s: float) -> None:
        self.cue: str | None = None

    def update(self, t: float, hr: float | None) -> str:
        return "work" if t % (WORK_S + REST_S) < WORK_S else "rest"


class Hysteresis:
    """Rest above the band, work below it, at least 20 s per phase; median of 3 readings."""

    def __init__(self, case: Case, min_interval_s: float) -> None:
        self.low, self.high = case.band.low_bpm, case.band.high_bpm
        self.phase, self.since, self.cue = "work", 0.0, None
        self.recent: list[float] = []

    def update(self, t: float, hr: float | None) -> str:
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


def zone(case: Case, min_interval_s: float) -> ZoneController:
    return ZoneController(case.band.low_bpm, case.band.high_bpm, WORK_S, REST_S, BLOCK_S,
                          safety_max=None, min_interval_s=min_interval_s)


def zone_pairs(case: Case, min_interval_s: float) -> ZoneController:
    return ZoneController(case.band.low_bpm, case.band.high_bpm, WORK_S, REST_S, BLOCK_S,
                          safety_max=None, min_interval_s=min_interval_s, keep_pairs=True)


def _state(case: Case, t: float, phase: Phase, cue: str | None) -> SessionState:
    """Just what SimulatedStrap.follow reads: the phase and the cue."""
    return SessionState(elapsed_s=t, phase=phase, phase_elapsed_s=0.0, phase_remaining_s=None,
                        next_phase=None, block_index=1, interval_index=0, hr_bpm=None,
                        signal_live=True, zone=None, in_band=None, band=case.band,
                        session_duration_s=float(WARMUP_S + BLOCK_S), cue=cue,
                        block_kind="intervals")


def zone_returning(case: Case, min_interval_s: float) -> ZoneController:
    """ZoneController for an athlete it has met before: the same athlete's session of the day
    before (other noise and faults, the habitual work effort up to 5 bpm apart) runs first, and
    its bout history (zonetrainer.core.control) goes to today's controller."""
    rng = np.random.default_rng(case.seed + YESTERDAY_SEED_OFFSET)
    work = min(case.work_bpm + float(rng.uniform(-5.0, 5.0)), case.params.hrmax_bpm - 3.0)
    yesterday = replace(case, seed=case.seed + YESTERDAY_SEED_OFFSET, work_bpm=work)
    before = zone(yesterday, min_interval_s)
    simulate(yesterday, before)
    return ZoneController(case.band.low_bpm, case.band.high_bpm, WORK_S, REST_S, BLOCK_S,
                          safety_max=None, min_interval_s=min_interval_s,
                          history=before.bouts())


MAKERS: dict[str, Callable[[Case, float], Controller]] = {
    "fixed": Fixed, "hysteresis": Hysteresis, "zone": zone, "zone-pairs": zone_pairs,
    "zone-return": zone_returning}


def run(case: Case, name: str, min_interval_s: float) -> dict[str, float]:
    return simulate(case, MAKERS[name](case, min_interval_s))


def simulate(case: Case, ctl: Controller) -> dict[str, float]:
    strap = SimulatedStrap(Athlete(case.params, seed=case.seed), work_hr_bpm=case.work_bpm,
                           rest_hr_bpm=case.rest_bpm,
                           warmup_hr_bpm=case.band.low_bpm - 8.0)
    strap.follow(_state(case, 0.0, "warmup", None))
    strap.drain(float(WARMUP_S))
    low, high = case.band.low_bpm, case.band.high_bpm
    true_hr = np.zeros(BLOCK_S)
    working, switches, work_s = True, 0, 0
    bout_starts = [0]
    early_ease_off: set[int] = set()
    first_ease_s: float | None = None
    phase: Phase = "work"
    for k in range(BLOCK_S):
        samples = strap.drain(float(WARMUP_S + k + 1))
        true_hr[k] = strap.athlete.true_hr_bpm
        hr = samples[-1].hr_bpm if samples else None
        answer = ctl.update(float(k + 1), hr)
        if answer in ("work", "rest") and (answer == "work") != working:
            working = answer == "work"
            switches += 1
            if working:
                bout_starts.append(k)
        phase = "hold" if answer == "hold" else ("work" if working else "rest")
        cue = ctl.cue
        if working and cue == "ease off" and k - bout_starts[-1] < EARLY_S:
            early_ease_off.add(bout_starts[-1])
        if working and cue == "ease off" and len(bout_starts) == 1 and first_ease_s is None:
            first_ease_s = float(k)
        strap.follow(_state(case, float(WARMUP_S + k + 1), phase, cue))
        work_s += working
    inside = (true_hr >= low) & (true_hr <= high)
    first = int(np.argmax(inside)) if inside.any() else BLOCK_S
    after = true_hr[first:]
    outside = np.maximum(low - after, 0.0) + np.maximum(after - high, 0.0)
    return {
        "time_in_band": float(inside[first:].mean()) if after.size else 0.0,
        "excursion_bpm": float(outside.mean()) if after.size else 0.0,
        "switches_per_h": switches * 3600.0 / BLOCK_S,
        "work_share": work_s / BLOCK_S,
        "worst_overshoot_bpm": float(max(0.0, (after - high).max())) if after.size else 0.0,
        "ease_off_bout_share": len(early_ease_off) / len(bout_starts),
        "ease_off_first": float(0 in early_ease_off),
        "work_bouts": float(len(bout_starts)),
        "early_eased_bouts": float(len(early_ease_off)),
        "ease_off_later_share": (len(early_ease_off - {0}) / (len(bout_starts) - 1)
                                 if len(bout_starts) > 1 else float("nan")),
        "first_ease_s": first_ease_s if first_ease_s is not None else float("nan"),
    }


def summarise(rows: list[dict[str, float]]) -> dict[str, float | None]:
    tib = sorted(r["time_in_band"] for r in rows)
    return {
        "athletes": len(rows),
        "time_in_band_median": round(statistics.median(tib), 3),
        "time_in_band_p10": round(float(np.percentile(tib, 10)), 3),
        "excursion_bpm_mean": round(statistics.fmean(r["excursion_bpm"] for r in rows), 2),
        "switches_per_h_median": round(statistics.median(r["switches_per_h"] for r in rows), 1),
        "work_share_median": round(statistics.median(r["work_share"] for r in rows), 3),
        "worst_overshoot_bpm": round(max(r["worst_overshoot_bpm"] for r in rows), 1),
        "overshoot_median_bpm": round(
            statistics.median(r["worst_overshoot_bpm"] for r in rows), 1),
        "ease_off_bout_share": round(statistics.fmean(r["ease_off_bout_share"] for r in rows), 2),
        "ease_off_first_share": round(statistics.fmean(r["ease_off_first"] for r in rows), 2),
        "work_bouts": int(sum(r["work_bouts"] for r in rows)),
        "early_eased_bouts": int(sum(r["early_eased_bouts"] for r in rows)),
        "ease_off_later_share": _mean_or_none([r["ease_off_later_share"] for r in rows]),
        "first_bout_eased_share": round(
            statistics.fmean(not math.isnan(r["first_ease_s"]) for r in rows), 2),
        "first_ease_s_median": _median_or_none([r["first_ease_s"] for r in rows]),
    }


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _mean_or_none(values: list[float]) -> float | None:
    known = [v for v in values if not math.isnan(v)]
    return round(statistics.fmean(known), 2) if known else None


def _median_or_none(values: list[float]) -> float | None:
    known = [v for v in values if not math.isnan(v)]
    return round(statistics.median(known), 1) if known else None


COLUMNS = (("time_in_band_median", "TiB med"), ("time_in_band_p10", "TiB p10"),
           ("excursion_bpm_mean", "exc bpm"), ("switches_per_h_median", "sw/h"),
           ("work_share_median", "work"), ("worst_overshoot_bpm", "worst"),
           ("overshoot_median_bpm", "os med"), ("ease_off_bout_share", "ease"),
           ("ease_off_first_share", "ease 1"), ("ease_off_later_share", "ease 2+"),
           ("first_bout_eased_share", "1st ease"),
           ("first_ease_s_median", "1st at s"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zone-control benchmark (see the docstring).")
    parser.add_argument("--quick", action="store_true", help="18 athletes instead of 72")
    parser.add_argument("--athletes", type=int, default=None)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--min-interval", type=float, default=25.0,
                        help="ZoneController's min_interval_s (default 25, its own default)")
    parser.add_argument("--json", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args(argv)
    n = args.athletes or (18 if args.quick else 72)
    if n < 3:
        parser.error("--athletes must be at least 3 (one per group)")
    cases = make_cases(n, args.seed)
    started = time.perf_counter()
    results: dict[str, dict[str, dict[str, float | None]]] = {}
    for name in CONTROLLERS:
        per_group: dict[str, list[dict[str, float]]] = {g: [] for g in GROUPS}
        for case in cases:
            per_group[case.group].append(run(case, name, args.min_interval))
        results[name] = {g: summarise(rows) for g, rows in per_group.items()}
    wall_s = time.perf_counter() - started
    print(f"{'group':7} {'controller':11} " + " ".join(f"{h:>8}" for _, h in COLUMNS))
    for g in GROUPS:
        for name in CONTROLLERS:
            s = results[name][g]
            print(f"{g:7} {name:11} " + " ".join(f"{_cell(s[c]):>8}" for c, _ in COLUMNS))
    out = {"athletes": n, "block_s": BLOCK_S, "seed": args.seed,
           "min_interval_s": args.min_interval, "wall_s": round(wall_s, 1),
           "python": platform.python_version(), "results": results}
    text = json.dumps(out, sort_keys=True)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
