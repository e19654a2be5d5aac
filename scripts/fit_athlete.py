"""Fit the simulated athlete's time constant, drift and strap noise to real 1 Hz recordings.

    .venv/bin/python scripts/fit_athlete.py [--data ../shared/data] [--calibrate]

For each recording with an effort signal (power on a bike, speed on a run) it fits, by least
squares over a grid of dead times and time constants,

    HR(t) = a + b * x(t) + c * max(0, t - 600 s) / 60

where x is the effort delayed by the dead time and passed through a first-order lag. ``c`` is
the drift in bpm/min. The residual is then described as AR(1): ``phi`` its lag-1
autocorrelation, ``sd`` its standard deviation. The residual also holds what the one-lag model
cannot explain (terrain, cadence, a second time constant), so phi and sd are upper bounds of the
strap-and-physiology noise. Strap faults are counted in every readable recording: gaps (2-10 s
between records), zero readings (contact lost) and spikes (a reading more than 20 bpm from the
median of the 9 around it). Prints one JSON object.

``--calibrate`` also recomputes the alpha1 -> AR(1) coefficient table of
zonetrainer.core.sim (nolds.dfa over 300-beat windows) and prints it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

DRIFT_ONSET_S = 600.0
SPIKE_BPM = 20.0
#: A fit explaining less of the variance says more about the effort signal than about the heart
#: (running speed on hills is a poor proxy of effort); it is shown but not used for the medians.
MIN_R2 = 0.8
FITTED = {  # recording -> effort field
    "fit/sample-activity-indoor-trainer.fit": "power",
    "fit/developer-types-sample.fit": "power",
    "fit/4801048867.fit": "enhanced_speed",
}
COUNTED = ("fit/sample-activity-indoor-trainer.fit", "fit/developer-types-sample.fit",
           "fit/4801048867.fit", "fit/nick.fit")


def read_records(path: Path) -> list[dict[str, Any]]:
    from garmin_fit_sdk import Decoder, Stream

    messages, errors = Decoder(Stream.from_file(str(path))).read()
    records: list[dict[str, Any]] = [dict(r) for r in messages.get("record_mesgs", [])]
    if errors:
        print(f"{path.name}: read with errors ({errors[0]}); keeping {len(records)} records",
              file=sys.stderr)
    return [r for r in records if "timestamp" in r]


def on_grid(records: list[dict[str, Any]], field: str) -> tuple[NDArray[np.float64], ...]:
    """HR and effort on a 1 s grid (gaps filled by the last value; few and short here)."""
    t0 = records[0]["timestamp"].timestamp()
    t = np.array([r["timestamp"].timestamp() - t0 for r in records])
    hr = np.array([float(r.get("heart_rate") or np.nan) for r in records])
    effort = np.array([float(r.get(field) or 0.0) for r in records])
    grid = np.arange(0.0, t[-1] + 1.0)
    idx = np.searchsorted(t, grid, side="right") - 1
    return grid, hr[idx], effort[idx]


def lag(effort: NDArray[np.float64], tau_s: float) -> NDArray[np.float64]:
    """First-order lag with time constant ``tau_s`` at 1 Hz, from rest (zero effort): the
    recordings start with the athlete at rest, not at the first effort's steady state."""
    k = 1.0 - np.exp(-1.0 / tau_s)
    kernel = k * (1.0 - k) ** np.arange(int(12 * tau_s) + 1)
    padded = np.concatenate([np.zeros(len(kernel)), effort])
    return np.convolve(padded, kernel)[len(kernel): len(kernel) + len(effort)]


def fit_one(t: NDArray[np.float64], hr: NDArray[np.float64],
            effort: NDArray[np.float64]) -> dict[str, float]:
    ok = np.isfinite(hr) & (hr > 0)
    best: tuple[float, int, float, NDArray[np.float64], NDArray[np.float64]] | None = None
    drift = np.maximum(0.0, t - DRIFT_ONSET_S) / 60.0
    for tau_s in np.arange(5.0, 201.0, 1.0):
        lagged = lag(effort, float(tau_s))
        for dead_s in range(0, 21):
            x = np.concatenate([np.zeros(dead_s), lagged[: len(lagged) - dead_s]])
            design = np.column_stack([np.ones_like(x), x, drift])[ok]
            coef, *_ = np.linalg.lstsq(design, hr[ok], rcond=None)
            resid = hr[ok] - design @ coef
            sse = float(resid @ resid)
            if best is None or sse < best[0]:
                best = (sse, dead_s, float(tau_s), coef, resid)
    assert best is not None
    _, dead_s, tau_s, coef, resid = best
    phi = float(np.corrcoef(resid[:-1], resid[1:])[0, 1])
    fast = two_ar1(resid)
    return {"dead_time_s": dead_s, "tau_s": tau_s, "gain_bpm_per_unit": float(coef[1]),
            "drift_bpm_per_min": float(coef[2]), "resid_phi": phi,
            "resid_sd_bpm": float(np.std(resid)), **fast,
            "r2": 1.0 - float(resid @ resid) / float(np.sum((hr[ok] - hr[ok].mean()) ** 2)),
            "seconds": float(ok.sum())}


