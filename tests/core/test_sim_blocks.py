"""The simulated strap draws its random numbers in blocks, yet every sample is the one that
drawing them second by second (as it did before) gives: same rates, same RR, same faults."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from zonetrainer.core.sim import Athlete, AthleteParams


class OneAtATime:
    """A generator that answers a block request with one call per row (or value), the way the
    simulation drew before blocks: what blocks must reproduce."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng

    def random(self, size: tuple[int, int]) -> np.ndarray:
        rows, per_row = size
        return np.array([self._rng.random(per_row) for _ in range(rows)])

    def standard_normal(self, size: int) -> np.ndarray:
        return np.array([float(self._rng.standard_normal()) for _ in range(size)])


def athlete_pair(seed: int, params: AthleteParams) -> tuple[Athlete, Athlete]:
    blocked, reference = Athlete(params, seed=seed), Athlete(params, seed=seed)
    reference._noise_rng = OneAtATime(reference._noise_rng)  # type: ignore[assignment]
    reference.faults_model._rng = OneAtATime(  # type: ignore[assignment]
        reference.faults_model._rng)
    return blocked, reference


def run(athlete: Athlete, seconds: int) -> list[Any]:
    out: list[Any] = []
    for t in range(1, seconds + 1):
        athlete.advance(1.0, 150.0 if (t // 180) % 2 else 105.0)
        out.append(athlete.sample(float(t)))
    return out


def test_blocks_give_the_samples_of_one_draw_a_second() -> None:
    # faults far more often than a real strap's, so that every kind (and their sizes) occurs
    params = replace(AthleteParams(), gap_rate_per_h=120.0, contact_loss_rate_per_h=120.0,
                     spike_rate_per_h=240.0)
    for seed in (0, 1, 2):
        blocked, reference = athlete_pair(seed, params)
        seconds = 3 * 3600  # past several blocks of draws
        got, want = run(blocked, seconds), run(reference, seconds)
        assert got == want
        assert blocked.fault_counts == reference.fault_counts
        assert min(blocked.fault_counts.values()) > 10


def test_blocks_hold_the_numbers_of_single_draws() -> None:
    """The property the blocks rest on, for numpy's Generator (PCG64) as used here."""
    for seed in range(5):
        one, block = np.random.default_rng(seed), np.random.default_rng(seed)
        rows = np.array([one.random(6) for _ in range(700)])
        assert rows.tobytes() == block.random((700, 6)).tobytes()
        singles = np.array([one.standard_normal() for _ in range(3000)])
        assert singles.tobytes() == block.standard_normal(3000).tobytes()
        assert one.random() == block.random()  # and the streams go on alike
