"""Frozen values that flow through zonetrainer, one direction only.

bytes -> :class:`HeartRateSample` -> engine -> :class:`SessionState` -> presenter -> widgets,
and engine -> :class:`RecordBatch` -> recorder -> database -> :class:`SessionRecord` -> exporters.

Every time is in seconds since the session started (``t_s``), measured by the injected clock;
every heart rate in beats per minute (``_bpm``); every RR interval in milliseconds (``_ms``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

#: What the athlete is asked to do. ``hold``: the controller makes no decision (signal lost);
#: the athlete keeps the current effort and the clock of the phase is frozen.
Phase = Literal["warmup", "work", "rest", "cooldown", "hold", "done"]

#: Kinds of recorded interval (a ``hold`` is an event, never an interval of its own).
IntervalKind = Literal["warmup", "work", "rest", "cooldown"]

#: State of the link to the strap, as shown to the athlete.
LinkState = Literal["connecting", "connected", "searching", "lost", "ended"]

#: The unit of an effort: a treadmill's belt speed or a trainer's, rower's or power meter's power.
EffortUnit = Literal["km/h", "W"]


@dataclass(frozen=True, slots=True)
class HeartRateSample:
    """One heart-rate reading, as a strap notification or a simulator produces it.

    ``hr_bpm`` is None when the reading carries no usable heart rate (sensor contact lost,
    0 bpm). ``contact`` is None when the sensor does not report contact at all.
    ``rr_ms`` holds every beat-to-beat interval that arrived with this reading (0..n).
    """

    t_s: float
    hr_bpm: float | None
    rr_ms: tuple[float, ...] = ()
    contact: bool | None = None
    energy_kj: int | None = None
    source_id: str = ""


@dataclass(frozen=True, slots=True)
class EffortSample:
    """One effort reading from a fitness machine (FTMS) or an effort sensor (a power meter, a
    footpod): what was measured at ``t_s`` and, for a controlled machine, what it was told.

    ``value`` is None when the reading carries no usable effort (belt stopped between
    notifications, no power field). ``target`` is the machine's current target in the same
    unit, None when nothing controls it.
    """

    t_s: float
    value: float | None
    unit: EffortUnit
    source_id: str = ""
    target: float | None = None
    incline_pct: float | None = None
    cadence_rpm: float | None = None


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """What is known of the strap behind a source, for the status line."""

    source_id: str
    link: LinkState
    name: str = ""
    battery_pct: int | None = None
    rssi_dbm: int | None = None
    body_location: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Band:
    """The fat-oxidative target band, with where it came from and how sure we are of it."""

    low_bpm: float
    high_bpm: float
    method: str  # e.g. "pct_hrmax", "karvonen", "maf", "aet_dfa", "lab", "custom"
    source: str  # the citation or the measurement behind the numbers
    uncertainty_bpm: float  # a typical error of the band edges (about one SD), in bpm

    def contains(self, hr_bpm: float) -> bool:
        """The one edge rule (as ZoneTable.zone_of): an edge belongs to the range above it, so
        a reading at the band's bottom is in the band and in the zone the band starts in."""
        return self.low_bpm <= hr_bpm < self.high_bpm


@dataclass(frozen=True, slots=True)
class ZoneTable:
    """Five heart-rate zones. ``upper_bpm[i]`` is the top of zone i+1; zone 5 ends at HRmax."""

    upper_bpm: tuple[float, float, float, float, float]
    hrmax_bpm: float
    source: str

    def zone_of(self, hr_bpm: float) -> int:
        """Zone 1..5 of a heart rate; zone 1 is open below, zone 5 above. An edge belongs to
        the zone above it (the rule of Band.contains)."""
        for index, top in enumerate(self.upper_bpm):
            if hr_bpm < top:
                return index + 1
        return 5


@dataclass(frozen=True, slots=True)
class Tempo:
    """Strength tempo in seconds: eccentric, pause at the bottom, concentric, pause at the top."""

    eccentric_s: float
    bottom_pause_s: float
    concentric_s: float
    top_pause_s: float

    @property
    def rep_s(self) -> float:
        return self.eccentric_s + self.bottom_pause_s + self.concentric_s + self.top_pause_s


@dataclass(frozen=True, slots=True)
class Exercise:
    name: str
    cue: str = ""
    tempo: Tempo | None = None


