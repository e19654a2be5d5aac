"""The controller model bank as it was before it was made faster (commit 8ca0a85), kept verbatim
as the straightforward reference: tests/core/test_model_exact.py checks that the fast one gives
the same fits to the bit. Not used by zonetrainer itself."""
from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

#: Grids cover DESIGN.md's 5-15 s dead time and 25-110 s time constant, with a margin each side.
DEAD_TIME_GRID_S: Final = (4.0, 7.0, 10.0, 13.0, 16.0)
TAU_GRID_S: Final = (20.0, 30.0, 43.0, 60.0, 85.0, 120.0)

#: Priors: tau 58 +/- 24 s (Hunt et al. 2015); dead time 5-15 s, so 9 +/- 4 s (DESIGN.md).
PRIOR_TAU_S: Final = 58.0
PRIOR_LOG_TAU_SD: Final = 0.45
PRIOR_DEAD_TIME_S: Final = 9.0
PRIOR_DEAD_TIME_SD_S: Final = 4.0

#: Data older than about this many seconds fades out, so the fit follows cardiac drift
#: (0.05-0.35 bpm/min after ~10 min, DESIGN.md) and fatigue within a session.
MEMORY_S: Final = 420.0

#: Ridge weights, in squared regressor units. A level prior counts about as much as the first
#: 15 s of a bout's response, so the session's data take over at once. The drift prior (0) is
#: firm: within the forgetting memory drift and a change of effort look alike, and a wrong drift
#: extrapolates badly; the forgetting itself follows a real drift.
LEVEL_PRIOR_WEIGHT: Final = 0.5
DRIFT_PRIOR_WEIGHT: Final = 1000.0

#: How much a prior penalty (in squared SD) weighs against the fit's squared error (bpm^2).
PRIOR_PENALTY_BPM2: Final = 30.0

_COLUMN: Final = {"work": 0, "rest": 1, "pre": 2}
#: Regressor columns of the filtered inputs (work, rest, drift), and a slot for the reading.
_REGRESSORS: Final = [0, 1, 3, 3]

#: The bank is refitted this often; between fits the last solution predicts.
REFIT_EVERY_S: Final = 5.0


@dataclass(frozen=True, slots=True)
class ResponseEstimate:
    """The identified response: what the controller predicts with (and what a UI may show)."""

    work_bpm: float  # the steady HR the current work effort leads to, drift included
    rest_bpm: float  # the same for rest
    tau_s: float
    dead_time_s: float
    drift_bpm_per_min: float


