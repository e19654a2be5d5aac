"""The aerobic threshold from a ramp: the heart rate at which DFA alpha1 falls through 0.75.

Rogers et al. 2021 (Front Physiol 11:596567) found alpha1 = 0.75 at the first ventilatory
threshold (HR within a few bpm, with a wide spread between people); Gronwald et al. 2020
describe the fall of alpha1 with intensity. They fitted alpha1 against HR with a line over
the ramp. Here the line is a Theil-Sen fit (the median of pairwise slopes: one wild window
cannot move it), refitted within +/- 15 bpm of the first crossing because alpha1 levels off
well below the threshold. The uncertainty is the SD of the crossing over a residual block
bootstrap (overlapping windows are not independent). When the data cannot support an
estimate the result says why in plain words and carries no number.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from zonetrainer.core import zones
from zonetrainer.core.model import Alpha1Reading, Band, HeartRateSample, SessionRecord
from zonetrainer.core.plan import Plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.ramp import EXTRA_KEY as COURSE_KEY
from zonetrainer.core.ramp import RampCourse, course_of_record
from zonetrainer.core.signal import alpha1_series

#: alpha1 at the aerobic (first ventilatory) threshold: Rogers et al. 2021.
ALPHA1_AT_AET: Final = 0.75
#: Fewer usable readings than this (two minutes of 20-s readings) cannot carry a fit.
MIN_READINGS: Final = 6
#: Readings needed on each side of 0.75, so the crossing is bracketed, not extrapolated.
MIN_EACH_SIDE: Final = 2
#: The refit keeps readings within this many bpm of the first crossing.
LOCAL_SPAN_BPM: Final = 15.0
#: Below this R^2 (of the local fit) the line explains too little to trust its crossing.
MIN_R2: Final = 0.3
#: A bootstrap SD above this says the data do not pin the crossing down.
MAX_UNCERTAINTY_BPM: Final = 8.0
BOOTSTRAP_RESAMPLES: Final = 300
#: Readings per bootstrap block: one 2-minute window's worth at a reading every 20 s.
BLOCK_READINGS: Final = 6
METHOD: Final = ("Theil-Sen fit of DFA alpha1 against heart rate, crossing of alpha1 = 0.75 "
                 "(Rogers et al. 2021)")
#: The key a ramp's result is stored under in SessionRecord.extra.
EXTRA_KEY: Final = "aerobic_threshold"
#: The least uncertainty a ramp's threshold is given, in bpm: the bootstrap SD alone
#: understates the error (on the simulated athletes its mean was 1.5 bpm against an observed
#: SD of 1.9-2.2 bpm and a worst error of 6.3 bpm: README, benchmarks/ramp_accuracy.py), and
#: the ramp's steps and the threshold's day-to-day variation leave no less.
MIN_UNCERTAINTY_BPM: Final = 3.0


@dataclass(frozen=True, slots=True)
class ThresholdResult:
    """A ramp's aerobic-threshold estimate, or the plain reason why there is none."""

    ok: bool
    statement: str
    aet_hr_bpm: float | None = None
    uncertainty_bpm: float | None = None  # bootstrap SD of the crossing
    slope_per_bpm: float | None = None  # of alpha1 against HR in the local fit
    intercept: float | None = None
    r2: float | None = None
    residual_sd: float | None = None  # robust (1.4826 MAD) SD of alpha1 around the fit
    outliers: int = 0  # readings beyond 3 robust SD, left out of R^2
    readings_used: int = 0
    readings_usable: int = 0
    readings_total: int = 0
    hr_range_bpm: tuple[float, float] | None = None
    method: str = METHOD
    #: How the ramp was cut short, in plain words (RampCourse.describe); "" when it ran as
    #: planned or when that is not known.
    cut_short: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ThresholdResult:
        data: dict[str, Any] = json.loads(text)
        if data.get("hr_range_bpm") is not None:
            data["hr_range_bpm"] = tuple(data["hr_range_bpm"])
        return cls(**data)

    def band(self) -> Band:
        """The fat-oxidative band [AeT - 10, AeT] this result supports (DESIGN.md, item 1)."""
        if not self.ok or self.aet_hr_bpm is None:
            raise ValueError(f"no threshold to set a band from: {self.statement}")
        aet = round(self.aet_hr_bpm)
        return zones.band_aet(aet, f"ramp test: {self.statement}", ramp_uncertainty(self))


