"""How a session's zone-controlled blocks learn from one another and from the last session.

The engine keeps one :class:`BoutLedger`: each zone-controlled block's loop starts from the
newest usable :class:`~zonetrainer.core.control.BoutHistory` (the athlete's previous
session's at first, then this session's latest block's), and at the end the ledger says how
all of this session's work bouts went, for the next session.
"""

from __future__ import annotations

from functools import partial

from zonetrainer.core.control import BoutHistory, check_config
from zonetrainer.core.engine._blocks import (
    SHORTEST_REST_S,
    BlockWalk,
    ControlledWalk,
    ControllerFactory,
    default_controller,
)
from zonetrainer.core.model import Band
from zonetrainer.core.plan import Plan


class BoutLedger:
    """``history_in``: how the athlete's work bouts went last time (None: not known)."""

    def __init__(self, history_in: BoutHistory | None) -> None:
        self.history_in = history_in
        self._latest = history_in
        self._bouts: dict[int, BoutHistory] = {}  # block index -> how its work bouts went

    def factory(self) -> ControllerFactory:
        """The default zone controller, starting from the newest usable history."""
        return partial(default_controller, history=self._latest)

    def note(self, block_index: int, walk: BlockWalk | None) -> None:
        """Keep how ``walk``'s work bouts went, if a zone-control loop ran it."""
        if not isinstance(walk, ControlledWalk):
            return
        bouts = getattr(walk.controller, "bouts", None)
        if bouts is None:
            return
        history: BoutHistory = bouts()
        self._bouts[block_index] = history
        if history.usable:
            self._latest = history

    @property
    def session(self) -> BoutHistory | None:
        """All of this session's zone-controlled work bouts; None when it had none."""
        bouts = [b for _, b in sorted(self._bouts.items())]
        return sum(bouts[1:], bouts[0]) if bouts else None


def check_blocks(plan: Plan, band: Band, safety_max_bpm: float | None) -> None:
    """Refuse, before anything runs, a plan whose interval blocks the loop cannot run with this
    band and ceiling (ControllerConfigError, a UserError): found only when a block began, the
    session would stop after its warm-up."""
    for block in plan.blocks:
        if block.kind == "intervals":
            check_config(band.low_bpm, band.high_bpm, block.work_s,
                         max(block.rest_s, SHORTEST_REST_S), block.planned_s, safety_max_bpm,
                         0.0)
