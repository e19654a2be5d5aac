"""Time in the band, time per zone, average and maximum HR: one counting rule for live and stored.

The rule: a reading with a live heart rate counts from its own time until the next reading
arrives, but never longer than :data:`LOST_AFTER_S` (after that the signal is lost and no time is
counted) and never past the end of the session. A reading without a usable heart rate (None,
0 bpm, contact lost) counts nothing. A spike counts nothing either and leaves the previous
reading counting: a reading further than ``SPIKE_GATE_BPM + MAX_RATE_BPM_PER_S x dt`` from the
last accepted one (``dt`` s before, within LOST_AFTER_S) is held back; readings that stay within
SPIKE_GATE_BPM of the first held one confirm a real new level once it has lasted
``SPIKE_CONFIRM_S`` (strap spikes last 1-3 notifications), and the confirming one is accepted.
A fall no heart makes counts nothing and closes the previous reading, as a lost signal: a
reading more than ``MAX_FALL_BPM + MAX_FALL_BPM_PER_S x dt`` below an accepted one of the last
``FALL_MEMORY_S`` is a strap slipping (150 -> 49 -> 45 bpm for 12 s passes the spike rule,
since the low level holds for longer than SPIKE_CONFIRM_S).

The average HR weighs each accepted reading by the time it stands for, as the time per zone
does: a reading that carries RR intervals stands for the beats it reports (their sum), one
without for the time until the next reading (capped as above). A plain mean over readings
would count fast beats more often than slow ones in beat-by-beat data (one reading a beat):
on a 102-minute RR log from another app it read 117.3 bpm where beats over time give 112.4
(issue 16).

The engine applies the rule as the session runs (:class:`LiveCounter`); :func:`summarize`
applies it to recorded samples, so a stored session's figures are the ones the athlete saw.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import Final

from zonetrainer.core.model import (
    Band,
    HeartRateSample,
    IntervalRecord,
    SessionSummary,
    ZoneTable,
)

# The spike gate, the largest real rate of change, the confirmation time and the valid range are
# the control loop's own (zonetrainer.core.control): what the athlete sees counted and
# what the loop decides on follow one definition.
from zonetrainer.core.signal._plausible import (
    MAX_RATE_BPM_PER_S,
    MAX_VALID_BPM,
    MIN_VALID_BPM,
    SPIKE_CONFIRM_S,
    SPIKE_GATE_BPM,
)

#: After this long without a usable reading the signal counts as lost. A strap notifies about
#: once a second and often misses one notification; three missed in a row is a real dropout.
LOST_AFTER_S: Final = 3.0

#: The fastest a heart slows: after maximal exercise HR falls by about 12-40 bpm in the first
#: minute (HRR60; Cole et al. 1999, N Engl J Med 341:1351, abnormal <= 12) and by about 10-25
#: bpm in the first 10 s in trained athletes (Imai et al. 1994, J Am Coll Cardiol 24:1529).
#: A fall beyond 30 bpm plus 1 bpm per second (90 bpm in a minute, twice the fastest HRR60) is
#: not a heart but the strap losing contact. Remembered for a minute: a lower level that holds
#: that long is believed.
MAX_FALL_BPM: Final = 30.0
MAX_FALL_BPM_PER_S: Final = 1.0
FALL_MEMORY_S: Final = 60.0


def live_hr(sample: HeartRateSample) -> float | None:
    """The sample's heart rate if it is usable, else None (no HR, 0 bpm, contact lost, absurd)."""
    hr = sample.hr_bpm
    if hr is None or sample.contact is False:
        return None
    if not MIN_VALID_BPM <= hr <= MAX_VALID_BPM:  # also False for NaN
        return None
    return float(hr)