def ramp_uncertainty(result: ThresholdResult) -> float:
    """The uncertainty of a ramp's threshold, the one figure the result states and the band
    gets: its bootstrap SD, at least MIN_UNCERTAINTY_BPM."""
    return round(max(result.uncertainty_bpm or 0.0, MIN_UNCERTAINTY_BPM), 1)


def uncertainty_words(result: ThresholdResult, plus_minus: str = "±") -> str:
    """That uncertainty with what it is, e.g. "± 4 bpm (bootstrap SD)", or
    "± 3 bpm (bootstrap SD 1.6, at least 3)"; "" without an estimate."""
    if not result.ok or result.uncertainty_bpm is None:
        return ""
    spread = ramp_uncertainty(result)
    meaning = ("bootstrap SD" if result.uncertainty_bpm >= MIN_UNCERTAINTY_BPM else
               f"bootstrap SD {result.uncertainty_bpm:.1f}, at least {MIN_UNCERTAINTY_BPM:.0f}")
    return f"{plus_minus} {spread:.0f} bpm ({meaning})"


def finding(result: ThresholdResult) -> str:
    """What the fit found, or why there is none, without a ± figure beside the one of
    :func:`uncertainty_words` (a result stored before it carried its own in the statement)."""
    if not result.ok or result.aet_hr_bpm is None or result.r2 is None:
        return result.statement
    return _found(result.aet_hr_bpm, result.readings_used, result.r2)


def _found(crossing: float, readings: int, r2: float) -> str:
    return (f"alpha1 crosses {ALPHA1_AT_AET} at {crossing:.0f} bpm ({readings} readings, "
            f"R^2 {r2:.2f})")


