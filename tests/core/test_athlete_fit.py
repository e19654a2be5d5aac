"""scripts/fit_athlete.py: its fit recovers a known athlete, and it reads the real recordings."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from zonetrainer.core.sim import Athlete, AthleteParams

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fit_athlete", ROOT / "scripts/fit_athlete.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fit_athlete"] = module
    spec.loader.exec_module(module)
    return module


def test_the_fit_recovers_a_simulated_athletes_lag_drift_and_noise(fit: ModuleType) -> None:
    params = replace(AthleteParams(), dead_time_s=9.0, tau_fast_s=60.0, slow_fraction=0.0,
                     recovery_gain_ratio=1.0, drift_bpm_per_min=0.2, drift_onset_s=600.0,
                     aet_hr_bpm=170.0, lt2_hr_bpm=178.0, hrmax_bpm=190.0,
                     noise_phi=0.88, noise_sd_bpm=2.0).without_faults()
    athlete = Athlete(params, 3)
    rng = np.random.default_rng(0)
    efforts = np.repeat(rng.uniform(100, 160, 30), 80)  # 40 min of random 80 s steps
    hr = []
    for t, effort in enumerate(efforts, start=1):
        athlete.advance(1.0, float(effort))
        sample = athlete.sample(float(t))
        assert sample is not None and sample.hr_bpm is not None
        hr.append(sample.hr_bpm)
    t_s = np.arange(1.0, len(efforts) + 1.0)
    # Drift in the model scales with effort; at these efforts (below AeT = 170) it is about
    # (mean effort - rest) / (AeT - rest) of the nominal rate.
    result = fit.fit_one(t_s, np.array(hr), efforts - params.rest_hr_bpm)  # effort from rest
    assert result["tau_s"] == pytest.approx(60.0, abs=6.0)
    assert result["dead_time_s"] == pytest.approx(9.0, abs=2.0)
    assert result["drift_bpm_per_min"] == pytest.approx(0.2 * (130 - 60) / (170 - 60), abs=0.05)
    assert result["resid_sd_bpm"] == pytest.approx(2.0, rel=0.3)
    assert result["gain_bpm_per_unit"] == pytest.approx(1.0, abs=0.05)


def test_fault_counts_on_a_real_recording(fit: ModuleType) -> None:
    """nick.fit (4.6 h, python-fitparse, MIT): two short gaps and one run of zero readings."""
    counts = fit.count_faults(fit.read_records(ROOT / "tests/data/fit/nick.fit"))
    assert counts["gaps_2_10_s"] == 2 and counts["contact_losses"] == 1
    assert counts["hours"] == pytest.approx(4.65, abs=0.01)