@dataclass(frozen=True, slots=True)
class IntervalRecord:
    """One interval as it happened: planned and actual length, and why it ended."""

    index: int
    kind: IntervalKind
    start_s: float
    end_s: float
    planned_s: float
    end_reason: str
    exercise: str | None = None
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    #: Mean measured effort and mean target over the interval, in ``effort_unit``; None
    #: without an effort source (or a target).
    avg_effort: float | None = None
    avg_target_effort: float | None = None
    effort_unit: EffortUnit | None = None
    #: Timer (moving) time of the interval: its length less the time the session was paused
    #: in it; None when not known (no pause recorded: the timer time is ``actual_s``).
    timer_s: float | None = None

    @property
    def actual_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class SessionEvent:
    """Something worth keeping that is not a sample: a drop, a reconnect, a cue, a pause."""

    t_s: float
    kind: str  # "signal_lost", "signal_back", "connected", "disconnected", "cue", "pause", ...
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Alpha1Reading:
    """DFA alpha1 over one RR window ending at ``t_s``.

    ``usable`` is False when more than 5 % of the window's beats were corrected: such a
    reading is shown greyed and never used for a decision.
    """

    t_s: float
    alpha1: float
    corrected_share: float  # 0..1, share of beats in the window that were corrected
    beats: int
    hr_bpm: float  # mean HR over the window
    usable: bool


@dataclass(frozen=True, slots=True)
class SessionState:
    """Everything the dashboard or the terminal shows at one moment. Produced by the engine."""

    elapsed_s: float
    phase: Phase
    phase_elapsed_s: float
    phase_remaining_s: float | None  # planned time left in the phase; None when open-ended
    next_phase: Phase | None
    block_index: int
    interval_index: int
    hr_bpm: float | None  # None whenever the signal is not live: never a stale number
    signal_live: bool
    zone: int | None
    in_band: bool | None
    band: Band
    session_duration_s: float
    cue: str | None = None  # "ease off", "pick it up", "rest now", ...
    #: How insistent the cue is: 0 a first cue (text), 1 repeated because it was not followed
    #: (text and tone), 2 escalated (text, tone and voice). 0 without a cue.
    cue_level: int = 0
    exercise: Exercise | None = None
    alpha1: float | None = None
    corrected_share: float | None = None
    time_in_band_s: float = 0.0
    time_in_zone_s: tuple[float, float, float, float, float] = (0.0, 0.0, 0.0, 0.0, 0.0)
    paused: bool = False
    safety_rest: bool = False
    ramp_step: int | None = None  # in a ramp block: 0, 1, 2, ... as effort steps up
    ramp_steps: int | None = None  # in a ramp block: its number of steps
    block_kind: str = ""  # the plan block's kind: warmup, intervals, steady, ramp, cooldown
    #: The effort measured now (None: no effort source, or its reading is not live) and what
    #: the loop wants the machine to run now (None: no effort lever), in ``effort_unit``.
    effort: float | None = None
    target_effort: float | None = None
    effort_unit: EffortUnit | None = None

    @property
    def done(self) -> bool:
        return self.phase == "done"


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """Figures of a whole session, computed from what was recorded."""

    duration_s: float
    time_in_band_s: float
    band_share: float  # time in band / time with a live signal, counted from the first entry
    time_in_zone_s: tuple[float, float, float, float, float]
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    sample_count: int
    work_intervals: int
    rest_intervals: int
    #: Timer (moving) time: ``duration_s`` (elapsed) less the time paused; None when not
    #: known. FIT keeps the two apart (total_timer_time, total_elapsed_time), so do we.
    timer_s: float | None = None


@dataclass(frozen=True, slots=True)
class SessionHeader:
    """What is known when a session starts."""

    started_at: datetime  # timezone-aware, UTC
    plan_name: str
    athlete_name: str
    band: Band
    zones: ZoneTable
    source_id: str
    profile_json: str = "{}"  # a snapshot of the profile used, as JSON
    sport: str = "generic"


@dataclass(frozen=True, slots=True)
class RecordBatch:
    """What the engine hands the recorder every few seconds: everything new since the last batch."""

    samples: tuple[HeartRateSample, ...] = ()
    intervals: tuple[IntervalRecord, ...] = ()
    events: tuple[SessionEvent, ...] = ()
    alpha1: tuple[Alpha1Reading, ...] = ()
    efforts: tuple[EffortSample, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A stored session, whole: what exporters and the history view read."""

    session_id: int
    header: SessionHeader
    samples: tuple[HeartRateSample, ...]
    intervals: tuple[IntervalRecord, ...]
    events: tuple[SessionEvent, ...]
    summary: SessionSummary | None  # None for a session that never finished
    status: str = "finished"  # "finished", "ended early", "running", "interrupted", "imported"
    alpha1: tuple[Alpha1Reading, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)  # e.g. threshold results as JSON
    efforts: tuple[EffortSample, ...] = ()
