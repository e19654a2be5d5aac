"""Accuracy of the ramp test on simulated athletes with a known aerobic threshold. Prints JSON.

Two drivers: ``direct`` moves the athlete second by second through the shipped ramp plan's
efforts (strap faults on) and feeds the live tracker; ``pipeline`` runs the whole session
(engine with its own alpha1 tracker, runner, SimulatedStrap, a real SQLite file) and analyses
the stored record. Run: .venv/bin/python benchmarks/ramp_accuracy.py [N]
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import Alpha1Reading, SessionHeader
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.runner import run_session
from zonetrainer.core.signal import Alpha1Tracker
from zonetrainer.core.sim import Athlete, AthleteParams
from zonetrainer.core.sources.simulated import SimulatedStrap
from zonetrainer.core.store import Store
from zonetrainer.core.threshold import ThresholdResult, analyse_ramp, analyse_record

PLAN = load_plan("aerobic-threshold-ramp")


def athlete(aet: float, seed: int) -> Athlete:
    return Athlete(AthleteParams(rest_hr_bpm=55.0, hrmax_bpm=max(185.0, aet + 35.0),
                                 aet_hr_bpm=aet, lt2_hr_bpm=aet + 22.0), seed)


def direct(aet: float, seed: int) -> ThresholdResult:
    warmup, ramp = PLAN.blocks[0], PLAN.blocks[1]
    a = athlete(aet, seed)
    tracker = Alpha1Tracker()
    readings: list[Alpha1Reading] = []
    efforts = [(warmup.duration_s, aet - 35.0)] + [(ramp.step_s, aet - 30.0 + 6.0 * k)
                                                     for k in range(ramp.steps)]
    t = 0
    for duration, target in efforts:
        for _ in range(int(duration)):
            t += 1
            a.advance(1.0, target)
            s = a.sample(float(t))
            if s is not None and s.rr_ms and (r := tracker.add(s.t_s, s.rr_ms)) is not None:
                readings.append(r)
    return analyse_ramp(readings)


def pipeline(aet: float, seed: int, directory: Path) -> ThresholdResult:
    profile = Profile(name="A", age_years=40.0, rest_hr_bpm=55.0)
    band, zones = profile.band(), profile.zones()
    source = SimulatedStrap(athlete(aet, seed), work_hr_bpm=aet, rest_hr_bpm=100.0,
                            warmup_hr_bpm=aet - 35.0, ramp_start_hr_bpm=aet - 30.0,
                            ramp_step_bpm=6.0)
    engine = SessionEngine(PLAN, band, zones, safety_max_bpm=None)
    header = SessionHeader(datetime(2026, 1, 1, tzinfo=UTC), PLAN.name, "A", band, zones,
                           source.source_id)
    store = Store.open(directory / f"ramp-{seed}.sqlite")
    try:
        sid, _ = asyncio.run(run_session(engine, source, VirtualClock(), store.recorder(),
                                         header))
        return analyse_record(store.load(sid))
    finally:
        store.close()


def figures(errors: list[float | None], uncertainties: list[float]) -> dict[str, object]:
    found = np.array([e for e in errors if e is not None])
    return {"runs": len(errors), "estimates": int(found.size),
            "refused": sum(e is None for e in errors),
            "within_5_bpm": int(np.sum(np.abs(found) <= 5.0)),
            "mean_error_bpm": round(float(found.mean()), 2) if found.size else None,
            "sd_error_bpm": round(float(found.std()), 2) if found.size else None,
            "worst_abs_error_bpm": round(float(np.abs(found).max()), 1) if found.size else None,
            "mean_reported_uncertainty_bpm": round(float(np.mean(uncertainties)), 2)
            if uncertainties else None}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    rng = np.random.default_rng(2026)
    cases = [(float(rng.uniform(120.0, 165.0)), 5000 + k) for k in range(n)]
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, run in (("direct", lambda a, s: direct(a, s)),
                          ("pipeline", lambda a, s: pipeline(a, s, Path(tmp)))):
            errors: list[float | None] = []
            spread: list[float] = []
            for aet, seed in cases:
                result = run(aet, seed)
                errors.append(None if result.aet_hr_bpm is None else result.aet_hr_bpm - aet)
                if result.uncertainty_bpm is not None:
                    spread.append(result.uncertainty_bpm)
            out[name] = figures(errors, spread)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
