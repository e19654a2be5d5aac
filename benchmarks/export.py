"""Export benchmark: the FIT file of a 3-hour session (target: under 0.5 s), with TCX and CSV
for comparison.

The session is synthetic but shaped like a real one: 10,800 one-second samples with whole-bpm
heart rate, about 1.2 RR intervals per sample (1/1024-s values, as a strap sends them), 4-min
work / 2-min rest intervals between a 10-min warm-up and cool-down. Each format is written
``--repeat`` times (default 5) into a temporary directory; the median and best wall times are
reported, measured with time.perf_counter around ``export_session``.

``--effort`` adds a treadmill's reading 0.5 s after each sample (speed, target, incline), as a
session with a fitness machine has them.

Usage: ``python benchmarks/export.py [--repeat N] [--effort]``. Prints one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from zonetrainer.core.export import export_session
from zonetrainer.core.model import (
    EffortSample,
    HeartRateSample,
    IntervalRecord,
    SessionHeader,
    SessionRecord,
)
from zonetrainer.core.profile import Profile
from zonetrainer.core.signal import summarize

TARGET_S = 0.5
DURATION_S = 3 * 3600


def three_hour_session(seed: int = 1) -> SessionRecord:
    rng = np.random.default_rng(seed)
    profile = Profile(age_years=40.0, rest_hr_bpm=55.0)
    band, zones = profile.band(), profile.zones()
    blocks = ([("warmup", 600)] + [("work", 240), ("rest", 120)] * 26 + [("work", 240)]
              + [("cooldown", 600)])
    intervals, samples = [], []
    t, hr = 0, 70.0
    for index, (kind, length) in enumerate(blocks):
        target = {"warmup": 110, "work": 133, "rest": 115, "cooldown": 100}[kind]
        for _ in range(length):
            hr += (target - hr) / 40.0 + float(rng.normal(0.0, 0.7))
            bpm = float(round(hr))
            beats = 1 + int(rng.random() < 0.2 + bpm / 600)
            rr = tuple(round((60000.0 / bpm + float(rng.normal(0, 5))) * 1.024) / 1.024
                       for _ in range(beats))
            samples.append(HeartRateSample(float(t), bpm, rr, True, None, "bench"))
            t += 1
        intervals.append(IntervalRecord(index, kind, float(t - length), float(t),  # type: ignore[arg-type]
                                        float(length), "planned length"))
    header = SessionHeader(datetime(2026, 3, 14, 7, 30, tzinfo=UTC), "benchmark", "Bench",
                           band, zones, "bench")
    summary = summarize(samples, intervals, band, zones, duration_s=float(t))
    assert t == DURATION_S
    return SessionRecord(1, header, tuple(samples), tuple(intervals), (), summary)


def time_format(record: SessionRecord, fmt: str, repeat: int, directory: Path) -> list[float]:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        export_session(record, fmt, directory / f"s{i}.{fmt}")
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--effort", action="store_true")
    args = parser.parse_args()
    record = three_hour_session()
    if args.effort:
        record = replace(record, efforts=tuple(
            EffortSample(s.t_s + 0.5, 9.5 + 0.01 * (k % 50), "km/h", "bench", 10.0, 1.0)
            for k, s in enumerate(record.samples)))
    result: dict[str, object] = {
        "benchmark": "export_3h_session", "samples": len(record.samples),
        "rr_intervals": sum(len(s.rr_ms) for s in record.samples),
        "laps": len(record.intervals), "efforts": len(record.efforts),
        "target_fit_s": TARGET_S,
        "python": platform.python_version(), "repeat": args.repeat,
    }
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for fmt in ("fit", "tcx", "csv"):
            times = time_format(record, fmt, args.repeat, directory)
            result[f"{fmt}_median_s"] = round(statistics.median(times), 4)
            result[f"{fmt}_best_s"] = round(min(times), 4)
        result["fit_bytes"] = (directory / "s0.fit").stat().st_size
    result["fit_under_target"] = float(result["fit_median_s"]) < TARGET_S  # type: ignore[arg-type]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
