"""Session records built directly from core values, so export tests need no engine or database.

The heart rate follows a simple first-order response to each interval's target, with beat-to-beat
RR intervals derived from it and quantised to 1/1024 s as a Bluetooth strap sends them
(Heart Rate Measurement 0x2A37). Deterministic: a seeded numpy generator.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from zonetrainer.core.model import (
    Alpha1Reading,
    HeartRateSample,
    IntervalRecord,
    SessionEvent,
    SessionHeader,
    SessionRecord,
    SessionSummary,
)
from zonetrainer.core.profile import Profile

STARTED_AT = datetime(2026, 3, 14, 7, 30, 0, tzinfo=UTC)

#: (kind, planned_s, actual_s, end reason, target HR)
DEFAULT_PLAN: tuple[tuple[str, float, float, str, float], ...] = (
    ("warmup", 300, 300, "planned length", 110),
    ("work", 240, 262, "hr reached band top", 132),
    ("rest", 120, 95, "hr back in band", 112),
    ("work", 240, 240, "planned length", 134),
    ("rest", 120, 150, "hr back in band", 110),
    ("cooldown", 300, 300, "planned length", 100),
)


def make_record(plan: tuple[tuple[str, float, float, str, float], ...] = DEFAULT_PLAN, *,
                repeat: int = 1, quantise_rr: bool = True, seed: int = 7,
                gap: tuple[float, float] | None = (700.0, 706.0),
                session_id: int = 42, sport: str = "running") -> SessionRecord:
    """A finished session; ``repeat`` repeats the middle blocks to make it longer."""
    blocks = [plan[0], *list(plan[1:-1]) * repeat, plan[-1]]
    profile = Profile(name="Test Athlete", age_years=40.0, rest_hr_bpm=55.0)
    band, zones = profile.band(), profile.zones()
    rng = np.random.default_rng(seed)
    samples: list[HeartRateSample] = []
    intervals: list[IntervalRecord] = []
    hr = 70.0
    t = 0
    for index, (kind, planned_s, actual_s, reason, target) in enumerate(blocks):
        start = t
        block_hr: list[float] = []
        for _ in range(int(actual_s)):
            hr += (target - hr) / 30.0 + float(rng.normal(0.0, 0.6))
            hr_bpm = float(round(hr))
            if gap is not None and gap[0] <= t < gap[1]:
                samples.append(HeartRateSample(float(t), None, (), False, None, "test"))
            else:
                beats = int(rng.integers(1, 3))
                rr = [60000.0 / hr_bpm + float(rng.normal(0.0, 4.0)) for _ in range(beats)]
                if quantise_rr:
                    rr = [round(v * 1.024) / 1.024 for v in rr]
                else:
                    rr = [float(round(v)) for v in rr]
                samples.append(HeartRateSample(float(t), hr_bpm, tuple(rr), True, None, "test"))
                block_hr.append(hr_bpm)
            t += 1
        intervals.append(IntervalRecord(index, kind, float(start), float(t), float(planned_s),  # type: ignore[arg-type]
                                        reason, "deadlift" if kind == "work" else None,
                                        sum(block_hr) / len(block_hr), max(block_hr)))
    live = [s.hr_bpm for s in samples if s.hr_bpm is not None]
    in_zone = [0.0] * 5
    for v in live:
        in_zone[zones.zone_of(v) - 1] += 1.0
    in_band = float(sum(1 for v in live if band.contains(v)))
    summary = SessionSummary(
        duration_s=float(t), time_in_band_s=in_band, band_share=in_band / len(live),
        time_in_zone_s=tuple(in_zone),  # type: ignore[arg-type]
        avg_hr_bpm=sum(live) / len(live), max_hr_bpm=max(live), sample_count=len(samples),
        work_intervals=sum(1 for i in intervals if i.kind == "work"),
        rest_intervals=sum(1 for i in intervals if i.kind == "rest"))
    alpha1 = tuple(Alpha1Reading(float(s), 1.1 - s / (t * 2.0), 0.01, 240, 120.0, True)
                   for s in range(120, t, 60))
    header = SessionHeader(started_at=STARTED_AT, plan_name="fatmax-intervals",
                           athlete_name=profile.name, band=band, zones=zones, source_id="test",
                           profile_json='{"age_years": 40, "rest_hr_bpm": 55}', sport=sport)
    events = (SessionEvent(700.0, "signal_lost"), SessionEvent(706.0, "signal_back"))
    return SessionRecord(session_id, header, tuple(samples), tuple(intervals), events, summary,
                         "finished", alpha1)
