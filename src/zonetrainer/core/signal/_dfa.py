"""DFA alpha1 of RR intervals: one vectorised function and a live tracker.

Definition (Peng et al. 1995, Chaos 5:82; short-term exponent alpha1 over boxes of 4-16
beats as used for exercise by Gronwald et al. 2020 and Rogers et al. 2021): integrate the
mean-removed series, cut it into boxes of n beats, remove a least-squares line from each box,
take F(n) = the root of the mean squared residual over all boxes, and fit a line to
ln F(n) against ln n; alpha1 is its slope. This is exactly ``nolds.dfa(rr, nvals=range(4, 17),
overlap=False, order=1, fit_trend="poly", fit_exp="poly")`` (nolds 0.6.2): boxes start at the
first beat and the incomplete last box is dropped; with ``overlap=True`` boxes advance by
n // 2 and, as in nolds, the box that would start at ``len - n`` is not used. The tests
compare both against nolds.

The tracker keeps the last two minutes of beats, cleans them with
:func:`zonetrainer.core.signal.clean_rr`, and recomputes alpha1 every ``every_s`` seconds.
A window with more than 5 % corrected beats, or with RR covering too little of the window
(signal gaps), is reported with ``usable=False`` and must not drive a decision.
"""

from __future__ import annotations

import functools
import logging
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from zonetrainer.core.model import Alpha1Reading, HeartRateSample
from zonetrainer.core.signal._artifacts import clean_rr

log = logging.getLogger(__name__)

#: Box sizes for the short-term exponent alpha1: 4-16 beats (Peng et al. 1995; the range of
#: Gronwald et al. 2020 and Rogers et al. 2021; Kubios uses the same).
ALPHA1_SCALES: Final = tuple(range(4, 17))
#: Window and recompute period: 2-minute windows (Rogers et al. 2021), recomputed at most
#: every 20 s (DESIGN.md: 5-20 s).
WINDOW_S: Final = 120.0
EVERY_S: Final = 20.0
#: Above this share of corrected beats a window is not used (Rogers et al. 2021 excluded
#: recordings with more than 5 % artefacts: alpha1 is sensitive to even a few).
MAX_CORRECTED_SHARE: Final = 0.05
#: The RR of a usable window must cover at least this share of its length (a gap of more than
#: 12 s in two minutes makes the beat series discontinuous).
MIN_COVERAGE: Final = 0.9
#: Four boxes of the largest size: fewer beats give a meaningless F(16).
MIN_BEATS: Final = 4 * ALPHA1_SCALES[-1]
#: Raw beats kept before the window, so the artefact detector's local statistics are sound
#: at the window's start.
CONTEXT_S: Final = 45.0

#: A beat is judged against the two after it (Lipponen and Tarvainen's S12/S22 subspaces look
#: one and two beats ahead). Live, the newest beats have none yet: when the detector flags one
#: of them, the reading leaves them out until the next readings can judge them.
TAIL_CONTEXT_BEATS: Final = 2


class DFAError(ValueError):
    """The series cannot give a DFA exponent (too short, or no variation at all)."""


