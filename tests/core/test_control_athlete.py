"""The zone-control loop with the project's simulated athlete and strap (real parts, no fakes).

The strap's compliance with cues and its faults are SimulatedStrap's own; the figures are
on the athlete's true heart rate.
"""

from __future__ import annotations

import numpy as np
import pytest

from zonetrainer.control import ZoneController
from zonetrainer.core.model import Band, Phase, SessionState
from zonetrainer.core.sim import Athlete, AthleteParams
from zonetrainer.core.sources.simulated import SimulatedStrap
from zonetrainer.core.zones import band_pct_hrmax

WARMUP_S = 300


def _state(band: Band, t: float, phase: Phase, cue: str | None) -> SessionState:
    return SessionState(elapsed_s=t, phase=phase, phase_elapsed_s=0.0, phase_remaining_s=None,
                        next_phase=None, block_index=1, interval_index=0, hr_bpm=None,
                        signal_live=True, zone=None, in_band=None, band=band,
                        session_duration_s=t, cue=cue, block_kind="intervals")


def _session(params: AthleteParams, seed: int, work_above_top_bpm: float,
             seconds: int) -> tuple[np.ndarray, Band, ZoneController]:
    band = band_pct_hrmax(params.hrmax_bpm, "test", 0.0)
    strap = SimulatedStrap(Athlete(params, seed=seed),
                           work_hr_bpm=band.high_bpm + work_above_top_bpm,
                           rest_hr_bpm=band.low_bpm - 25.0, warmup_hr_bpm=band.low_bpm - 8.0)
    strap.follow(_state(band, 0.0, "warmup", None))
    strap.drain(float(WARMUP_S))
    c = ZoneController(band.low_bpm, band.high_bpm, 240.0, 120.0, float(seconds))
    true_hr = np.zeros(seconds)
    working = True
    for k in range(seconds):
        now = float(WARMUP_S + k + 1)
        samples = strap.drain(now)
        true_hr[k] = strap.athlete.true_hr_bpm
        answer = c.update(float(k + 1), samples[-1].hr_bpm if samples else None)
        if answer in ("work", "rest"):
            working = answer == "work"
        phase: Phase = "hold" if answer == "hold" else ("work" if working else "rest")
        strap.follow(_state(band, now, phase, c.cue))
    return true_hr, band, c


@pytest.mark.parametrize("seed", [0, 1])
def test_two_hours_with_drift_keep_the_plans_shape(seed: int) -> None:
    """Issue 13: two hours of 4:00/2:00 stay twenty pairs, no bout chopped under min_work_s,
    work above rest; the time in band is what cues and a compliant athlete make of it."""
    params = AthleteParams()  # drift 0.3 bpm/min from 10 min on, strap faults on
    assert params.drift_bpm_per_min > 0 and params.gap_rate_per_h > 0
    true_hr, band, c = _session(params, seed, work_above_top_bpm=20.0, seconds=7200)
    works = [i for i in c.intervals if i.kind == "work"]
    assert 19 <= len(works) <= 21
    excused = ("safety ceiling", "signal lost", "block ended")
    assert all(i.actual_s >= c.min_work_s for i in works if i.end_reason not in excused)
    pairs = list(zip(c.intervals[0::2], c.intervals[1::2], strict=False))[1:]
    anti = sum(true_hr[int(w.start_s):int(w.end_s)].mean()
               < true_hr[int(r.start_s):int(r.end_s)].mean() for w, r in pairs)
    assert anti <= 1
    inside = (true_hr >= band.low_bpm) & (true_hr <= band.high_bpm)
    first = int(np.argmax(inside))
    assert inside[first:].mean() >= 0.5  # rests included, below the band by design


def test_effort_inside_the_band_keeps_the_plan_and_the_band() -> None:
    params = AthleteParams(drift_bpm_per_min=0.05)
    band = band_pct_hrmax(params.hrmax_bpm, "test", 0.0)
    middle_above_top = (band.low_bpm + band.high_bpm) / 2.0 - band.high_bpm
    true_hr, band, c = _session(params, 3, work_above_top_bpm=middle_above_top, seconds=1800)
    works = [i for i in c.intervals if i.kind == "work"]
    assert len(works) == 5
    inside = (true_hr >= band.low_bpm) & (true_hr <= band.high_bpm)
    work_s = [k for i in works for k in range(int(i.start_s) + 60, int(i.end_s))]
    assert inside[work_s].mean() >= 0.9  # each bout once HR has come up from the rest
