"""TRIMP, and the summary of sessions the engine never finished.

Both count time with the engine's rule (``zonetrainer.core.signal``): a usable reading counts
until the next one, at most ``LOST_AFTER_S``; a reading without a usable HR counts nothing. So
the stored figures of an interrupted session are the ones the athlete saw.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from typing import Final

from zonetrainer.core.model import HeartRateSample
from zonetrainer.core.signal import LOST_AFTER_S, live_hr
from zonetrainer.core.signal import summarize as summarize

#: Banister's TRIMP weighting, y = a * exp(b * HRr): men a=0.64, b=1.92; women a=0.86, b=1.67.
#: Source: Banister E.W. (1991), "Modeling elite athletic performance", in Physiological Testing
#: of the High-Performance Athlete, Human Kinetics, pp. 403-424.
TRIMP_WEIGHTS: Final = {"male": (0.64, 1.92), "female": (0.86, 1.67)}


def trimp(samples: Sequence[HeartRateSample], rest_hr_bpm: float | None, hrmax_bpm: float,
          sex: str = "male") -> float | None:
    """Banister (1991) TRIMP, summed sample by sample: sum(dt_min * HRr * a * exp(b * HRr)).

    Summing over samples rather than using the session's mean HR follows Morton, Fitz-Clarke &
    Banister (1990, J Appl Physiol 69:1171). None without a resting HR: HRr needs it. The
    male weighting is used unless the profile says otherwise (the profile has no sex field yet).
    """
    if rest_hr_bpm is None or hrmax_bpm <= rest_hr_bpm:
        return None
    a, b = TRIMP_WEIGHTS.get(sex, TRIMP_WEIGHTS["male"])
    total = 0.0
    for sample, nxt in itertools.pairwise(sorted(samples, key=lambda s: s.t_s)):
        hr = live_hr(sample)
        if hr is None:
            continue
        dt_s = min(max(nxt.t_s - sample.t_s, 0.0), LOST_AFTER_S)
        hrr = min(max((hr - rest_hr_bpm) / (hrmax_bpm - rest_hr_bpm), 0.0), 1.0)
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
