"""RR-interval cleaning: detect missed, extra and ectopic beats and correct them.

The detector follows Lipponen and Tarvainen (2019), "A robust algorithm for heart rate
variability time series artefact correction using novel beat classification", J Med Eng
Technol 43:173-181 (the method behind Kubios' automatic correction). Each beat is placed in
two subspaces built from the successive differences ``dRR`` and the deviation from an
11-beat median ``mRR``, both divided by a time-varying threshold (5.2 quartile deviations
over 91 beats, which covers about 99.95 % of normal beats):

* ectopic: a short-long or long-short pair (subspace S11/S12 with c1 = 0.13, c2 = 0.17);
* missed: a long interval close to a whole multiple (2, 3, ...) of the local median;
* extra: a short interval that, added to the next one, matches the local median;
* long/short: any other interval far from its neighbours and the local median.

Corrections work on the RR series (not on peak positions) and keep the total time where the
artefact allows it: an extra beat merges two intervals into one; a missed beat splits one
interval into equal parts; an ectopic pair is replaced by two copies of its mean; a lone
long/short interval is replaced by the local median. Values that no heart can produce
(outside 100-3000 ms) are removed before detection and counted as corrected; a too-short
one is added to the next interval so that the beat timing is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Threshold multiplier, quartile-deviation window (beats), median window (beats) and the
#: ectopic boundary of the S11/S12 subspace: the values of Lipponen and Tarvainen (2019).
ALPHA: Final = 5.2
QD_WINDOW_BEATS: Final = 91
MEDIAN_WINDOW_BEATS: Final = 11
C1: Final = 0.13
C2: Final = 0.17

#: The 91-beat quartiles move little from one beat to the next: computed every 4 beats.
THRESHOLD_STRIDE_BEATS: Final = 4

#: A floor for the adaptive thresholds. RR from a chest strap is quantised to 1/1024 s and
#: RMSSD during exercise can be as low as 3-6 ms, so a run of identical intervals would give
#: a zero quartile deviation and flag every later wobble; 1/1024 s cannot be resolved anyway.
MIN_THRESHOLD_MS: Final = 1000.0 / 1024.0

#: RR outside this range cannot come from a human heart (20-600 bpm): treated as corrupt.
#: The low bound is well under any real interval so that an extra beat of 150-250 ms reaches
#: the detector, which corrects it better than dropping would.
RR_PLAUSIBLE_MS: Final = (100.0, 3000.0)


@dataclass(frozen=True, slots=True)
class Artifacts:
    """Indices (into the input series) of intervals found to be artefacts, by kind."""

    ectopic: tuple[int, ...] = ()
    missed: tuple[int, ...] = ()
    extra: tuple[int, ...] = ()
    longshort: tuple[int, ...] = ()
    implausible: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return (len(self.ectopic) + len(self.missed) + len(self.extra) + len(self.longshort)
                + len(self.implausible))

    def indices(self) -> tuple[int, ...]:
        return tuple(sorted({*self.ectopic, *self.missed, *self.extra, *self.longshort,
                             *self.implausible}))


@dataclass(frozen=True, slots=True)
class CleanRR:
    """A corrected RR series. ``origin[k]`` is the input index that corrected interval k
    came from, so a caller can tell which corrected intervals fall in a time window."""

    rr_ms: NDArray[np.float64]
    origin: NDArray[np.int64]
    artifacts: Artifacts
    input_beats: int

    @property
    def corrected_share(self) -> float:
        """Share of input intervals that were corrected, 0..1."""
        return self.artifacts.count / self.input_beats if self.input_beats else 0.0


def _rolling_median(values: NDArray[np.float64], width: int) -> NDArray[np.float64]:
    """Centred median over ``width`` (odd) values; the window shrinks at both ends.

    To the bit what ``np.median`` gives on each window (tests/signal/test_artifacts_exact.py
    compares with it): the middle value of the sorted window, or the mean of the middle two
    of an even-sized one (only in the shrunken windows at the ends), without numpy's cost of
    one call per end window."""
    half = width // 2
    if values.size < width:
        listed = values.tolist()
        return np.array([_median_of(listed[max(0, i - half):i + half + 1])
                         for i in range(values.size)])
    inner = np.sort(_windows(values, width), axis=1)[:, half]
    listed = values[:width].tolist()
    head = [_median_of(listed[:i + half + 1]) for i in range(half)]
    listed = values[values.size - width:].tolist()
    tail = [_median_of(listed[j + 1:]) for j in range(half)]
    return np.concatenate([head, inner, tail])


def _windows(values: NDArray[np.float64], width: int) -> NDArray[np.float64]:
    """``sliding_window_view(values, width)`` (a read-only view) without its checks' cost."""
    step = values.strides[0]
    return np.lib.stride_tricks.as_strided(values, (values.size - width + 1, width),
                                           (step, step), writeable=False)


