"""The mean effort and target of one interval, as the engine records it per bout."""

from __future__ import annotations

from zonetrainer.core.model import EffortSample, EffortUnit


class EffortTally:
    """Readings of one interval, in the unit of its first reading (a second source in another
    unit, say a power meter beside a treadmill, would mix km/h with watts: it is left out).

    A plain mean over readings: machines and effort sensors notify at a steady rate (about once
    a second), unlike beat-by-beat heart rate, so the readings are already evenly spread in
    time.
    """

    def __init__(self) -> None:
        self.unit: EffortUnit | None = None
        self._values: list[float] = []
        self._targets: list[float] = []

    def add(self, sample: EffortSample, target: float | None) -> None:
        if self.unit is None:
            self.unit = sample.unit
        if sample.unit != self.unit:
            return
        if sample.value is not None:
            self._values.append(sample.value)
        if target is not None:
            self._targets.append(target)

    @property
    def mean_value(self) -> float | None:
        return sum(self._values) / len(self._values) if self._values else None

    @property
    def mean_target(self) -> float | None:
        return sum(self._targets) / len(self._targets) if self._targets else None
