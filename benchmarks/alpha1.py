"""Cost of live DFA alpha1: RR cleaning + DFA per reading, and a whole hour of RR through the
tracker. Prints JSON. Run: .venv/bin/python benchmarks/alpha1.py"""

from __future__ import annotations

import json
import time

import numpy as np

from zonetrainer.core.signal import Alpha1Tracker, clean_rr, dfa_alpha


def fgn_like(n: int, rng: np.random.Generator) -> np.ndarray:
    """Cheap correlated noise (AR(1)); the timing does not depend on its scaling."""
    out = np.empty(n)
    x = 0.0
    for i, z in enumerate(rng.standard_normal(n)):
        x = 0.7 * x + z
        out[i] = x
    return out


def main() -> None:
    rng = np.random.default_rng(0)
    window = 500.0 + 5.0 * fgn_like(330, rng)  # 2 min + 45 s context at 120 bpm
    repeats = 200
    t0 = time.perf_counter()
    for _ in range(repeats):
        clean_rr(window)
    clean_ms = (time.perf_counter() - t0) / repeats * 1000
    t0 = time.perf_counter()
    for _ in range(repeats):
        dfa_alpha(window[-240:])
    dfa_ms = (time.perf_counter() - t0) / repeats * 1000
    hour = 400.0 + 5.0 * fgn_like(9000, rng)  # one hour at 150 bpm
    tracker = Alpha1Tracker()
    readings = 0
    t_s, batch = 0.0, []
    t0 = time.perf_counter()
    for value in hour:
        batch.append(float(value))
        if sum(batch) >= 1000.0:
            t_s += sum(batch) / 1000.0
            readings += tracker.add(t_s, tuple(batch)) is not None
            batch = []
    hour_s = time.perf_counter() - t0
    print(json.dumps({"clean_rr_ms_per_window": round(clean_ms, 3),
                      "dfa_alpha1_ms_per_window": round(dfa_ms, 3),
                      "tracker_one_hour_wall_s": round(hour_s, 3),
                      "tracker_readings_per_hour": readings,
                      "beats_per_hour": int(hour.size)}, indent=2))


if __name__ == "__main__":
    main()