def fluctuations(rr_ms: ArrayLike, scales: Sequence[int] = ALPHA1_SCALES,
                 overlap: bool = False) -> NDArray[np.float64]:
    """F(n) for each box size n: RMS of the linearly detrended, integrated series."""
    x = np.asarray(rr_ms, dtype=np.float64).ravel()
    if x.size <= max(scales):
        raise DFAError(f"{x.size} beats are too few for boxes of up to {max(scales)} beats")
    walk = np.cumsum(x - x.mean())
    result = np.empty(len(scales))
    for k, n in enumerate(scales):
        if overlap:
            starts = np.arange(0, walk.size - n, n // 2)
            boxes = np.lib.stride_tricks.sliding_window_view(walk, n)[starts]
        else:
            boxes = walk[: walk.size - walk.size % n].reshape(-1, n)
        t, tt = _box_line(n)
        # (np.mean's own sum and division, without its wrapper's cost: the same values)
        centred = boxes - np.add.reduce(boxes, axis=1, keepdims=True) / n
        # Least-squares residual of a line, in closed form: sum(y^2) - (t.y)^2 / t.t per box.
        tdot = centred @ t
        sse = np.einsum("ij,ij->i", centred, centred) - tdot * tdot / tt
        result[k] = np.sqrt(np.maximum(sse, 0.0).sum() / (n * boxes.shape[0]))
    return result


@functools.cache
def _box_line(n: int) -> tuple[NDArray[np.float64], float]:
    """The centred box positions of boxes of ``n`` beats, and their sum of squares."""
    t = np.asarray(np.arange(n) - (n - 1) / 2.0, dtype=np.float64)
    return t, float(t @ t)


@functools.cache
def _line_fit(scales: tuple[int, ...]) -> tuple[NDArray[np.float64], NDArray[np.float64],
                                                 float]:
    """What ``np.polyfit(np.log(scales), y, 1)`` computes before it solves: its scaled
    Vandermonde matrix, the column scales and rcond (numpy 2's polyfit, step by step)."""
    x = np.log(np.asarray(scales, dtype=np.float64)) + 0.0
    lhs = np.vander(x, 2)
    scale = np.sqrt((lhs * lhs).sum(axis=0))
    lhs /= scale
    lhs.flags.writeable = False
    return lhs, scale, len(x) * float(np.finfo(x.dtype).eps)


def dfa_alpha(rr_ms: ArrayLike, scales: Sequence[int] = ALPHA1_SCALES,
              overlap: bool = False) -> float:
    """The DFA exponent over ``scales`` (alpha1 with the default 4-16 beats)."""
    f = fluctuations(rr_ms, scales, overlap)
    nonzero = f > 0
    if nonzero.sum() < 2:
        raise DFAError("the RR series does not vary: no DFA exponent")
    if nonzero.all():
        # np.polyfit's own steps with its fixed part done once per set of scales: the same
        # slope to the bit (tests/signal/test_dfa_exact.py), without its checks' cost
        lhs, scale, rcond = _line_fit(tuple(scales))
        c = np.linalg.lstsq(lhs, np.log(f) + 0.0, rcond)[0]
        return float((c.T / scale).T[0])
    slope, _ = np.polyfit(np.log(np.asarray(scales, dtype=np.float64)[nonzero]),
                          np.log(f[nonzero]), 1)
    return float(slope)


class Alpha1Tracker:
    """Live DFA alpha1: feed it the RR of every sample; it answers with a reading when due.

    ``add(t_s, rr_ms)`` takes the RR intervals that arrived with the sample at ``t_s``
    (seconds of session time; the last interval ends at ``t_s``) and returns an
    :class:`Alpha1Reading` when at least ``every_s`` has passed since the previous one and a
    full window of beats is available, else None.
    """

    def __init__(self, window_s: float = WINDOW_S, every_s: float = EVERY_S,
                 max_corrected_share: float = MAX_CORRECTED_SHARE) -> None:
        if not 30.0 <= window_s <= 600.0:
            raise ValueError(f"window_s: {window_s:g} s; use 30-600 s")
        if not 1.0 <= every_s <= window_s:
            raise ValueError(f"every_s: {every_s:g} s; use 1 s up to the window ({window_s:g} s)")
        if not 0.0 <= max_corrected_share < 1.0:
            raise ValueError(f"max_corrected_share: {max_corrected_share:g}; use 0-1")
        self.window_s = window_s
        self.every_s = every_s
        self.max_corrected_share = max_corrected_share
        self._times: deque[float] = deque()
        self._rr: deque[float] = deque()
        self._first_t: float | None = None
        self._due_t: float | None = None

    def reset(self) -> None:
        """Forget every beat (e.g. after a long signal loss)."""
        self._times.clear()
        self._rr.clear()
        self._first_t = self._due_t = None

    def add(self, t_s: float, rr_ms: Iterable[float]) -> Alpha1Reading | None:
        rr = [float(v) for v in rr_ms]
        end = t_s
        last = self._times[-1] if self._times else -np.inf
        # How long after each beat the notification's last beat ends: the same sums, in the
        # same order, as np.cumsum(rr[::-1])[::-1] - rr, without numpy's cost on 1-3 values.
        later_ms: list[float] = []
        acc = 0.0
        for value in reversed(rr):
            acc += value
            later_ms.append(acc - value)
        later_ms.reverse()
        for offset_ms, value in zip(later_ms, rr, strict=True):
            # Times of beats in one notification count back from its arrival; never earlier
            # than the previous beat, as notifications may arrive with jitter.
            beat_t = max(end - offset_ms / 1000.0, last)
            self._times.append(beat_t)
            self._rr.append(value)
            last = beat_t
        if self._first_t is None:
            if not rr:
                return None
            self._first_t = t_s
            self._due_t = t_s + self.window_s
        self._trim(t_s)
        assert self._due_t is not None
        if t_s < self._due_t:
            return None
        while self._due_t <= t_s:
            self._due_t += self.every_s
        return self.reading_at(t_s)

    def _trim(self, t_s: float) -> None:
        oldest = t_s - self.window_s - CONTEXT_S
        while self._times and self._times[0] < oldest:
            self._times.popleft()
            self._rr.popleft()

    def reading_at(self, t_s: float) -> Alpha1Reading | None:
        """Alpha1 over the window ending at ``t_s`` from the beats held now (None: too few)."""
        times = np.fromiter(self._times, dtype=np.float64, count=len(self._times))
        values = np.fromiter(self._rr, dtype=np.float64, count=len(self._rr))
        return window_reading(times, values, t_s, self.window_s, self.max_corrected_share)


def window_reading(times_s: NDArray[np.float64], rr_ms: NDArray[np.float64], t_s: float,
                   window_s: float = WINDOW_S,
                   max_corrected_share: float = MAX_CORRECTED_SHARE) -> Alpha1Reading | None:
    """One reading over beats with ``t_s - window_s < time <= t_s``; earlier beats are context
    for the artefact detector only. None when the window holds fewer than MIN_BEATS beats."""
    held = times_s <= t_s
    times_s, rr_ms = times_s[held], rr_ms[held]
    first = int(np.searchsorted(times_s, t_s - window_s, side="right"))
    in_window = times_s.size - first
    if in_window < MIN_BEATS:
        return None
    cleaned = clean_rr(rr_ms)
    flagged = cleaned.artifacts.indices()
    end = rr_ms.size  # beats from here on are left out: flagged with no beats after them
    tail = rr_ms.size - TAIL_CONTEXT_BEATS
    if any(i >= tail for i in flagged):
        end = min(i for i in flagged if i >= tail)
    window_rr = cleaned.rr_ms[(cleaned.origin >= first) & (cleaned.origin < end)]
    corrected = sum(1 for i in flagged if first <= i < end)
    share = corrected / max(1, end - first)
    coverage = float(rr_ms[first:end].sum()) / 1000.0 / window_s
    try:
        alpha1 = dfa_alpha(window_rr)
    except DFAError as exc:
        log.debug("no alpha1 at %.1f s: %s", t_s, exc)
        return None
    hr_bpm = 60000.0 / float(window_rr.mean())
    usable = share <= max_corrected_share and coverage >= MIN_COVERAGE
    return Alpha1Reading(t_s=float(t_s), alpha1=round(alpha1, 4), corrected_share=round(share, 4),
                         beats=int(window_rr.size), hr_bpm=round(hr_bpm, 1), usable=usable)


def alpha1_series(samples: Iterable[HeartRateSample], window_s: float = WINDOW_S,
                  every_s: float = EVERY_S) -> tuple[Alpha1Reading, ...]:
    """Readings over a recorded session, as the live tracker would have produced them."""
    tracker = Alpha1Tracker(window_s=window_s, every_s=every_s)
    readings = (tracker.add(s.t_s, s.rr_ms) for s in samples)
    return tuple(r for r in readings if r is not None)
