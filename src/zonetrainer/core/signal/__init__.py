"""The heart's signal: bytes to samples, RR cleaning, DFA alpha1, drift, and the counting rule.

Public face of the package. Insides: ``_hrm`` (the 0x2A37 Heart Rate Measurement and the strap's
other characteristics), ``_artifacts`` (RR cleaning after Lipponen and Tarvainen 2019), ``_dfa``
(DFA alpha1), ``_drift`` (per-interval drift and recovery figures), ``_summary`` (the one rule by
which a session's figures count readings) and ``_plausible`` (what a heart can do, shared with the
control loop's filter).
"""

from zonetrainer.core.signal._artifacts import (
    clean_rr,
    detect_artifacts,
)
from zonetrainer.core.signal._dfa import (
    MAX_CORRECTED_SHARE,
    Alpha1Tracker,
    DFAError,
    alpha1_series,
    dfa_alpha,
)
from zonetrainer.core.signal._drift import (
    DRIFT_METHOD,
    FIGURES_WIDTH,
    RECOVERY_METHOD,
    SHORTEST_DRIFT_S,
    IntervalFigures,
    SessionFigures,
    describe,
    interval_figures,
    record_figures,
    record_session_figures,
)
from zonetrainer.core.signal._hrm import (
    BATTERY_LEVEL_UUID,
    BODY_SENSOR_LOCATION_UUID,
    HR_MEASUREMENT_UUID,
    HR_SERVICE_UUID,
    MalformedMeasurement,
    battery_pct,
    body_location,
    parse,
)
from zonetrainer.core.signal._plausible import (
    MAX_RATE_BPM_PER_S,
    MAX_VALID_BPM,
    MIN_VALID_BPM,
    SPIKE_CONFIRM_S,
    SPIKE_GATE_BPM,
)
from zonetrainer.core.signal._summary import (
    LOST_AFTER_S,
    LiveCounter,
    live_hr,
    mean_hr_bpm,
    summarize,
)

__all__ = [
    "BATTERY_LEVEL_UUID",
    "BODY_SENSOR_LOCATION_UUID",
    "DRIFT_METHOD",
    "FIGURES_WIDTH",
    "HR_MEASUREMENT_UUID",
    "HR_SERVICE_UUID",
    "LOST_AFTER_S",
    "MAX_CORRECTED_SHARE",
    "MAX_RATE_BPM_PER_S",
    "MAX_VALID_BPM",
    "MIN_VALID_BPM",
    "RECOVERY_METHOD",
    "SHORTEST_DRIFT_S",
    "SPIKE_CONFIRM_S",
    "SPIKE_GATE_BPM",
    "Alpha1Tracker",
    "DFAError",
    "IntervalFigures",
    "LiveCounter",
    "MalformedMeasurement",
    "SessionFigures",
    "alpha1_series",
    "battery_pct",
    "body_location",
    "clean_rr",
    "describe",
    "detect_artifacts",
    "dfa_alpha",
    "interval_figures",
    "live_hr",
    "mean_hr_bpm",
    "parse",
    "record_figures",
    "record_session_figures",
    "summarize",
]
