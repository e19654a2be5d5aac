"""A chest strap's faults, second by second: gaps, contact losses and spikes.

Each second draws the same count of random numbers whatever happens, so the faults of a seed
fall at the same seconds however hard the athlete works (two controllers driving the same
simulated athlete meet the same faults). A fault starts only after at least one good reading,
so a gap is never longer than allowed by running into the next one.

A spike adds 25-60 bpm to the reported rate for one to three readings (electrode noise read
as beats); the RR intervals of those readings stay the true ones, since a strap's RR and its
rate field can disagree this way (the rate field is smoothed by the strap's own firmware).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

import numpy as np

from zonetrainer.core.sim._draws import BlockDraws
from zonetrainer.core.sim._params import AthleteParams

Reading = Literal["ok", "gap", "contact_loss"]
_DRAWS = 6
#: Seconds of draws taken from the generator at once (_draws.BlockDraws).
_BLOCK_S: Final = 512


class StrapFaults:
    """Decides, once a second, whether the strap sends a good reading, nothing, or no contact."""

    def __init__(self, params: AthleteParams, rng: np.random.Generator, enabled: bool) -> None:
        self.params = params
        self._rng = rng
        self.enabled = enabled
        self._gap_left = 0
        self._loss_left = 0
        self._spike_left = 0
        self._spike_bpm = 0.0
        self._faulted_last = False
        self.counts = {"gap": 0, "spike": 0, "contact_loss": 0}
        self._draws: BlockDraws[list[float]] = BlockDraws(
            lambda: self._rng.random((_BLOCK_S, _DRAWS)).tolist())

    @property
    def link_ok(self) -> bool:
        """False while a gap or a contact loss lasts."""
        return self._gap_left == 0 and self._loss_left == 0

    def next(self) -> tuple[Reading, float]:
        """What this second's reading is, and the spike to add to its rate (0 without one)."""
        draws = self._draws.next()
        if self.enabled:
            self._roll(draws)
        self._faulted_last = not self.link_ok
        if self._gap_left > 0:
            self._gap_left -= 1
            return "gap", 0.0
        if self._loss_left > 0:
            self._loss_left -= 1
            return "contact_loss", 0.0
        if self._spike_left > 0:
            self._spike_left -= 1
            return "ok", self._spike_bpm
        return "ok", 0.0

    def _roll(self, draws: Sequence[float]) -> None:
        p = self.params
        idle = self.link_ok and self._spike_left == 0 and not self._faulted_last
        if not idle:
            return
        if draws[0] < p.gap_rate_per_h / 3600.0:
            self._gap_left = p.gap_min_s + int(draws[3] * (p.gap_max_s - p.gap_min_s + 1))
            self.counts["gap"] += 1
        elif draws[1] < p.contact_loss_rate_per_h / 3600.0:
            self._loss_left = p.contact_loss_min_s + int(
                draws[4] * (p.contact_loss_max_s - p.contact_loss_min_s + 1))
            self.counts["contact_loss"] += 1
        elif draws[2] < p.spike_rate_per_h / 3600.0:
            self._spike_left = 1 + int(draws[5] * 3)  # one to three readings
            low, high = p.spike_bpm
            # draws[4] sizes a contact loss, which cannot start now: free for the spike's size.
            self._spike_bpm = low + (high - low) * draws[4]
            self.counts["spike"] += 1
