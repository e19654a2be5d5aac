"""What both heart-rate loops share: the zone-control loop (:mod:`zonetrainer.core.control`)
and the strength circuit's rest-only loop (:mod:`zonetrainer.core.control`).

Both clean the signal the same way, learn the same response model from the same priors, keep
the same room inside the band's edges, and offer the engine the same outputs.
"""

from __future__ import annotations

from typing import Final, Literal

from zonetrainer.core.control._filter import HeartRateFilter
from zonetrainer.core.control._model import ResponseEstimate, ResponseIdentifier
from zonetrainer.core.model import IntervalRecord

#: Room kept inside each band edge for what prediction cannot see: sensor noise (SD 1.5-3 bpm,
#: DESIGN.md) is averaged by the fit, so a fraction of one SD is enough; never above 2 bpm.
EDGE_MARGIN_BPM: Final = 1.5

#: Before the fit has data: the prior work effort sits 20 bpm above the band's top (the middle of
#: the 10-35 bpm that the simulated demo athlete uses), the rest effort 25 bpm below its bottom.
PRIOR_WORK_ABOVE_TOP_BPM: Final = 20.0
PRIOR_REST_BELOW_BOTTOM_BPM: Final = 25.0


class BandLoop:
    """The state and outputs every loop has: ``phase``, ``cue``, ``last_switch_reason``,
    ``predicted_hr_bpm`` / ``predicted_in_s``, ``hr_bpm``, ``safety_rest``, ``intervals``,
    ``done`` and ``response``; the cleaned signal and the identified response behind them."""

    def __init__(self, low: float, high: float, safety_max: float | None) -> None:
        self.low = float(low)
        self.high = float(high)
        self.safety_max = None if safety_max is None else float(safety_max)
        self.margin_bpm = min(EDGE_MARGIN_BPM, 0.15 * (self.high - self.low))

        self.phase: Literal["work", "rest"] = "work"
        self.cue: str | None = None
        self.last_switch_reason: str | None = None
        self.predicted_hr_bpm: float | None = None
        self.predicted_in_s: float | None = None
        self.hr_bpm: float | None = None
        self.safety_rest = False
        self.intervals: list[IntervalRecord] = []

        self._filter = HeartRateFilter(safety_max_bpm=self.safety_max)
        self._model = ResponseIdentifier(self.high + PRIOR_WORK_ABOVE_TOP_BPM,
                                         self.low - PRIOR_REST_BELOW_BOTTOM_BPM)
        self._model.note_phase(0.0, "work")
        self._last_t: float | None = None
        self._done = False

    def resume(self) -> None:
        """The session was paused and goes on: judge the next reading afresh (the clock ``t``
        stood still during the pause while the heart did not)."""
        self._filter.restart()

    @property
    def done(self) -> bool:
        return self._done

    def _checked_time(self, t: float) -> float:
        """``t`` as a float; a NaN, or a time before the latest one, is the caller's error."""
        t = float(t)
        if t != t:  # NaN
            raise ValueError("t is not a number")
        if self._last_t is not None and t < self._last_t:
            raise ValueError(f"t went backwards: {t} after {self._last_t}")
        return t

    @property
    def response(self) -> ResponseEstimate:
        """What the loop has learnt of this athlete's response so far (priors at first)."""
        return self._model.estimate(self._last_t or 0.0)
