"""The effort lever: how hard work is, set from the heart rate (issue 13).

The heart's answer to effort is modelled as first order with a dead time (FOPDT)::

    HR(t) -> a + gain * effort(t - dead_time), with time constant tau, plus a start transient.

A bank of models over DESIGN.md's dead time (5-15 s) and tau (25-110 s) is fitted online
(weighted least squares with forgetting and a ridge toward the priors, so the first bout is
sensible before any error shows). The best member predicts HR one dead time ahead from the
efforts already applied; the work target is the effort that brings that prediction onto the
band's middle along a first-order path (predictive functional control), so the loop acts on
what the heart will do, not on the error it shows.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Final

import numpy as np

#: Gain priors, bpm of steady HR per unit of effort. Treadmill: Hunt et al. 2015, about 24 bpm
#: per m/s = 6.7 bpm per km/h; cycling: HR rises some 30 bpm per 100 W in incremental tests
#: (0.3 bpm/W). The prior is set at the high side of the spread people show (treadmill 4.5-9,
#: cycling 0.2-0.5, assumed): a gain taken too high only slows the approach to the band, one taken
#: too low overshoots it.
PRIOR_GAIN_BPM_PER_KMH: Final = 8.0
PRIOR_GAIN_BPM_PER_W: Final = 0.4

#: Dead time and time constant of the bank (DESIGN.md: 5-15 s, 25-110 s; Hunt et al. 2015 tau
#: 58 +/- 24 s). Prior centres are the published middles, not any simulator's values.
DEAD_TIME_GRID_S: Final = (5.0, 8.0, 11.0, 14.0)
TAU_GRID_S: Final = (25.0, 38.0, 55.0, 78.0, 110.0)
PRIOR_TAU_S: Final = 58.0
PRIOR_LOG_TAU_SD: Final = 0.5
PRIOR_DEAD_TIME_S: Final = 9.0
PRIOR_DEAD_TIME_SD_S: Final = 4.0
PRIOR_PENALTY_BPM2: Final = 20.0

#: Older data fades over this long: the fit follows drift (0.05-0.35 bpm/min, DESIGN.md) and
#: the slow part of recovery, which a first-order model reads as a moving level.
MEMORY_S: Final = 300.0

#: Ridge weights (squared regressor units): the level is free, the gain firm-ish (closed-loop
#: data tell gain and level apart poorly), the start transient free.
LEVEL_RIDGE: Final = 0.3
GAIN_PRIOR_SAMPLES: Final = 60.0
TRANSIENT_RIDGE: Final = 0.3

#: The work target aims at this share of the band (0 bottom, 1 top): the middle, which leaves
#: room for strap noise (SD 1.5-3 bpm) and model error either side.
AIM_SHARE: Final = 0.5

#: The predicted path reaches the aim this many time constants after the dead time. 1.5 tau
#: asks for little more than the steady effort, so the belt moves gently.
PATH_TAUS: Final = 1.0

#: While HR comes up from a rest, the effort asked may put the steady state this far above the
#: band's top at most (the path is then cut off by later decisions, as the prediction rises).
MAX_SS_ABOVE_TOP_BPM: Final = 8.0

#: Residual between the readings and the model, smoothed: averages the strap's AR(1) noise.
RESIDUAL_TAU_S: Final = 15.0

#: The target changes by at most this share of the lever's span per second: a belt needs 5-10 s
#: to change speed and a runner must be able to follow.
MAX_RATE_SHARE_PER_S: Final = 0.01


NUDGE_KMH: Final = 0.5
NUDGE_W: Final = 10.0


@dataclass(frozen=True, slots=True)
class EffortLever:
    """How hard the machine may run, in its own unit: ``work`` the starting work effort,
    ``rest`` the rest effort, ``low``/``high`` the machine's limits. ``unit`` ("km/h" or "W";
    None: guessed from the range) chooses the gain prior and the cue's words; ``step`` is one
    nudge (0: 2 % of the work effort)."""

    work: float
    rest: float
    low: float
    high: float
    unit: str | None = None
    step: float = 0.0

    def __post_init__(self) -> None:
        for name in ("work", "rest", "low", "high", "step"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
                    value):
                raise ValueError(f"EffortLever: {name} must be a finite number, got {value!r}")
        if not self.low < self.high:
            raise ValueError(f"EffortLever: low ({self.low}) must be below high ({self.high})")
        if self.step < 0:
            raise ValueError(f"EffortLever: step must not be negative, got {self.step}")

    @property
    def effort_unit(self) -> str:
        if self.unit is not None:
            return self.unit
        return "km/h" if self.high <= 40.0 else "W"

    @property
    def nudge_step(self) -> float:
        """One nudge: ``step``, else 0.5 km/h or 10 W, about 3 bpm of steady HR at the priors'
        gains (a sixth of a 60-70 % HRmax band): a change the athlete feels and the heart
        shows, small enough to repeat."""
        if self.step > 0:
            return self.step
        return NUDGE_KMH if self.effort_unit == "km/h" else NUDGE_W

    def clamp(self, value: float) -> float:
        return min(self.high, max(self.low, value))

    def prior_gain(self) -> float:
        return PRIOR_GAIN_BPM_PER_KMH if self.effort_unit == "km/h" else PRIOR_GAIN_BPM_PER_W


class EffortModel:
    """The FOPDT bank fitted on (t, effort applied, HR). Deterministic, no I/O."""

    def __init__(self, prior_gain: float, effort_scale: float) -> None:
        d, tau = np.meshgrid(DEAD_TIME_GRID_S, TAU_GRID_S, indexing="ij")
        self._d, self._tau = d.ravel(), tau.ravel()
        self._gain0 = prior_gain
        self._penalty = PRIOR_PENALTY_BPM2 * (
            ((np.log(self._tau) - math.log(PRIOR_TAU_S)) / PRIOR_LOG_TAU_SD) ** 2
            + ((self._d - PRIOR_DEAD_TIME_S) / PRIOR_DEAD_TIME_SD_S) ** 2)
        m = self._d.size
        self._uf = np.zeros(m)  # effort seen through the dead time and the lag
        self._tr = np.ones(m)  # the start transient, exp(-t / tau)
        self._mm = np.zeros((m, 4, 4))
        self._theta = np.zeros((m, 3))
        self._best = int(np.argmin(self._penalty))
        # (t, effort) over the longest dead time
        self._efforts: deque[tuple[float, float]] = deque()
        self._t0: float | None = None
        self._last_t = 0.0
        self._prior = np.zeros(3)
        # the gain prior weighs as much as GAIN_PRIOR_SAMPLES readings with the effort a
        # tenth of its working value off its mean
        self._ridge = np.diag([LEVEL_RIDGE, GAIN_PRIOR_SAMPLES * (0.1 * effort_scale) ** 2,
                               TRANSIENT_RIDGE])
        self.residual_bpm = 0.0
        self.samples = 0

    @property
    def started(self) -> bool:
        return self._t0 is not None

    def _effort_at(self, t: float) -> float:
        value = self._efforts[0][1]
        for ts, u in self._efforts:
            if ts > t:
                break
            value = u
        return value

    def step(self, t: float, effort: float, hr_bpm: float | None) -> None:
        """Advance to ``t`` with ``effort`` applied from now on; learn from ``hr_bpm``."""
        if self._t0 is None:
            if hr_bpm is None:
                return
            self._t0, self._last_t = t, t
            self._efforts.append((t - 100.0, effort))
            self._uf[:] = effort  # assume the heart was settled on the effort before the block
            self._prior = np.array([hr_bpm - self._gain0 * effort, self._gain0, 0.0])
            self._theta[:] = self._prior
        dt = t - self._last_t
        if dt > 0:
            for i, d in enumerate(DEAD_TIME_GRID_S):
                rows = slice(i * len(TAU_GRID_S), (i + 1) * len(TAU_GRID_S))
                keep = np.exp(-dt / self._tau[rows])
                self._uf[rows] = self._uf[rows] * keep + self._effort_at(t - d) * (1.0 - keep)
            self._tr *= np.exp(-dt / self._tau)
            self._last_t = t
        self._efforts.append((t, effort))
        while len(self._efforts) > 2 and self._efforts[1][0] < t - max(DEAD_TIME_GRID_S) - 2:
            self._efforts.popleft()
        if hr_bpm is None:
            return
        model = self.model_hr_bpm()
        z = np.stack([np.ones_like(self._uf), self._uf, self._tr, np.full_like(self._uf, hr_bpm)],
                     axis=1)
        self._mm *= math.exp(-max(dt, 1.0) / MEMORY_S)
        self._mm += z[:, :, None] * z[:, None, :]
        self.samples += 1
        if self.samples % 5 == 1:
            self._fit()
        alpha = 1.0 - math.exp(-max(dt, 1.0) / RESIDUAL_TAU_S)
        self.residual_bpm += alpha * (hr_bpm - model - self.residual_bpm)

    def _fit(self) -> None:
        a = self._mm[:, :3, :3] + self._ridge
        b = self._mm[:, :3, 3] + self._ridge @ self._prior
        theta: np.ndarray = np.linalg.solve(a, b[:, :, None])[:, :, 0]
        theta[:, 1] = np.clip(theta[:, 1], 0.4 * self._gain0, 2.0 * self._gain0)
        sse = (self._mm[:, 3, 3] - 2.0 * np.einsum("mi,mi->m", theta, self._mm[:, :3, 3])
               + np.einsum("mi,mij,mj->m", theta, self._mm[:, :3, :3], theta))
        self._theta = theta
        self._best = int(np.argmin(sse + self._penalty))

    def model_hr_bpm(self) -> float:
        k = self._best
        th = self._theta[k]
        return float(th[0] + th[1] * self._uf[k] + th[2] * self._tr[k])

    @property
    def gain(self) -> float:
        return float(self._theta[self._best, 1])

    @property
    def dead_time_s(self) -> float:
        return float(self._d[self._best])

    @property
    def tau_s(self) -> float:
        return float(self._tau[self._best])

    def ahead(self, t: float) -> tuple[float, float]:
        """HR one dead time ahead from the efforts already applied (residual included), and the
        level (bpm) the model's steady state has at zero effort then."""
        k = self._best
        d, tau = self._d[k], self._tau[k]
        uf = float(self._uf[k])
        # the efforts applied in the last dead time reach the heart over the next one
        n = 4
        for j in range(n):
            u = self._effort_at(t - d + (j + 0.5) * d / n)
            keep = math.exp(-(d / n) / tau)
            uf = uf * keep + u * (1.0 - keep)
        th = self._theta[k]
        tr = float(self._tr[k]) * math.exp(-d / tau)
        hr = float(th[0] + th[1] * uf + th[2] * tr) + self.residual_bpm
        return hr, float(th[0] + th[2] * tr) + self.residual_bpm

    def effort_for(self, t: float, aim_bpm: float, cap_bpm: float) -> float:
        """The effort that brings the predicted HR onto ``aim_bpm`` along a first-order path,
        its steady state at most ``cap_bpm``."""
        hr_d, level0 = self.ahead(t)
        rho = math.exp(-PATH_TAUS)
        steady = (aim_bpm - hr_d * rho) / (1.0 - rho)
        steady = min(steady, cap_bpm)
        return (steady - level0) / self.gain


def work_aim(low: float, high: float) -> float:
    return low + AIM_SHARE * (high - low)


def cap_for(high: float) -> float:
    return high + MAX_SS_ABOVE_TOP_BPM
