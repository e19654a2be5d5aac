"""The summary of a session's effort (a machine's speed or power), for the JSON, the report and
``sessions show``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from zonetrainer.core.model import EffortSample, EffortUnit


@dataclass(frozen=True, slots=True)
class EffortSummary:
    """Readings in ``unit`` (those in another unit are counted apart, in ``other_readings``):
    the mean and the highest measured value, and the mean target where one was set."""

    unit: EffortUnit
    readings: int
    mean: float | None
    peak: float | None
    mean_target: float | None
    other_readings: int = 0


def effort_summary(efforts: Sequence[EffortSample]) -> EffortSummary | None:
    """None for a session without effort readings."""
    if not efforts:
        return None
    unit = efforts[0].unit
    own = [e for e in efforts if e.unit == unit]
    values = [e.value for e in own if e.value is not None and math.isfinite(e.value)]
    targets = [e.target for e in own if e.target is not None and math.isfinite(e.target)]
    return EffortSummary(unit, len(own), sum(values) / len(values) if values else None,
                         max(values) if values else None,
                         sum(targets) / len(targets) if targets else None,
                         len(efforts) - len(own))


def effort_text(value: float | None, unit: EffortUnit | None) -> str:
    """'9.4 km/h', '182 W', or '-'."""
    if value is None or unit is None:
        return "-"
    return f"{value:.1f} km/h" if unit == "km/h" else f"{value:.0f} W"