class LiveCounter:
    """Counts time in the band and per zone as readings arrive, by the rule of this module."""

    def __init__(self, band: Band, zones: ZoneTable) -> None:
        self.band = band
        self.zones = zones
        self.time_in_band_s = 0.0
        self.live_since_entry_s = 0.0  # time with a live signal since the first in-band reading
        self.time_in_zone_s = [0.0] * 5
        self.sample_count = 0
        self._entered = False
        self._hr_sum = 0.0
        self._hr_count = 0
        self._hr_time_sum = 0.0  # sum of hr x the time each accepted reading stands for
        self._hr_time_s = 0.0
        self._open_by_beats = False  # the open reading was weighted by its own RR already
        self.max_hr_bpm: float | None = None
        self._open: tuple[float, float] | None = None  # (t_s, hr) of the last live reading
        self._counted_to_s = 0.0  # how far the open reading's time has been counted
        self._latest_s = 0.0  # the latest time seen: a late reading never recounts time
        self._held: tuple[float, float] | None = None  # (t_s, hr) where a possible spike began
        self.spikes = 0
        self._recent: deque[tuple[float, float]] = deque()  # accepted (t_s, hr), falling hr
        self.dropouts = 0  # readings refused as a fall no heart makes

    def add(self, sample: HeartRateSample) -> bool:
        """Take one reading (in time order). Returns whether it was accepted as live HR; an
        accepted or an unusable reading closes the time of the previous one, a spike does not."""
        self.advance(sample.t_s)
        self.sample_count += 1
        hr = live_hr(sample)
        if hr is None or self._impossible_fall(sample.t_s, hr):
            self.dropouts += hr is not None
            self._open = None
            self._held = None
            return False
        if self._is_spike(sample.t_s, hr):
            if self._held is None or abs(hr - self._held[1]) > SPIKE_GATE_BPM:
                self._held = (sample.t_s, hr)
            self.spikes += 1
            return False
        self._held = None
        self._remember(sample.t_s, hr)
        self._hr_sum += hr
        self._hr_count += 1
        beats_s = _beats_s(sample)
        self._open_by_beats = beats_s is not None
        if beats_s is not None:
            self._hr_time_sum += hr * beats_s
            self._hr_time_s += beats_s
        self.max_hr_bpm = hr if self.max_hr_bpm is None else max(self.max_hr_bpm, hr)
        if self.band.contains(hr):
            self._entered = True
        self._open = (sample.t_s, hr)
        self._counted_to_s = max(sample.t_s, self._latest_s)
        return True

    def _remember(self, t_s: float, hr: float) -> None:
        # A monotone queue: only readings higher than every later one can be the recent peak.
        while self._recent and self._recent[-1][1] <= hr:
            self._recent.pop()
        self._recent.append((t_s, hr))

    def _impossible_fall(self, t_s: float, hr: float) -> bool:
        while self._recent and t_s - self._recent[0][0] > FALL_MEMORY_S:
            self._recent.popleft()
        return any(peak - hr > MAX_FALL_BPM + MAX_FALL_BPM_PER_S * max(0.0, t_s - peak_t)
                   for peak_t, peak in self._recent)

    def _is_spike(self, t_s: float, hr: float) -> bool:
        if self._open is None or t_s - self._open[0] > LOST_AFTER_S:
            return False  # after a loss any level is believable
        held = self._held
        if (held is not None and abs(hr - held[1]) <= SPIKE_GATE_BPM
                and t_s - held[0] >= SPIKE_CONFIRM_S):
            return False  # the new level has lasted: a real jump, not a spike
        dt_s = max(0.0, t_s - self._open[0])
        return abs(hr - self._open[1]) > SPIKE_GATE_BPM + MAX_RATE_BPM_PER_S * dt_s

    def live_hr_at(self, now_s: float) -> float | None:
        """The last accepted heart rate while it is live at ``now_s``; None once lost."""
        if self._open is None or now_s - self._open[0] > LOST_AFTER_S:
            return None
        return self._open[1]

    @property
    def last_accepted_s(self) -> float | None:
        return None if self._open is None else self._open[0]

    def advance(self, now_s: float) -> None:
        """Count the open reading's time up to ``now_s`` (capped at LOST_AFTER_S after it)."""
        self._latest_s = max(self._latest_s, now_s)
        if self._open is None:
            return
        t_s, hr = self._open
        until_s = min(now_s, t_s + LOST_AFTER_S)
        dt_s = until_s - self._counted_to_s
        if dt_s <= 0.0:
            return
        self._counted_to_s = until_s
        if not self._open_by_beats:
            self._hr_time_sum += hr * dt_s
            self._hr_time_s += dt_s
        self.time_in_zone_s[self.zones.zone_of(hr) - 1] += dt_s
        if self.band.contains(hr):
            self.time_in_band_s += dt_s
        if self._entered:
            self.live_since_entry_s += dt_s

    @property
    def band_share(self) -> float:
        """Time in band over live time, counted from the first entry into the band (0..1)."""
        if self.live_since_entry_s <= 0.0:
            return 0.0
        return self.time_in_band_s / self.live_since_entry_s

    @property
    def avg_hr_bpm(self) -> float | None:
        """The time-weighted mean of the accepted readings (see the module docstring); the plain
        mean while no time has been counted yet (a single reading)."""
        if self._hr_time_s > 0.0:
            return self._hr_time_sum / self._hr_time_s
        return self._hr_sum / self._hr_count if self._hr_count else None

    def zone_times(self) -> tuple[float, float, float, float, float]:
        z = self.time_in_zone_s
        return (z[0], z[1], z[2], z[3], z[4])

    def summary(self, duration_s: float, intervals: Iterable[IntervalRecord]) -> SessionSummary:
        kinds = [i.kind for i in intervals]
        return SessionSummary(
            duration_s=duration_s,
            time_in_band_s=self.time_in_band_s,
            band_share=self.band_share,
            time_in_zone_s=self.zone_times(),
            avg_hr_bpm=self.avg_hr_bpm,
            max_hr_bpm=self.max_hr_bpm,
            sample_count=self.sample_count,
            work_intervals=kinds.count("work"),
            rest_intervals=kinds.count("rest"),
        )


