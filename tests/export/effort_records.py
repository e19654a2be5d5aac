"""A session with a machine's effort and a pause, built from core values for export tests."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tests.export.records import make_record
from zonetrainer.core.model import EffortSample, EffortUnit, SessionEvent, SessionRecord

#: The pause: 60 s inside the first work bout (300-562 s).
PAUSE = (400.0, 460.0)
WORK_TARGET = {"km/h": 10.0, "W": 180.0}
REST_TARGET = {"km/h": 5.0, "W": 90.0}


def effort_record(unit: EffortUnit = "km/h", pause: tuple[float, float] | None = PAUSE,
                  seed: int = 3) -> SessionRecord:
    """make_record()'s session with one effort reading 0.4 s after each heart-rate sample
    (a machine's own rhythm), its target, incline and cadence; each interval's mean effort and
    target; and ``pause`` recorded as pause/resume events, so timer and elapsed differ."""
    base = make_record()
    rng = np.random.default_rng(seed)
    efforts: list[EffortSample] = []
    intervals = []
    for interval in base.intervals:
        target = WORK_TARGET[unit] if interval.kind == "work" else REST_TARGET[unit]
        own = []
        for k in range(int(interval.start_s), int(interval.end_s)):
            value = round(target * (0.95 + 0.04 * float(rng.random())), 3)
            own.append(EffortSample(k + 0.4, value, unit, "ftms-test", target,
                                    1.0 if unit == "km/h" else None,
                                    None if unit == "km/h" else 85.0))
        efforts += own
        paused = 0.0
        if pause is not None:
            paused = max(0.0, min(pause[1], interval.end_s) - max(pause[0], interval.start_s))
        intervals.append(replace(
            interval, avg_effort=sum(e.value or 0.0 for e in own) / len(own),
            avg_target_effort=target, effort_unit=unit, timer_s=interval.actual_s - paused))
    events = base.events
    timer_s = base.summary.duration_s if base.summary else None
    if pause is not None:
        events = tuple(sorted((*events, SessionEvent(pause[0], "pause"),
                               SessionEvent(pause[1], "resume")), key=lambda e: e.t_s))
        timer_s = None if timer_s is None else timer_s - (pause[1] - pause[0])
    summary = None if base.summary is None else replace(base.summary, timer_s=timer_s)
    return replace(base, intervals=tuple(intervals), events=events, summary=summary,
                   efforts=tuple(efforts))
