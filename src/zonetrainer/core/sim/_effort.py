"""How a simulated athlete's heart answers a machine's effort: belt speed or power to the
steady-state heart rate that :meth:`Athlete.advance` takes.

Linear above a floor effort, as heart rate is over the moderate range in treadmill and cycle
tests (the steady-state HR-speed and HR-power relations are close to linear between walking or
easy pedalling and the second threshold):

- Treadmill: Hunt et al. 2015 fit a gain of about 24 bpm per m/s, 6.7 bpm per km/h
  (DESIGN.md); people differ, so a cohort draws 4.5-9 bpm per km/h (assumed spread).
- Cycling: about 0.3 bpm per W for a recreational rider (HR rising some 30 bpm per 100 W in
  incremental tests; assumed typical value); a cohort draws 0.2-0.5 bpm per W (trained riders
  at the low end).

``floor`` is the effort at which the heart sits ``floor_hr_above_rest_bpm`` above resting: slow
walking (3 km/h) or freewheeling (0 W) still costs some heart rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zonetrainer.core.model import EffortUnit
from zonetrainer.core.sim._params import AthleteParams

TREADMILL_GAIN_BPM_PER_KMH = 24.0 / 3.6  # Hunt et al. 2015: 24 bpm per m/s
BIKE_GAIN_BPM_PER_W = 0.3


@dataclass(frozen=True, slots=True)
class EffortResponse:
    """Steady-state heart rate as a function of effort, for one athlete and one machine."""

    unit: EffortUnit
    gain_bpm_per_unit: float
    floor: float  # effort at which HR sits floor_hr_above_rest_bpm above rest
    floor_hr_above_rest_bpm: float = 15.0

    def __post_init__(self) -> None:
        if not self.gain_bpm_per_unit > 0:
            raise ValueError(f"EffortResponse: gain must be positive, not {self.gain_bpm_per_unit}")

    def steady_hr_bpm(self, effort: float, params: AthleteParams) -> float:
        """The heart rate ``effort`` would reach in a steady state (before drift), within
        resting and maximal heart rate."""
        hr = (params.rest_hr_bpm + self.floor_hr_above_rest_bpm
              + self.gain_bpm_per_unit * (effort - self.floor))
        return float(min(params.hrmax_bpm, max(params.rest_hr_bpm, hr)))

    def effort_for_hr(self, hr_bpm: float, params: AthleteParams) -> float:
        """The effort whose steady state is ``hr_bpm`` (the inverse of :meth:`steady_hr_bpm`)."""
        return self.floor + (hr_bpm - params.rest_hr_bpm - self.floor_hr_above_rest_bpm) \
            / self.gain_bpm_per_unit


def treadmill_response(gain_bpm_per_kmh: float = TREADMILL_GAIN_BPM_PER_KMH) -> EffortResponse:
    return EffortResponse("km/h", gain_bpm_per_kmh, floor=3.0)


def bike_response(gain_bpm_per_w: float = BIKE_GAIN_BPM_PER_W) -> EffortResponse:
    return EffortResponse("W", gain_bpm_per_w, floor=0.0)


def random_response(unit: EffortUnit, rng: np.random.Generator) -> EffortResponse:
    """One athlete's response drawn from the spreads in the module's docstring."""
    if unit == "km/h":
        return treadmill_response(float(rng.uniform(4.5, 9.0)))
    return bike_response(float(rng.uniform(0.2, 0.5)))
