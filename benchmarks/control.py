"""Zone-control benchmark: a fixed timer, a hysteresis switcher and ZoneController on one cohort.

Every simulated athlete runs the intervals block of sessions/fatmax-intervals.toml (5 x 240 s
work / 120 s rest, 1800 s) three times, once per controller, on the same noise and the same strap
faults (both are drawn up front from the athlete's seed, independent of what the controller
does). Figures are computed on the athlete's true heart rate, second by second:

- time in band: share of seconds in [low, high] counted from the first entry into the band;
- excursion: mean distance outside the band over those seconds (0 while inside), bpm;
- switches per hour: work/rest changes the controller commanded;
- work share: share of seconds the athlete was asked to work (a hold keeps the effort);
- worst overshoot: highest true HR above the band's top after the first entry, bpm.

Athletes come in three groups by their habitual work effort (the steady HR it would reach):
"above" 10-35 bpm above the band's top, "inside" inside the band, "far" 40-60 bpm above.

Compliance model (only ZoneController gives cues; the baselines cannot): an athlete reacts to a
cue after REACTION_S. "ease off" lowers the work effort by EASE_STEP_BPM, and again every
CUE_REPEAT_S while the cue stays on, at most EASE_MAX_BPM in one bout; "pick it up" raises it
the same way. Each new work bout starts at the athlete's habitual effort again, so a cue is
needed in every bout (athletes tend to start each bout as hard as the last one began).

Usage: ``python benchmarks/control.py [--quick] [--athletes N] [--json PATH]``.
Prints a table, then the figures as JSON on the last line.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zonetrainer.control import ZoneController

BLOCK_S = 1800
WORK_S, REST_S = 240.0, 120.0
MIN_INTERVAL_S = 25.0
HYSTERESIS_MIN_S = 20.0
REACTION_S = 3.0
EASE_STEP_BPM = 10.0
EASE_MAX_BPM = 30.0
CUE_REPEAT_S = 15.0
EARLY_S = 10
GROUPS = ("above", "inside", "far")
CONTROLLERS = ("fixed", "hysteresis", "zone", "zone-pairs")


# ------------------------------------------------------------------------------------------
# The athlete: a stand-in two-component model with a dead time (DESIGN.md "simulated athlete").
@dataclass(frozen=True)
class Athlete:
    seed: int
    group: str
    age: float
    trained: bool
    low: float
    high: float
    work_bpm: float
    rest_bpm: float
    start_bpm: float
    dead_time_s: int
    tau_fast_s: float
    tau_slow_s: float
    slow_fraction: float
    recovery_ratio: float
    drift_bpm_per_min: float


def make_cohort(n: int, seed: int) -> list[Athlete]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        group = GROUPS[i % 3]
        age = float(rng.uniform(20, 70))
        trained = bool(rng.random() < 0.5)
        hrmax = 208.0 - 0.7 * age + float(rng.normal(0, 5))  # Tanaka et al. 2001
        low, high = round(0.60 * hrmax), round(0.70 * hrmax)  # zone 2, core/zones.py
        if group == "above":
            work = high + float(rng.uniform(10, 35))
        elif group == "inside":
            work = float(rng.uniform(low + 3, high - 3))
        else:
            work = high + float(rng.uniform(40, 60))
        rest = low - float(rng.uniform(15, 35))
        tau = float(rng.uniform(25, 110)) * (0.85 if trained else 1.1)
        out.append(Athlete(
            seed=seed * 1000 + i, group=group, age=age, trained=trained, low=low, high=high,
            work_bpm=work, rest_bpm=rest, start_bpm=low - float(rng.uniform(5, 15)),
            dead_time_s=int(rng.integers(5, 16)), tau_fast_s=min(110.0, max(25.0, tau)),
            tau_slow_s=float(rng.uniform(200, 400)), slow_fraction=float(rng.uniform(0.1, 0.25)),
            recovery_ratio=0.8, drift_bpm_per_min=float(rng.uniform(0.05, 0.35))))
    return out


def draw_signal(a: Athlete, seconds: int) -> tuple[np.ndarray, np.ndarray]:
    """Sensor noise (AR(1)) and faults for every second: the same for every controller."""
    rng = np.random.default_rng(a.seed)
    phi = float(rng.uniform(0.85, 0.9))
    sd = float(rng.uniform(1.5, 3.0))
    e = rng.normal(0.0, sd * math.sqrt(1 - phi * phi), seconds)
    noise = np.zeros(seconds)
    for k in range(1, seconds):
        noise[k] = phi * noise[k - 1] + e[k]
    # fault codes: 0 ok, 1 gap (no reading), 2 contact loss (0 bpm), 3 spike
    fault = np.zeros(seconds, dtype=np.int8)
    for _ in range(rng.poisson(seconds / 600)):  # gaps of 2-10 s, ~6 per hour
        s = int(rng.integers(0, seconds))
        fault[s:s + int(rng.integers(2, 11))] = 1
    for _ in range(rng.poisson(seconds / 1200)):  # contact loss of 5-20 s, ~3 per hour
        s = int(rng.integers(0, seconds))
        fault[s:s + int(rng.integers(5, 21))] = 2
    fault[rng.random(seconds) < 0.01] = 3  # single-sample spikes (missed/extra beats)
    return noise, fault


class Body:
    """True HR of one athlete: two first-order components behind a dead time, plus drift."""

    def __init__(self, a: Athlete) -> None:
        self.a = a
        self.fast = a.start_bpm
        self.slow = a.start_bpm
        self.queue = [a.start_bpm] * a.dead_time_s

    def step(self, t: int, target_bpm: float) -> float:
        a = self.a
        drift = a.drift_bpm_per_min * max(0.0, t - 600) / 60.0
        self.queue.append(target_bpm + drift)
        seen = self.queue.pop(0)
        for name, tau in (("fast", a.tau_fast_s), ("slow", a.tau_slow_s)):
            x = getattr(self, name)
            rate = 1.0 / tau * (a.recovery_ratio if seen < x else 1.0)
            setattr(self, name, x + (seen - x) * (1.0 - math.exp(-rate)))
        return (1 - a.slow_fraction) * self.fast + a.slow_fraction * self.slow


# ------------------------------------------------------------------------------------------
# Controllers, all as "phase(t, hr) -> work|rest|hold|done" plus an optional cue.
class Fixed:
    def __init__(self, a: Athlete) -> None:
        self.cue = None

    def update(self, t: float, hr: float | None) -> str:
        return "work" if t % (WORK_S + REST_S) < WORK_S else "rest"


class Hysteresis:
    """Rest above the band, work below it, at least 20 s per phase; median of 3 readings."""

    def __init__(self, a: Athlete) -> None:
        self.a, self.phase, self.since, self.cue = a, "work", 0.0, None
        self.recent: list[float] = []

    def update(self, t: float, hr: float | None) -> str:
        if hr is None or hr <= 0:
            return self.phase
        self.recent = [*self.recent[-2:], hr]
        level = statistics.median(self.recent)
        if t - self.since >= HYSTERESIS_MIN_S:
            if self.phase == "work" and level > self.a.high:
                self.phase, self.since = "rest", t
            elif self.phase == "rest" and level < self.a.low:
                self.phase, self.since = "work", t
        return self.phase


def zone(a: Athlete) -> ZoneController:
    return ZoneController(a.low, a.high, WORK_S, REST_S, BLOCK_S, safety_max=None,
                          min_interval_s=MIN_INTERVAL_S)


def zone_pairs(a: Athlete) -> ZoneController:
    return ZoneController(a.low, a.high, WORK_S, REST_S, BLOCK_S, safety_max=None,
                          min_interval_s=MIN_INTERVAL_S, keep_pairs=True)


class Compliance:
    """How the simulated athlete answers cues (see the module docstring)."""

    def __init__(self) -> None:
        self.adjust_bpm = 0.0
        self._cue: str | None = None
        self._since = 0

    def new_bout(self) -> None:
        self.adjust_bpm, self._cue = 0.0, None

    def hear(self, t: int, cue: str | None) -> None:
        if cue not in ("ease off", "pick it up"):
            self._cue = None
            return
        if cue != self._cue:
            self._cue, self._since = cue, t
        held = t - self._since - REACTION_S
        if held >= 0 and held % CUE_REPEAT_S < 1.0:
            step = -EASE_STEP_BPM if cue == "ease off" else EASE_STEP_BPM
            self.adjust_bpm = max(-EASE_MAX_BPM, min(EASE_MAX_BPM, self.adjust_bpm + step))


def run(a: Athlete, make: Callable[[Athlete], object]) -> dict[str, float]:
    noise, fault = draw_signal(a, BLOCK_S)
    body = Body(a)
    ctl = make(a)
    athlete = Compliance()
    working = True
    true_hr = np.zeros(BLOCK_S)
    work_s = switches = 0
    bout_starts = [0]
    early_ease_off: set[int] = set()  # work bouts with "ease off" in their first EARLY_S
    for t in range(BLOCK_S):
        target = (a.work_bpm + athlete.adjust_bpm) if working else a.rest_bpm
        hr_true = body.step(t, target)
        true_hr[t] = hr_true
        f = int(fault[t])
        reading = None if f == 1 else 0.0 if f == 2 else hr_true + noise[t] + (
            35.0 if f == 3 else 0.0)
        phase = ctl.update(float(t), reading)  # type: ignore[attr-defined]
        cue = getattr(ctl, "cue", None)
        if phase in ("work", "rest") and (phase == "work") != working:
            working = phase == "work"
            switches += 1
            athlete.new_bout()
            if working:
                bout_starts.append(t)
        if working:
            athlete.hear(t, cue)
            if cue == "ease off" and t - bout_starts[-1] < EARLY_S:
                early_ease_off.add(bout_starts[-1])
        work_s += working
    inside = (true_hr >= a.low) & (true_hr <= a.high)
    first = int(np.argmax(inside)) if inside.any() else BLOCK_S
    after = true_hr[first:]
    outside = np.maximum(a.low - after, 0.0) + np.maximum(after - a.high, 0.0)
    return {
        "time_in_band": float(inside[first:].mean()) if after.size else 0.0,
        "excursion_bpm": float(outside.mean()) if after.size else 0.0,
        "switches_per_h": switches * 3600.0 / BLOCK_S,
        "work_share": work_s / BLOCK_S,
        "worst_overshoot_bpm": float(max(0.0, (after - a.high).max())) if after.size else 0.0,
        "ease_off_bout_share": len(early_ease_off) / len(bout_starts),
    }


def summarise(rows: list[dict[str, float]]) -> dict[str, float]:
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
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="18 athletes instead of 72")
    parser.add_argument("--athletes", type=int, default=None)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args(argv)
    n = args.athletes or (18 if args.quick else 72)
    cohort = make_cohort(n, args.seed)
    makers: dict[str, Callable[[Athlete], object]] = {
        "fixed": Fixed, "hysteresis": Hysteresis, "zone": zone, "zone-pairs": zone_pairs}
    started = time.perf_counter()
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, make in makers.items():
        per_group: dict[str, list[dict[str, float]]] = {g: [] for g in GROUPS}
        for a in cohort:
            per_group[a.group].append(run(a, make))
        results[name] = {g: summarise(rows) for g, rows in per_group.items()}
    wall_s = time.perf_counter() - started
    cols = ("time_in_band_median", "time_in_band_p10", "excursion_bpm_mean",
            "switches_per_h_median", "work_share_median", "worst_overshoot_bpm",
            "overshoot_median_bpm", "ease_off_bout_share")
    heads = ("TiB med", "TiB p10", "exc bpm", "sw/h", "work", "worst", "os med", "ease")
    print(f"{'group':7} {'controller':11} " + " ".join(f"{h:>8}" for h in heads))
    for g in GROUPS:
        for name in CONTROLLERS:
            s = results[name][g]
            print(f"{g:7} {name:11} " + " ".join(f"{s[c]:>8}" for c in cols))
    out = {"athletes": n, "block_s": BLOCK_S, "seed": args.seed, "wall_s": round(wall_s, 1),
           "python": platform.python_version(), "results": results}
    text = json.dumps(out, sort_keys=True)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
