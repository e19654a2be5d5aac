"""What an importer hands back: a recording from another app, with what went wrong reading it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from zonetrainer.core.errors import UserError
from zonetrainer.core.model import EffortSample, EffortUnit, HeartRateSample, IntervalKind


class ImportFileError(UserError):
    """A file that cannot be imported at all (missing, not the format it claims, empty)."""


class CorruptFileError(ImportFileError):
    """A file whose structure is damaged where nothing after it can be trusted (a bad header)."""


@dataclass(frozen=True, slots=True)
class RecordingLap:
    """A lap as the file recorded it; ``kind`` maps its intensity onto our interval kinds."""

    start_s: float
    end_s: float
    kind: IntervalKind
    intensity: str = ""  # as the file said it: "active", "Resting", ...
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    note: str = ""
    timer_s: float | None = None  # the lap's timer (moving) time, when the file says
    avg_effort: float | None = None  # mean power or speed, when the file says
    avg_target_effort: float | None = None
    effort_unit: EffortUnit | None = None


@dataclass(frozen=True, slots=True)
class Recording:
    """Samples (with RR) on a time axis starting at 0, laps, and where they came from.

    ``warnings`` says, one line each, what could not be read (a truncated file keeps what came
    before the damage) or what is missing (no heart rate at all).
    """

    path: str
    file_format: str  # "fit", "tcx", "csv"
    started_at: datetime | None  # timezone-aware UTC, when the file says
    sport: str
    device: str
    samples: tuple[HeartRateSample, ...]
    laps: tuple[RecordingLap, ...] = ()
    warnings: tuple[str, ...] = ()
    efforts: tuple[EffortSample, ...] = ()  # power or speed readings, when the file has them
    #: The timer (moving) time, when the file says or its timer events tell; and the spans
    #: (start, end) in which the device's timer stood still.
    timer_s: float | None = None
    pauses: tuple[tuple[float, float], ...] = ()

    @property
    def duration_s(self) -> float:
        ends = [0.0] + [lap.end_s for lap in self.laps[-1:]]
        if self.samples:
            ends.append(self.samples[-1].t_s)
        if self.efforts:
            ends.append(self.efforts[-1].t_s)
        return max(ends)

    @property
    def hr_count(self) -> int:
        return sum(1 for s in self.samples if s.hr_bpm is not None)

    @property
    def rr_count(self) -> int:
        return sum(len(s.rr_ms) for s in self.samples)


#: FIT intensity / TCX Intensity -> our interval kinds (FIT profile type ``intensity``).
KIND_BY_INTENSITY: dict[str, IntervalKind] = {
    "active": "work", "interval": "work", "rest": "rest", "resting": "rest",
    "recovery": "rest", "warmup": "warmup", "cooldown": "cooldown",
}


def kind_of(intensity: object) -> IntervalKind:
    # A damaged FIT file gives a number the profile has no name for: work, like no intensity.
    return KIND_BY_INTENSITY.get(str(intensity or "").lower(), "work")


def no_hr_warning(samples: tuple[HeartRateSample, ...] | list[HeartRateSample]) -> list[str]:
    if any(s.hr_bpm is not None for s in samples):
        return []
    return ["no heart-rate values in this file"]