def theil_sen(x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[float, float]:
    """Median of pairwise slopes and the median intercept (Theil 1950; Sen 1968)."""
    i, j = np.triu_indices(x.size, k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    if not keep.any():
        return float("nan"), float("nan")
    slope = float(np.median((y[j] - y[i])[keep] / dx[keep]))
    return slope, float(np.median(y - slope * x))


def _local_fit(hr: NDArray[np.float64], a1: NDArray[np.float64]) -> tuple[float, float, float]:
    """Slope, intercept and crossing: a global fit, then a refit near its crossing."""
    slope, intercept = theil_sen(hr, a1)
    crossing = (ALPHA1_AT_AET - intercept) / slope if slope < 0 else float("nan")
    if np.isfinite(crossing):
        near = np.abs(hr - crossing) <= LOCAL_SPAN_BPM
        if near.sum() >= MIN_READINGS:
            local = theil_sen(hr[near], a1[near])
            if local[0] < 0:
                slope, intercept = local
                crossing = (ALPHA1_AT_AET - intercept) / slope
    return slope, intercept, crossing


def analyse_ramp(readings: Sequence[Alpha1Reading] = (),
                 samples: Sequence[HeartRateSample] = (), start_s: float = 0.0,
                 end_s: float | None = None, course: RampCourse | None = None) -> ThresholdResult:
    """Estimate the HR at alpha1 = 0.75 over a ramp.

    ``readings``: alpha1 readings as the live tracker made them; if there are none, they are
    computed from the RR in ``samples``. Only usable readings between ``start_s`` and
    ``end_s`` count, and none after the highest heart rate: alpha1 in the recovery after a
    ramp lags the falling heart rate and would bend the fit. ``course``: how the ramp went
    (None: not known); a ramp cut short is said so, and a refusal does not advise a harder
    ramp when the ramp simply stopped early.
    """
    result = _analyse(readings, samples, start_s, end_s,
                      course is not None and not course.ran_to_end)
    return replace(result, cut_short=course.meaning(result.ok)) if course else result


def _analyse(readings: Sequence[Alpha1Reading], samples: Sequence[HeartRateSample],
             start_s: float, end_s: float | None, stopped: bool) -> ThresholdResult:
    if not readings and samples:
        readings = alpha1_series(samples)
    total = len(readings)
    chosen = [r for r in readings if r.t_s >= start_s and (end_s is None or r.t_s <= end_s)]
    usable = [r for r in chosen if r.usable and np.isfinite(r.alpha1)]
    if usable:
        peak_t = max(usable, key=lambda r: r.hr_bpm).t_s
        usable = [r for r in usable if r.t_s <= peak_t]
    flagged = sum(1 for r in chosen if not r.usable)
    base = ThresholdResult(False, "", readings_usable=len(usable), readings_total=total)
    if len(usable) < MIN_READINGS:
        why = (f" ({flagged} had more than 5 % corrected beats or a signal gap)"
               if flagged else "")
        return replace(base, statement=(
            f"Only {len(usable)} usable alpha1 readings{why}; at least {MIN_READINGS} are "
            "needed. " + ("The test was cut short: a ramp needs most of its steps."
                          if stopped else "Was RR recorded, and did the ramp last long enough?")))
    hr = np.array([r.hr_bpm for r in usable])
    a1 = np.array([r.alpha1 for r in usable])
    hr_range = (round(float(hr.min()), 1), round(float(hr.max()), 1))
    base = replace(base, hr_range_bpm=hr_range)
    below, above = int(np.sum(a1 < ALPHA1_AT_AET)), int(np.sum(a1 > ALPHA1_AT_AET))
    if below < MIN_EACH_SIDE:
        # "never" only when none did: one reading below is not "never" (issue 16).
        said = (f"alpha1 never fell below {ALPHA1_AT_AET}" if below == 0 else
                f"only {below} reading{'s' if below != 1 else ''} of alpha1 fell below "
                f"{ALPHA1_AT_AET}, at least {MIN_EACH_SIDE} are needed")
        return replace(base, statement=(
            f"{said} (lowest {a1.min():.2f}, heart rate up to {hr.max():.0f} bpm): the ramp "
            f"{'stayed below' if below == 0 else 'barely reached'} the aerobic threshold. "
            + ("The test was cut short before it got higher: run the whole ramp."
               if stopped else "Ramp higher.")))
    if above < MIN_EACH_SIDE:
        said = (f"alpha1 was never above {ALPHA1_AT_AET}" if above == 0 else
                f"only {above} reading{'s' if above != 1 else ''} of alpha1 lay above "
                f"{ALPHA1_AT_AET}, at least {MIN_EACH_SIDE} are needed")
        return replace(base, statement=(
            f"{said} (highest {a1.max():.2f}, from {hr.min():.0f} bpm): the ramp started "
            f"{'above' if above == 0 else 'close to'} the aerobic threshold. Start easier."))
    slope, intercept, crossing = _local_fit(hr, a1)
    if not slope < 0:
        return replace(base, statement=(
            "alpha1 does not fall as heart rate rises in this ramp, so it shows no threshold."))
    near = np.abs(hr - crossing) <= LOCAL_SPAN_BPM
    if near.sum() < MIN_READINGS:
        near = np.ones_like(hr, dtype=bool)
    residual = a1[near] - (intercept + slope * hr[near])
    # R^2 without the wild windows (beyond 3 robust SD) the robust fit already ignored, so
    # that quality describes the bulk of the data; the count of those left out is kept.
    robust_sd = 1.4826 * float(np.median(np.abs(residual - np.median(residual))))
    inlier = (np.abs(residual) <= 3.0 * robust_sd if robust_sd > 0
              else np.ones_like(residual, dtype=bool))
    kept = a1[near][inlier]
    ss_tot = float(np.sum((kept - kept.mean()) ** 2))
    r2 = 1.0 - float(np.sum(residual[inlier] ** 2)) / ss_tot if ss_tot > 0 else 0.0
    spread = _bootstrap_sd(hr[near], a1[near], slope, intercept)
    base = replace(base, slope_per_bpm=round(slope, 5), intercept=round(intercept, 4),
                   r2=round(r2, 3), residual_sd=round(robust_sd, 4),
                   outliers=int(np.sum(~inlier)), readings_used=int(near.sum()))
    if not hr.min() <= crossing <= hr.max():
        return replace(base, statement=(
            f"The fitted crossing ({crossing:.0f} bpm) lies outside the heart rates of the "
            f"ramp ({hr_range[0]:.0f}-{hr_range[1]:.0f} bpm): no estimate."))
    if r2 < MIN_R2:
        return replace(base, statement=(
            f"alpha1 scatters too much around the fit (R^2 {r2:.2f}, below {MIN_R2}): no "
            "reliable estimate."))
    if not spread <= MAX_UNCERTAINTY_BPM:
        return replace(base, statement=(
            f"The crossing is too uncertain (+/- {spread:.0f} bpm over resamples; at most "
            f"{MAX_UNCERTAINTY_BPM:.0f}): no reliable estimate."))
    # No +/- in the statement: the result states one uncertainty (uncertainty_words), the
    # band's, and a second figure beside it would contradict it.
    return replace(base, ok=True, aet_hr_bpm=round(float(crossing), 1),
                   uncertainty_bpm=round(spread, 1),
                   statement=_found(float(crossing), int(near.sum()), r2))


def _bootstrap_sd(hr: NDArray[np.float64], a1: NDArray[np.float64], slope: float,
                  intercept: float) -> float:
    """SD of the crossing over a residual block bootstrap (seeded: same data, same SD).

    The heart rates stay as they were; the residuals around the fit, in time order, are
    resampled in blocks of BLOCK_READINGS, added back to the line and the line refitted.
    Readings 20 s apart over 2-minute windows share most of their beats: resampling single
    readings would treat them as independent and understate the uncertainty several-fold."""
    rng = np.random.default_rng(0)
    fitted = intercept + slope * hr
    residual = a1 - fitted
    block = min(BLOCK_READINGS, hr.size)
    starts = rng.integers(0, hr.size - block + 1, (BOOTSTRAP_RESAMPLES, -(-hr.size // block)))
    crossings = []
    for row in starts:
        pick = (row[:, None] + np.arange(block)).ravel()[:hr.size]
        b, a = theil_sen(hr, fitted + residual[pick])
        if b < 0:
            crossings.append((ALPHA1_AT_AET - a) / b)
    if len(crossings) < BOOTSTRAP_RESAMPLES // 2:
        return float("inf")
    return float(np.std(crossings))


def analyse_record(record: SessionRecord) -> ThresholdResult:
    """The threshold of a stored session: its stored readings, or recomputed from its RR; how
    its ramp went as stored with it (:func:`zonetrainer.core.ramp.course_of_record`)."""
    return analyse_ramp(record.alpha1, record.samples, course=course_of_record(record))


def with_course(result: ThresholdResult, record: SessionRecord) -> ThresholdResult:
    """``result`` as stored with ``record``, saying whether its ramp was cut short: a result
    stored before ramps recorded how they went learns it from the record
    (:func:`zonetrainer.core.ramp.course_of_record`)."""
    if result.cut_short:
        return result
    course = course_of_record(record)
    return result if course is None else replace(result, cut_short=course.meaning(result.ok))


def ramp_extras(plan: Plan, readings: Sequence[Alpha1Reading],
                course: RampCourse | None = None) -> dict[str, str]:
    """What to store with a finished session (``Recorder.finish(..., extra=...)``): when the
    plan has a ramp block, the threshold result under EXTRA_KEY and how the ramp went
    (``course``, if known) under ``ramp.EXTRA_KEY``; else nothing."""
    if not any(block.kind == "ramp" for block in plan.blocks):
        return {}
    extras = {EXTRA_KEY: analyse_ramp(readings, course=course).to_json()}
    if course is not None:
        extras[COURSE_KEY] = course.to_json()
    return extras


def profile_with_threshold(profile: Profile, result: ThresholdResult, where: str) -> Profile:
    """``profile`` with its aerobic threshold (and so its band, [AeT - 10, AeT]) set from a
    ramp result; ``where`` names the session, e.g. "ramp session 12". Raises ValueError when
    the result carries no threshold, ProfileError when it does not fit the profile."""
    if not result.ok or result.aet_hr_bpm is None:
        raise ValueError(f"no threshold to apply: {result.statement}")
    return replace(profile, aet_bpm=float(round(result.aet_hr_bpm)), band_method="aet_dfa",
                   aet_uncertainty_bpm=ramp_uncertainty(result),
                   aet_source=f"{where}: {result.statement}; alpha1 = 0.75 (Rogers et al. 2021)")