def two_ar1(resid: NDArray[np.float64], lags: int = 60) -> dict[str, float]:
    """Split the residual into a slow and a fast AR(1) by fitting its autocorrelation
    ``w phi_f^k + (1 - w) phi_s^k`` for k = 1..lags; the fast one is the noise the strap model
    adds (the slow one is what the one-lag model misses: terrain, a slow component)."""
    r = resid - resid.mean()
    acf = np.array([r[:-k] @ r[k:] / (r @ r) for k in range(1, lags + 1)])
    k = np.arange(1, lags + 1)
    best = (np.inf, 0.0, 0.0, 0.0)
    for phi_f in np.arange(0.50, 0.985, 0.005):
        for phi_s in np.arange(0.96, 0.9995, 0.0005):
            a, b = phi_f ** k, phi_s ** k
            # least squares for w with acf = w a + (1 - w) b, clipped to 0..1
            w = float(np.clip((acf - b) @ (a - b) / ((a - b) @ (a - b)), 0.0, 1.0))
            err = float(np.sum((w * a + (1 - w) * b - acf) ** 2))
            if err < best[0]:
                best = (err, float(phi_f), float(phi_s), w)
    _, phi_f, phi_s, w = best
    return {"noise_phi": round(phi_f, 3), "noise_sd_bpm": float(np.sqrt(w) * np.std(resid)),
            "slow_phi": round(phi_s, 4), "fast_variance_share": w}


def count_faults(records: list[dict[str, Any]]) -> dict[str, float]:
    t = np.array([r["timestamp"].timestamp() for r in records])
    hr = np.array([float(r.get("heart_rate") or 0.0) for r in records])
    dt = np.diff(t)
    hours = (t[-1] - t[0]) / 3600.0
    gaps = int(np.sum((dt >= 2) & (dt <= 10)))
    zeros = hr == 0
    losses = int(np.sum(zeros[1:] & ~zeros[:-1]) + zeros[0])
    live = hr[~zeros]
    med = np.array([np.median(live[max(0, i - 4): i + 5]) for i in range(len(live))])
    spikes = int(np.sum(np.abs(live - med) > SPIKE_BPM))
    return {"hours": hours, "gaps_2_10_s": gaps, "gaps_per_h": gaps / hours,
            "longer_pauses": int(np.sum(dt > 10)), "contact_losses": losses,
            "contact_losses_per_h": losses / hours, "spikes": spikes,
            "spikes_per_h": spikes / hours}


def calibrate(windows: int = 200, beats: int = 300) -> list[list[float]]:
    import nolds

    rng = np.random.default_rng(0)
    table = []
    for phi in (-0.5, -0.3, -0.15, 0.0, 0.15, 0.3, 0.45, 0.6, 0.7, 0.8):
        alphas = []
        for _ in range(windows):
            z = rng.standard_normal(beats + 100)
            x = np.zeros_like(z)
            for i in range(1, len(z)):
                x[i] = phi * x[i - 1] + z[i]
            x = x[100:]
            alphas.append(nolds.dfa(x, nvals=range(4, 17), overlap=False, fit_exp="poly"))
        table.append([round(float(np.mean(alphas)), 3), phi])
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = Path(__file__).resolve().parents[1]
    parser.add_argument("--data", type=Path, default=here.parent / "shared" / "data")
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    fits: dict[str, dict[str, float]] = {}
    for name, field in FITTED.items():
        t, hr, effort = on_grid(read_records(args.data / name), field)
        fits[name] = fit_one(t, hr, effort)
    faults = {name: count_faults(read_records(args.data / name)) for name in COUNTED}
    hours = sum(f["hours"] for f in faults.values())
    good = [f for f in fits.values() if f["r2"] >= MIN_R2]
    out: dict[str, Any] = {
        "fits": {name: {"effort": FITTED[name], **fit} for name, fit in fits.items()},
        "median_of_fits_with_r2_over_0.8": {
            k: float(np.median([f[k] for f in good]))
            for k in ("dead_time_s", "tau_s", "drift_bpm_per_min", "noise_phi", "noise_sd_bpm")},
        "faults": faults,
        "faults_pooled_per_h": {
            k: sum(f[c] for f in faults.values()) / hours
            for k, c in (("gaps", "gaps_2_10_s"), ("contact_losses", "contact_losses"),
                         ("spikes", "spikes"))},
    }
    if args.calibrate:
        out["alpha1_to_phi"] = calibrate()
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
