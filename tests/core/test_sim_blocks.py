"""The simulated strap draws its random numbers in blocks, yet every sample is the one that
drawing them second by second (as it did before) gives: same rates, same RR, same faults."""

from __future__ import annotations

import hashlib
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


#: sha256 of the repr of every sample of three hours, per seed, as the code before the speed-ups
#: (commit 8ca0a85: one draw a second, exp on every step) produced them.
BEFORE = {0: "61501ad609d5241f0b0fca804ab8d7f1c217e4ab2ddcb9e3b8ee19c26803053a",
          1: "c8f84170dc18237111f8a4456825f9bfc9243beac4730136ce19226a1add2079",
          2: "fbfc6ac0d0f11fdf27b1678629f9e9bc41a5296add884cba0d502d5dfae0053a"}


def test_samples_are_those_of_the_code_before() -> None:
    """Steps of a second and, now and then, a shorter one (the physiology's factors are kept
    per step length)."""
    params = replace(AthleteParams(), gap_rate_per_h=120.0, contact_loss_rate_per_h=120.0,
                     spike_rate_per_h=240.0)
    for seed, expected in BEFORE.items():
        athlete = Athlete(params, seed=seed)
        digest = hashlib.sha256()
        for t in range(1, 3 * 3600 + 1):
            athlete.advance(1.0 if t % 97 else 0.6, 150.0 if (t // 180) % 2 else 105.0)
            digest.update(repr(athlete.sample(float(t))).encode())
        assert digest.hexdigest() == expected, seed