def _median_of(values: list[float]) -> float:
    """``np.median`` of a few finite floats, in plain Python: the same value to the bit (the
    middle one, or the two middle ones' sum halved, as ``np.mean`` of two values does)."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2.0


def _quartiles(windows: NDArray[np.float64]) -> tuple[NDArray[np.float64],
                                                       NDArray[np.float64]]:
    """``np.quantile(windows, [0.25, 0.75], axis=1)`` (the default "linear" method), to the
    bit, from one sort of the rows: numpy's virtual index ``n q + (1 - q) - 1`` and its
    interpolation ``a + (b - a) g``, or ``b - (b - a) (1 - g)`` when ``g >= 0.5``. (numpy's
    ``alpha + q (1 - alpha - beta)`` with alpha = beta = 1 is ``1 - q`` exactly.)"""
    n = windows.shape[1]
    ordered = np.sort(windows, axis=1)
    out = []
    for q in (0.25, 0.75):
        index = n * q + (1.0 - q) - 1.0
        low = math.floor(index)
        gamma = index - low
        a = ordered[:, low]
        b = ordered[:, min(low + 1, n - 1)]
        diff = b - a
        out.append(b - diff * (1.0 - gamma) if gamma >= 0.5 else a + diff * gamma)
    return out[0], out[1]


def _threshold(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """ALPHA quartile deviations of ``values`` over a centred QD_WINDOW_BEATS window.

    The quartiles are of the signed values: for Gaussian differences 5.2 QD is then 3.5 SD,
    the paper's "99.95 % of normal beats". (Quartiles of the absolute values, as some ports
    do, give 2.2 SD and flag about 3 % of clean beats as candidates.) Within half a window of
    either end the nearest full window's threshold is used, and the quartiles are taken every
    THRESHOLD_STRIDE_BEATS beats: both keep this cheap enough to run every few seconds live.
    """
    if values.size <= QD_WINDOW_BEATS:
        q1, q3 = np.quantile(values, [0.25, 0.75])
        return np.full(values.size, max(ALPHA * (q3 - q1) / 2.0, MIN_THRESHOLD_MS))
    windows = _windows(values, QD_WINDOW_BEATS)
    count = windows.shape[0]
    q1, q3 = _quartiles(windows[::THRESHOLD_STRIDE_BEATS])
    inner = np.repeat(np.maximum(ALPHA * (q3 - q1) / 2.0, MIN_THRESHOLD_MS),
                      THRESHOLD_STRIDE_BEATS)[:count]
    half = QD_WINDOW_BEATS // 2
    return np.concatenate([np.full(half, inner[0]), inner, np.full(half, inner[-1])])


def _subspaces(rr: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    """dRR and mRR normalised by their thresholds, S12, S22, the local median and Th2."""
    drr = np.diff(rr, prepend=rr[0])
    drr[0] = drr[1:].mean() if drr.size > 1 else 0.0
    drr_n = drr / _threshold(drr)
    width = min(MEDIAN_WINDOW_BEATS, 2 * (rr.size // 2) + 1)
    med = _rolling_median(rr, width)
    mrr = rr - med
    mrr[mrr < 0] *= 2.0  # the paper weights short deviations double (extra beats are rarer)
    th2 = _threshold(mrr)
    mrr_n = mrr / th2
    # np.pad(drr_n, 2, mode="reflect"), by hand (a tenth of its cost)
    pad = np.concatenate((drr_n[2:0:-1], drr_n, drr_n[-2:-4:-1]))
    prev, nxt, nxt2 = pad[1:-3], pad[3:-1], pad[4:]
    s12 = np.where(drr_n > 0, np.maximum(prev, nxt),
                   np.where(drr_n < 0, np.minimum(prev, nxt), 0.0))
    s22 = np.where(drr_n >= 0, np.minimum(nxt, nxt2), np.maximum(nxt, nxt2))
    return drr_n, mrr_n, s12, s22, med, th2


def detect_artifacts(rr_ms: ArrayLike) -> Artifacts:
    """Classify each interval of a plausible RR series (Lipponen and Tarvainen 2019, Fig. 1).

    Ectopic beats are found first, over the whole series: the partner of an ectopic interval
    (the short one before a compensatory long one, or the long one before a short one) would
    otherwise be flagged a second time as a long/short beat. An ectopic index ``i`` names the
    pair ``(i - 1, i)``.
    """
    rr = np.asarray(rr_ms, dtype=np.float64)
    if rr.size < 4:
        return Artifacts()
    drr, mrr, s12, s22, med, th2 = _subspaces(rr)
    is_ectopic = ((drr > 1) & (s12 < -C1 * drr - C2)) | ((drr < -1) & (s12 > -C1 * drr + C2))
    is_ectopic[0] = False  # a pair needs an interval before it
    # ... and the last one needs a beat after it: there the reflected padding mirrors the
    # long interval before, so a missed beat and the normal beat after it (926, 461 ms) look
    # like a premature/compensatory pair and would be evened out instead of split.
    is_ectopic[-1] = False
    ectopic = [int(i) for i in np.flatnonzero(is_ectopic)]
    flagged: set[int] = {*ectopic, *(i - 1 for i in ectopic)}
    missed: list[int] = []
    extra: list[int] = []
    longshort: list[int] = []
    for i in (int(k) for k in np.flatnonzero(np.abs(drr) > 1.0)):
        candidates = [i]
        if i + 2 < rr.size and abs(drr[i + 1]) < abs(drr[i + 2]):
            candidates.append(i + 1)
        for j in candidates:
            if j in flagged:
                continue
            long_beat = drr[j] > 1 and s22[j] < -1
            short_beat = drr[j] < -1 and s22[j] > 1
            if not (long_beat or short_beat or abs(mrr[j]) > 3):
                continue
            if short_beat and j + 1 < rr.size and abs(rr[j] + rr[j + 1] - med[j]) < th2[j]:
                extra.append(j)
                flagged.update((j, j + 1))
            elif long_beat and _whole_beats(rr[j], med[j], th2[j]) >= 2:
                missed.append(j)
                flagged.add(j)
            else:
                longshort.append(j)
                flagged.add(j)
    return Artifacts(tuple(ectopic), tuple(missed), tuple(extra), tuple(longshort))


def _whole_beats(rr: float, median: float, th2: float) -> int:
    """How many median beats the interval ``rr`` holds when it splits into equal parts within
    Th2 of the median (2: one missed beat, 3: two missed, ...); 0 when it does not split."""
    parts = round(rr / median) if median > 0 else 0
    return parts if parts >= 2 and abs(rr / parts - median) < th2 else 0


def clean_rr(rr_ms: ArrayLike) -> CleanRR:
    """Drop implausible values, detect artefacts and correct them (see the module docstring)."""
    raw = np.asarray(rr_ms, dtype=np.float64).ravel()
    rr, keep, implausible = _drop_implausible(raw)
    found = detect_artifacts(rr)
    if found.count == 0:
        return CleanRR(rr, keep, Artifacts(implausible=implausible), int(raw.size))
    # Intervals between the artefacts are copied a run at a time; each artefact is corrected
    # on its own, in order (a merge consumes the interval after it).
    out_rr: list[NDArray[np.float64]] = []
    out_origin: list[NDArray[np.int64]] = []
    pair_starts = {i - 1 for i in found.ectopic}  # pair (i-1, i): both become their mean
    missed, extra, longshort = set(found.missed), set(found.extra), set(found.longshort)
    size = rr.size
    done = 0  # intervals before this one are in the output (or merged into it)
    for k in sorted(missed | extra | longshort | pair_starts):
        if k < done:  # merged into the interval before
            continue
        out_rr.append(rr[done:k])
        out_origin.append(keep[done:k])
        done = k + 1
        origin = int(keep[k])
        if k in extra and k + 1 < size:
            out_rr.append(np.array([rr[k] + rr[k + 1]]))
            out_origin.append(np.array([origin], dtype=np.int64))
            done = k + 2
        elif k in missed:
            parts = max(2, round(rr[k] / _local_median(rr, k)))
            out_rr.append(np.full(parts, rr[k] / parts))
            out_origin.append(np.full(parts, origin, dtype=np.int64))
        elif k in pair_starts and k + 1 < size:
            mean = (rr[k] + rr[k + 1]) / 2.0
            out_rr.append(np.array([mean, mean]))
            out_origin.append(np.array([origin, keep[k + 1]], dtype=np.int64))
            done = k + 2
        elif k in longshort:
            out_rr.append(np.array([_local_median(rr, k)]))
            out_origin.append(np.array([origin], dtype=np.int64))
        else:
            out_rr.append(rr[k:k + 1])
            out_origin.append(keep[k:k + 1])
    out_rr.append(rr[done:])
    out_origin.append(keep[done:])
    mapped = Artifacts(ectopic=tuple(int(keep[i]) for i in found.ectopic),
                       missed=tuple(int(keep[i]) for i in found.missed),
                       extra=tuple(int(keep[i]) for i in found.extra),
                       longshort=tuple(int(keep[i]) for i in found.longshort),
                       implausible=implausible)
    return CleanRR(np.concatenate(out_rr).astype(np.float64, copy=False),
                   np.concatenate(out_origin).astype(np.int64, copy=False), mapped,
                   int(raw.size))


def _drop_implausible(raw: NDArray[np.float64]) -> tuple[NDArray[np.float64],
                                                         NDArray[np.int64], tuple[int, ...]]:
    """Remove values no heart produces; a too-short one is added to the next interval, so
    a double trigger of the strap keeps the beat timing (the time is not lost)."""
    low, high = RR_PLAUSIBLE_MS
    if np.all((raw >= low) & (raw <= high)):  # the usual case, without a Python loop
        return raw.copy(), np.arange(raw.size, dtype=np.int64), ()
    values: list[float] = []
    keep: list[int] = []
    bad: list[int] = []
    carry = 0.0
    for i, value in enumerate(raw):
        if not np.isfinite(value) or value <= 0 or value > high:
            bad.append(i)
            carry = 0.0
        elif value + carry < low:
            bad.append(i)
            carry += value
        else:
            values.append(value + carry)
            keep.append(i)
            carry = 0.0
    return (np.asarray(values, dtype=np.float64), np.asarray(keep, dtype=np.int64),
            tuple(bad))


def _local_median(rr: NDArray[np.float64], k: int) -> float:
    """Median of the neighbours of interval k (itself excluded), over the 11-beat window."""
    half = MEDIAN_WINDOW_BEATS // 2
    around = rr[max(0, k - half):k].tolist() + rr[k + 1:k + 1 + half].tolist()
    return _median_of(around) if around else float(rr[k])