def _beats_s(sample: HeartRateSample) -> float | None:
    """The time the sample's own RR intervals cover (s), capped at LOST_AFTER_S; None
    without usable RR."""
    total_ms = sum(rr for rr in sample.rr_ms if 0.0 < rr < 60_000.0)
    return min(total_ms / 1000.0, LOST_AFTER_S) if total_ms > 0.0 else None


def mean_hr_bpm(samples: Sequence[HeartRateSample], end_s: float | None = None
                ) -> float | None:
    """The time-weighted mean HR of the usable readings (the weights of :class:`LiveCounter`,
    without its spike rule: for lap figures of readings already judged). ``end_s`` closes the
    last reading's time; without it the last reading without RR weighs nothing."""
    ordered = sorted((s for s in samples if live_hr(s) is not None), key=lambda s: s.t_s)
    total = weight = 0.0
    for k, sample in enumerate(ordered):
        hr = live_hr(sample)
        assert hr is not None
        w = _beats_s(sample)
        if w is None:
            until = ordered[k + 1].t_s if k + 1 < len(ordered) else end_s
            w = 0.0 if until is None else min(max(0.0, until - sample.t_s), LOST_AFTER_S)
        total += hr * w
        weight += w
    if weight > 0.0:
        return total / weight
    values = [live_hr(s) or 0.0 for s in ordered]
    return sum(values) / len(values) if values else None


_ANY_BAND: Final = Band(0.0, 0.0, "none", "none", 0.0)
_ANY_ZONES: Final = ZoneTable((60.0, 80.0, 100.0, 120.0, 140.0), 200.0, "none")


def accepted_readings(samples: Sequence[HeartRateSample]) -> list[HeartRateSample]:
    """The readings the counting rule accepts, in time order (no spikes, no dropouts, none
    without a usable HR): what drift and recovery are measured on."""
    counter = LiveCounter(_ANY_BAND, _ANY_ZONES)
    return [s for s in sorted(samples, key=lambda s: s.t_s) if counter.add(s)]


def summarize(samples: Sequence[HeartRateSample], intervals: Sequence[IntervalRecord],
              band: Band, zones: ZoneTable, duration_s: float | None = None) -> SessionSummary:
    """The summary of recorded samples and intervals. ``duration_s`` defaults to the last
    sample's or interval's end; a session stored by the engine passes its own duration."""
    counter = LiveCounter(band, zones)
    for sample in sorted(samples, key=lambda s: s.t_s):
        counter.add(sample)
    if duration_s is None:
        ends = [s.t_s for s in samples] + [i.end_s for i in intervals]
        duration_s = max(ends, default=0.0)
    counter.advance(duration_s)
    return counter.summary(duration_s, intervals)
