"""One rule for every imported format: times, lengths, heart rates and energy that cannot be.

Every reader hands its :class:`Recording` through :func:`checked` (``read_recording`` does),
so a FIT, TCX or CSV file is held to the same limits. A non-finite number, a time that goes
back or a length beyond a week is a broken file: an error, nothing stored. A single heart-rate
reading out of range is a strap glitch (the live path stores those raw and never counts them):
it is dropped with a warning, unless so many are that the column is not heart rate at all.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Final

from zonetrainer.core.imports.recording import ImportFileError, Recording, RecordingLap

#: No recording of a training session runs longer than a week (the longest ultra events take
#: about 6 days); beyond it a time is a broken file, and a number that large is no duration.
MAX_TIME_S: Final = 7 * 24 * 3600.0
#: Heart rates at or above 300 bpm are not heart rates (the highest reported adult rates are
#: about 300 bpm in ventricular arrhythmia; no one trains there): the CSV rule since issue 5.
MAX_HR_BPM: Final = 300.0
#: More glitches than this share of the readings: the column is not heart rate (as for RR).
MAX_GLITCH_SHARE: Final = 0.05
#: Energy above 100 MJ in one session: a 24-h ultra spends about 40 MJ.
MAX_ENERGY_KJ: Final = 100_000.0
#: RR intervals: FIT's own field is 0 to 65.535 s; above it is FIT's "invalid" padding.
MAX_RR_MS: Final = 65_535.0


def _time_ok(t_s: float) -> bool:
    return math.isfinite(t_s) and 0.0 <= t_s <= MAX_TIME_S


def _lap(path: str, n: int, lap: RecordingLap) -> RecordingLap:
    where = f"{path}: lap {n}"
    if not (_time_ok(lap.start_s) and _time_ok(lap.end_s)) or lap.end_s < lap.start_s:
        raise ImportFileError(f"{where}: {lap.start_s} to {lap.end_s} s is not a lap (times "
                              "from 0 to 7 days, the end after the start)")
    if lap.timer_s is not None and not _time_ok(lap.timer_s):
        raise ImportFileError(f"{where}: timer time {lap.timer_s} s is not a length")
    for name, value in (("average", lap.avg_hr_bpm), ("maximum", lap.max_hr_bpm),
                        ("effort", lap.avg_effort), ("target effort", lap.avg_target_effort)):
        if value is not None and not math.isfinite(value):
            raise ImportFileError(f"{where}: {name} {value} is not a number")
    if any(v is not None and not 0 <= v < MAX_HR_BPM for v in (lap.avg_hr_bpm, lap.max_hr_bpm)):
        return replace(lap, avg_hr_bpm=None, max_hr_bpm=None)  # counted again from the samples
    return lap


def checked(recording: Recording) -> Recording:
    """``recording`` if every value can be; glitches dropped (warned); else ImportFileError."""
    path = recording.path
    samples = list(recording.samples)
    glitches: list[tuple[float, float]] = []  # (time, bpm)
    last_s = 0.0
    for i, s in enumerate(samples):
        if not _time_ok(s.t_s):
            raise ImportFileError(f"{path}: reading {i + 1}: time {s.t_s} s is not a time from "
                                  "the start (0 to 7 days)")
        if s.t_s < last_s:
            raise ImportFileError(f"{path}: reading {i + 1}: time {s.t_s} s goes back before "
                                  f"{last_s} s")
        last_s = s.t_s
        if s.hr_bpm is not None and not math.isfinite(s.hr_bpm):
            raise ImportFileError(f"{path}: reading {i + 1} at {s.t_s} s: heart rate {s.hr_bpm} "
                                  "is not a number")
        if any(not (math.isfinite(rr) and 0 < rr <= MAX_RR_MS) for rr in s.rr_ms):
            raise ImportFileError(f"{path}: reading {i + 1} at {s.t_s} s: RR {s.rr_ms} ms are "
                                  "not beat intervals")
        if s.energy_kj is not None and not 0 <= s.energy_kj <= MAX_ENERGY_KJ:
            raise ImportFileError(f"{path}: reading {i + 1} at {s.t_s} s: energy "
                                  f"{s.energy_kj} kJ is not an energy")
        if s.hr_bpm is not None and not 0 <= s.hr_bpm < MAX_HR_BPM:
            glitches.append((s.t_s, s.hr_bpm))
            samples[i] = replace(s, hr_bpm=None)
    warnings = list(recording.warnings)
    if glitches:
        readings = sum(1 for s in recording.samples if s.hr_bpm is not None)
        if len(glitches) > MAX_GLITCH_SHARE * readings:
            raise ImportFileError(f"{path}: {len(glitches)} of {readings} heart-rate values are "
                                  f"outside 0-{MAX_HR_BPM:.0f} bpm (first {glitches[0][1]:g} at "
                                  f"{glitches[0][0]:g} s): not heart rates")
        plural = "s" if len(glitches) != 1 else ""
        warnings.append(f"{len(glitches)} heart-rate reading{plural} outside "
                        f"0-{MAX_HR_BPM:.0f} bpm dropped as strap glitches (first "
                        f"{glitches[0][1]:g} bpm at {glitches[0][0]:g} s)")
    for e in recording.efforts:
        numbers = (e.value, e.target, e.incline_pct, e.cadence_rpm)
        if not _time_ok(e.t_s) or any(v is not None and not math.isfinite(v) for v in numbers):
            raise ImportFileError(f"{path}: effort reading at {e.t_s} s is not a number")
    laps = tuple(_lap(path, n, lap) for n, lap in enumerate(recording.laps, start=1))
    if recording.timer_s is not None and not _time_ok(recording.timer_s):
        raise ImportFileError(f"{path}: timer time {recording.timer_s} s is not a length")
    if any(not (_time_ok(a) and _time_ok(b)) for a, b in recording.pauses):
        raise ImportFileError(f"{path}: a timer pause is not within 0 to 7 days")
    return replace(recording, samples=tuple(samples), laps=laps, warnings=tuple(warnings))
