"""Beat-by-beat RR intervals whose DFA alpha1 and RMSSD follow exercise intensity.

Why an AR(1) process and not fractional Gaussian noise: alpha1 is fitted over boxes of only
4-16 beats, and an AR(1) series of beat-to-beat fluctuations has a short-scale DFA exponent
that rises smoothly with its coefficient, from below 0.5 (phi < 0, anti-correlated, as above
the second threshold) to above 1.2 (phi near 0.8, as at rest); it can be generated one beat at
a time with no memory of the whole series, and its coefficient can change from beat to beat as
intensity changes. fGn is defined only for alpha < 1 and needs the whole series up front.

The map from alpha1 to phi (:data:`ALPHA1_TO_PHI`) was calibrated by
``scripts/fit_athlete.py --calibrate`` with ``nolds.dfa(x, nvals=range(4, 17), overlap=False,
fit_exp="poly")`` on 300-beat windows (about two minutes of exercise, the window of Rogers et
al. 2021), 200 windows per coefficient: short windows bias alpha1 upward (white noise gives
about 0.59 there, not 0.5), and the table absorbs that bias.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

#: (alpha1, phi) pairs, alpha1 increasing: mean alpha1 of 300-beat AR(1) windows for each phi.
ALPHA1_TO_PHI: Final[tuple[tuple[float, float], ...]] = (
    (0.318, -0.5), (0.418, -0.3), (0.493, -0.15), (0.581, 0.0), (0.672, 0.15), (0.782, 0.3),
    (0.891, 0.45), (1.025, 0.6), (1.124, 0.7), (1.243, 0.8),
)
_ALPHAS: Final = tuple(a for a, _ in ALPHA1_TO_PHI)
_PHIS: Final = tuple(p for _, p in ALPHA1_TO_PHI)

#: Real straps report RR in units of 1/1024 s (Bluetooth SIG Heart Rate Measurement 0x2A37).
RR_UNIT_MS: Final = 1000.0 / 1024.0
#: Beats drawn from the generator at a time: one numpy call per chunk, not per beat.
_CHUNK: Final = 2048


def interp(x: float, xs: Sequence[float], ys: Sequence[float]) -> float:
    """``np.interp`` for one scalar, to the bit (the same formula and end cases), in plain
    Python: a numpy call on a scalar costs tens of microseconds, and this runs three times a
    simulated second per athlete. ``xs`` increasing."""
    if x != x:  # NaN in, NaN out
        return x
    if x <= xs[0]:
        return ys[0] if x < xs[0] or xs[0] != xs[-1] else ys[-1]
    last = len(xs) - 1
    if x >= xs[last]:
        return ys[last]
    j = bisect.bisect_right(xs, x) - 1
    if xs[j] == x:
        return ys[j]
    slope = (ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j])
    y = slope * (x - xs[j]) + ys[j]
    if y != y:
        y = slope * (x - xs[j + 1]) + ys[j + 1]
        if y != y and ys[j] == ys[j + 1]:
            y = ys[j]
    return y


def phi_for_alpha1(alpha1: float) -> float:
    """The AR(1) coefficient whose 2-minute DFA alpha1 is ``alpha1`` (clamped to the table)."""
    return interp(alpha1, _ALPHAS, _PHIS)


@dataclass(frozen=True, slots=True)
class IntensityCurve:
    """alpha1 and RMSSD as functions of heart rate, anchored at the athlete's thresholds.

    Anchors (DESIGN.md): alpha1 about 1.0-1.2 well below the aerobic threshold, 0.75 at it
    (Rogers et al. 2021, Front. Physiol. 11:596567), 0.5 at the second threshold (Rogers et al.
    2021, J. Funct. Morphol. Kinesiol. 6:38), below 0.5 above it, where the beat series turns
    anti-correlated (Gronwald et al. 2020 review); 0.35 at HRmax is this model's assumption.
    RMSSD falls from rest (default 35 ms, inside the 19-75 ms normal range of short-term
    recordings in healthy adults, Nunan et al. 2010) to 3-6 ms during exercise (DESIGN.md).
    """

    rest_hr_bpm: float
    aet_hr_bpm: float
    lt2_hr_bpm: float
    hrmax_bpm: float
    alpha1_easy: float = 1.15
    alpha1_aet: float = 0.75
    alpha1_lt2: float = 0.5
    alpha1_max: float = 0.35
    rmssd_rest_ms: float = 35.0
    rmssd_exercise_ms: float = 4.5

    def alpha1(self, hr_bpm: float) -> float:
        """One straight line from the easy plateau through both thresholds, then flatter to
        HRmax: the ramp method of Rogers et al. 2021 fits a single line of alpha1 against HR,
        and a kink at the aerobic threshold would bias where that line crosses 0.75."""
        slope = (self.alpha1_aet - self.alpha1_lt2) / (self.lt2_hr_bpm - self.aet_hr_bpm)
        easy_hr = self.aet_hr_bpm - (self.alpha1_easy - self.alpha1_aet) / slope
        xs = (easy_hr, self.aet_hr_bpm, self.lt2_hr_bpm,
              max(self.hrmax_bpm, self.lt2_hr_bpm + 1.0))
        ys = (self.alpha1_easy, self.alpha1_aet, self.alpha1_lt2, self.alpha1_max)
        return interp(hr_bpm, xs, ys)

    def rmssd_ms(self, hr_bpm: float) -> float:
        """Falls linearly from rest to the exercise value, reached 20 bpm below AeT."""
        xs = (self.rest_hr_bpm, max(self.aet_hr_bpm - 20.0, self.rest_hr_bpm + 1.0))
        return interp(hr_bpm, xs, (self.rmssd_rest_ms, self.rmssd_exercise_ms))


class BeatGenerator:
    """Produces RR intervals one beat at a time around the true heart rate.

    The artefacts of a chest strap are added here too: a missed beat (two intervals reported
    as one) and an extra beat (one interval split in two), each with its own share of beats.
    """

    def __init__(self, curve: IntensityCurve, rng: np.random.Generator,
                 missed_share: float = 0.0, extra_share: float = 0.0,
                 quantize: bool = True) -> None:
        self.curve = curve
        self._rng = rng
        self.missed_share = missed_share
        self.extra_share = extra_share
        self.quantize = quantize
        self._x_ms = 0.0  # the AR(1) fluctuation around the mean RR
        self._normal = np.empty(0)
        self._uniform = np.empty(0)
        self._i = 0
        self.beat_t_s = 0.0  # time of the last beat
        self.beats = 0
        self.missed = 0
        self.extra = 0
        # The next beat is drawn once and kept until it has happened, so a beat that falls
        # after ``t_s`` is the same beat in the next call: the series does not depend on when
        # it is asked for.
        self._peeked: tuple[float, float] | None = None
        self._missed_ms: float | None = None  # a beat the strap did not detect, carried on
        self._shape_hr_bpm = math.nan
        self._shape = (0.0, 0.0)

    def _refill(self) -> None:
        self._normal = self._rng.standard_normal(_CHUNK)
        self._uniform = self._rng.random(_CHUNK)
        self._i = 0

    def _next_rr_ms(self, hr_bpm: float) -> tuple[float, float]:
        if self._i >= len(self._normal):
            self._refill()
        i = self._i
        self._i += 1
        if hr_bpm != self._shape_hr_bpm:  # the shape depends on HR only: compute it once
            phi = phi_for_alpha1(self.curve.alpha1(hr_bpm))
            # RMSSD of a stationary AR(1) is sd * sqrt(2 (1 - phi)): pick sd to give the RMSSD.
            sd_ms = self.curve.rmssd_ms(hr_bpm) / math.sqrt(2.0 * (1.0 - phi))
            self._shape = (phi, math.sqrt(1.0 - phi * phi) * sd_ms)
            self._shape_hr_bpm = hr_bpm
        phi, scale_ms = self._shape
        self._x_ms = phi * self._x_ms + scale_ms * float(self._normal[i])
        rr = max(250.0, 60000.0 / hr_bpm + self._x_ms)
        return rr, float(self._uniform[i])

    def beats_until(self, t_s: float, hr_bpm: float) -> list[float]:
        """True RR intervals of every beat that ends by ``t_s``, with the strap's artefacts."""
        out: list[float] = []
        while True:
            rr, u = self._next_peek(hr_bpm)
            if self.beat_t_s + rr / 1000.0 > t_s:
                break
            self._take()
            self.beat_t_s += rr / 1000.0
            self.beats += 1
            if self._missed_ms is not None:  # the beat before was missed: report both as one
                out.append(self._missed_ms + rr)
                self._missed_ms = None
            elif u < self.missed_share:
                self._missed_ms = rr
                self.missed += 1
            elif u < self.missed_share + self.extra_share:
                split = 0.3 + 0.4 * ((u - self.missed_share) / self.extra_share)
                out.extend((rr * split, rr * (1.0 - split)))
                self.extra += 1
            else:
                out.append(rr)
        if self.quantize:
            out = [round(rr / RR_UNIT_MS) * RR_UNIT_MS for rr in out]
        return out

    def _next_peek(self, hr_bpm: float) -> tuple[float, float]:
        if self._peeked is None:
            self._peeked = self._next_rr_ms(hr_bpm)
        return self._peeked

    def _take(self) -> None:
        self._peeked = None
