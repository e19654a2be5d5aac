"""Figures the store computes itself: TRIMP, and a summary for sessions that never finished.

The engine's own summary (``zonetrainer.core.summary``) is preferred when it is installed; the
fallback here counts each sample's time until the next one, so a finished session's figures
may differ slightly from the engine's live counting.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
from collections.abc import Callable, Sequence
from typing import Final

from zonetrainer.core.model import (
    Band,
    HeartRateSample,
    IntervalRecord,
    SessionSummary,
    ZoneTable,
)

log = logging.getLogger(__name__)

#: A gap between samples longer than this is signal loss, not time at the last heart rate.
#: 5 s: a strap notifies about once a second; the engine treats several missed beats as lost.
MAX_SAMPLE_GAP_S: Final = 5.0

#: Banister's TRIMP weighting, y = a * exp(b * HRr): men a=0.64, b=1.92; women a=0.86, b=1.67.
#: Source: Banister E.W. (1991), "Modeling elite athletic performance", in Physiological Testing
#: of the High-Performance Athlete, Human Kinetics, pp. 403-424.
TRIMP_WEIGHTS: Final = {"male": (0.64, 1.92), "female": (0.86, 1.67)}


def _durations(samples: Sequence[HeartRateSample]) -> list[float]:
    out = []
    for a, b in itertools.pairwise(samples):
        out.append(min(max(b.t_s - a.t_s, 0.0), MAX_SAMPLE_GAP_S))
    if samples:
        out.append(0.0)  # the last sample has no known end
    return out


def trimp(samples: Sequence[HeartRateSample], rest_hr_bpm: float | None, hrmax_bpm: float,
          sex: str = "male") -> float | None:
    """Banister (1991) TRIMP, summed sample by sample: sum(dt_min * HRr * a * exp(b * HRr)).

    Summing over samples rather than using the session's mean HR follows Morton, Fitz-Clarke &
    Banister (1990, J Appl Physiol 69:1171). None without a resting HR: HRr needs it.
    """
    if rest_hr_bpm is None or hrmax_bpm <= rest_hr_bpm:
        return None
    a, b = TRIMP_WEIGHTS.get(sex, TRIMP_WEIGHTS["male"])
    total = 0.0
    for sample, dt_s in zip(samples, _durations(samples), strict=True):
        if sample.hr_bpm is None or dt_s <= 0:
            continue
        hrr = min(max((sample.hr_bpm - rest_hr_bpm) / (hrmax_bpm - rest_hr_bpm), 0.0), 1.0)
        total += dt_s / 60.0 * hrr * a * math.exp(b * hrr)
    return total


def trimp_from_profile(samples: Sequence[HeartRateSample], profile_json: str,
                       hrmax_bpm: float) -> float | None:
    """TRIMP with the resting HR (``rest_hr_bpm``) and ``sex`` of the profile snapshot."""
    try:
        profile = json.loads(profile_json)
    except ValueError:
        return None
    if not isinstance(profile, dict):
        return None
    rest = profile.get("rest_hr_bpm")
    sex = str(profile.get("sex", "male")).lower()
    sex = "female" if sex in ("f", "female", "w", "woman") else "male"
    return trimp(samples, float(rest) if isinstance(rest, int | float) else None, hrmax_bpm, sex)


def fallback_summary(samples: Sequence[HeartRateSample], intervals: Sequence[IntervalRecord],
                     band: Band, zones: ZoneTable) -> SessionSummary:
    """A summary from what was recorded, for sessions the engine never finished."""
    in_band = 0.0
    live_since_entry = 0.0
    entered = False
    per_zone = [0.0] * 5
    hrs = [s.hr_bpm for s in samples if s.hr_bpm is not None]
    for sample, dt_s in zip(samples, _durations(samples), strict=True):
        if sample.hr_bpm is None:
            continue
        per_zone[zones.zone_of(sample.hr_bpm) - 1] += dt_s
        if band.contains(sample.hr_bpm):
            entered = True
            in_band += dt_s
        if entered:
            live_since_entry += dt_s
    ends = [s.t_s for s in samples] + [i.end_s for i in intervals]
    return SessionSummary(
        duration_s=max(ends, default=0.0),
        time_in_band_s=in_band,
        band_share=in_band / live_since_entry if live_since_entry > 0 else 0.0,
        time_in_zone_s=(per_zone[0], per_zone[1], per_zone[2], per_zone[3], per_zone[4]),
        avg_hr_bpm=sum(hrs) / len(hrs) if hrs else None,
        max_hr_bpm=max(hrs) if hrs else None,
        sample_count=len(samples),
        work_intervals=sum(1 for i in intervals if i.kind == "work"),
        rest_intervals=sum(1 for i in intervals if i.kind == "rest"),
    )


SummaryFn = Callable[[Sequence[HeartRateSample], Sequence[IntervalRecord], Band, ZoneTable],
                     SessionSummary]


def summary_function() -> SummaryFn:
    """How an interrupted session's summary is recomputed."""
    # TODO(store): switch to the engine's zonetrainer.core.summary once it lands.
    return fallback_summary
