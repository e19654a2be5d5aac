"""Random numbers drawn a block at a time and handed out one at a time.

One numpy call per block, not per reading: a Generator's uniform doubles and its standard
normals (the ziggurat) read its bit stream in order, so a block holds exactly the numbers the
one-at-a-time calls drew (tests/core/test_sim_blocks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class BlockDraws(Generic[T]):
    """``draw_block()`` gives the next block (a list); :meth:`next` one value of it."""

    def __init__(self, draw_block: Callable[[], list[T]]) -> None:
        self._draw_block = draw_block
        self._block: list[T] = []
        self._next = 0

    def next(self) -> T:
        if self._next >= len(self._block):
            self._block = self._draw_block()
            self._next = 0
        value = self._block[self._next]
        self._next += 1
        return value