class ResponseIdentifier:
    """Fits the FOPDT bank on ``(t, phase, hr)`` as the session runs. Deterministic, no I/O."""

    def __init__(self, prior_work_bpm: float, prior_rest_bpm: float) -> None:
        d_grid, tau_grid = np.meshgrid(DEAD_TIME_GRID_S, TAU_GRID_S, indexing="ij")
        self._d = d_grid.ravel()
        self._tau = tau_grid.ravel()
        m = self._d.size
        # Rows of one dead time are contiguous (meshgrid "ij"): one slice per dead time.
        n_tau = len(TAU_GRID_S)
        self._d_rows = tuple((d, slice(i * n_tau, (i + 1) * n_tau))
                             for i, d in enumerate(DEAD_TIME_GRID_S))
        self._keep_cache: tuple[float, np.ndarray] = (0.0, np.ones(m))
        self._prior = np.array([prior_work_bpm, prior_rest_bpm, 0.0])
        self._ridge = np.diag([LEVEL_PRIOR_WEIGHT, LEVEL_PRIOR_WEIGHT, DRIFT_PRIOR_WEIGHT])
        self._penalty = PRIOR_PENALTY_BPM2 * (
            ((np.log(self._tau) - math.log(PRIOR_TAU_S)) / PRIOR_LOG_TAU_SD) ** 2
            + ((self._d - PRIOR_DEAD_TIME_S) / PRIOR_DEAD_TIME_SD_S) ** 2)
        # Regressors per model: work, rest and "before the block" indicators seen through the
        # dead time and the first-order lag, and the lagged time in minutes (for drift).
        self._f = np.zeros((m, 4))
        self._f[:, 2] = 1.0  # the state starts at the first reading's level
        self._m = np.zeros((m, 4, 4))  # weighted sums of [x, y][x, y]^T per model
        self._x0: float | None = None
        self._last_t: float | None = None
        self._last_fit_t = -math.inf
        self._switches: list[tuple[float, str]] = []  # (time, phase) from the block start
        self._switch_times: list[float] = []
        self._theta = np.tile(self._prior, (m, 1))
        self._best = int(np.argmin(self._penalty))
        self.samples = 0

    # ----------------------------------------------------------------------------------------
    def note_phase(self, t: float, phase: str) -> None:
        """The effort changed to ``phase`` ("work" or "rest") at ``t``."""
        if not self._switches or self._switches[-1][1] != phase:
            self._switches.append((t, phase))
            self._switch_times.append(t)

    def _phase_at(self, t: float) -> str:
        i = bisect.bisect_right(self._switch_times, t)
        return self._switches[i - 1][1] if i else "pre"

    def step(self, t: float, hr_bpm: float | None) -> None:
        """Advance the bank to ``t``; learn from ``hr_bpm`` if there is one."""
        if self._last_t is None:
            if hr_bpm is None:
                return
            self._x0 = hr_bpm
            self._last_t = t
        dt = t - self._last_t
        if dt > 0.0:
            self._advance(t, dt)
            self._last_t = t
        if hr_bpm is None or self._x0 is None:
            return
        forget = math.exp(-max(dt, 1.0) / MEMORY_S)
        # One augmented outer product [x, y][x, y]^T holds x x^T, x y and y^2 together.
        z = self._f[:, _REGRESSORS]
        z[:, 3] = hr_bpm - self._x0 * self._f[:, 2]
        self._m *= forget
        self._m += z[:, :, None] * z[:, None, :]
        self.samples += 1
        if t - self._last_fit_t >= REFIT_EVERY_S:
            self._fit()
            self._last_fit_t = t

    def _advance(self, t: float, dt: float) -> None:
        if self._keep_cache[0] != dt:  # readings come at a steady rate: compute exp once
            self._keep_cache = (dt, np.exp(-dt / self._tau)[:, None])
        keep = self._keep_cache[1]
        target = np.zeros((self._d.size, 4))
        for d, rows in self._d_rows:
            target[rows, _COLUMN[self._phase_at(t - d)]] = 1.0
            target[rows, 3] = max(0.0, t - d) / 60.0
        self._f = self._f * keep + target * (1.0 - keep)

    def _fit(self) -> None:
        data_a, data_b, data_c = self._m[:, :3, :3], self._m[:, :3, 3], self._m[:, 3, 3]
        a = data_a + self._ridge
        b = data_b + self._ridge @ self._prior
        theta = np.linalg.solve(a, b[:, :, None])[:, :, 0]
        sse = (data_c - 2.0 * np.einsum("mi,mi->m", theta, data_b)
               + np.einsum("mi,mij,mj->m", theta, data_a, theta))
        self._theta = theta
        self._best = int(np.argmin(sse + self._penalty))

    # ----------------------------------------------------------------------------------------
    def model_hr_bpm(self) -> float | None:
        """The best model's HR now (no noise), or None before the first reading."""
        if self._x0 is None:
            return None
        k = self._best
        f = self._f[k]
        th = self._theta[k]
        return float(th[0] * f[0] + th[1] * f[1] + self._x0 * f[2] + th[2] * f[3])

    def estimate(self, t: float) -> ResponseEstimate:
        k = self._best
        th = self._theta[k]
        drift_now = float(th[2]) * max(0.0, t) / 60.0
        return ResponseEstimate(work_bpm=float(th[0]) + drift_now,
                                rest_bpm=float(th[1]) + drift_now, tau_s=float(self._tau[k]),
                                dead_time_s=float(self._d[k]), drift_bpm_per_min=float(th[2]))

    def effective_inputs(self, t: float, future: Sequence[tuple[float, str]],
                         horizon_s: float) -> list[tuple[float, str]]:
        """The input HR sees from ``t`` on, as (from time, phase), if effort then changes as
        ``future`` says ((time, phase) pairs, in order, none before ``t``)."""
        d = float(self._d[self._best])
        points = [(t, self._phase_at(t - d))]
        recent = self._switches[bisect.bisect_right(self._switch_times, t - d):]
        for start, phase in (*recent, *future):
            if t < start + d <= t + horizon_s:
                points.append((start + d, phase))
        return points


def extremes(x_now: float, t: float, inputs: Sequence[tuple[float, str]],
             estimate: ResponseEstimate, until: float) -> tuple[float, float, float, float]:
    """Max and min of the first-order response from ``x_now`` over ``[t, until]``.

    Returns ``(max_bpm, t_of_max, min_bpm, t_of_min)``. Between input changes the response is
    monotone, so the extremes sit at change points or at the ends.
    """
    levels = {"work": estimate.work_bpm, "rest": estimate.rest_bpm}
    hi, t_hi, lo, t_lo = x_now, t, x_now, t
    x = x_now
    for i, (start, phase) in enumerate(inputs):
        end = inputs[i + 1][0] if i + 1 < len(inputs) else until
        end = min(end, until)
        if end <= start:
            continue
        level = levels.get(phase, x)
        x = level + (x - level) * math.exp(-(end - max(start, t)) / estimate.tau_s)
        if x > hi:
            hi, t_hi = x, end
        if x < lo:
            lo, t_lo = x, end
    return hi, t_hi, lo, t_lo
