"""The simulated athlete, for demos, tests and the benchmarks: physiology, beats, strap faults.

Public face: :class:`Athlete` (``_athlete``), its :class:`AthleteParams` and a varied
:func:`random_cohort` (``_params``). Insides: ``_rr`` (beat-by-beat RR whose DFA alpha1 follows
intensity), ``_effort`` (a machine's speed or power to the heart rate it
would reach) and ``_faults`` (the strap's gaps, spikes and contact losses). Not to be confused
with the user's athlete profile (:mod:`zonetrainer.core.profile`); the simulated strap that
streams this athlete is a ``HeartRateSource`` in :mod:`zonetrainer.core.sources.simulated`.
"""

from zonetrainer.core.sim._athlete import Athlete
from zonetrainer.core.sim._effort import (
    EffortResponse,
    bike_response,
    random_response,
    treadmill_response,
)
from zonetrainer.core.sim._params import AthleteParams, random_cohort

__all__ = [
    "Athlete",
    "AthleteParams",
    "EffortResponse",
    "bike_response",
    "random_cohort",
    "random_response",
    "treadmill_response",
]
