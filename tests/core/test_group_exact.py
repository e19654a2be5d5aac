"""End to end: a simulated group stores exactly the same rows, and publishes exactly the same
states, with the faster pieces as with the straightforward ones they replaced (the artefact
detector, the controller's model bank and heart-rate filter, the strap's one-draw-a-second
random numbers), through benchmarks/group_digest.py: 3 athletes, about 10 minutes each."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.core import filter_reference, model_reference
from tests.core.test_sim_blocks import OneAtATime
from tests.signal import artifacts_reference
from zonetrainer.core.control import _base, _filter, _model
from zonetrainer.core.engine import _blocks
from zonetrainer.core.signal import _dfa
from zonetrainer.core.sim import _athlete

DIGEST = Path(__file__).resolve().parents[2] / "benchmarks" / "group_digest.py"


@pytest.fixture
def digest_tool() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("zt_group_digest", DIGEST)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def straightforward(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put the reference (pre-speed-up) pieces where the fast ones are used."""
    monkeypatch.setattr(_dfa, "clean_rr", artifacts_reference.clean_rr)
    monkeypatch.setattr(_base, "ResponseIdentifier", model_reference.ResponseIdentifier)
    monkeypatch.setattr(_base, "HeartRateFilter", filter_reference.HeartRateFilter)
    monkeypatch.setattr(_blocks, "HeartRateFilter", filter_reference.HeartRateFilter)
    real_init = _athlete.Athlete.__init__

    def one_draw_a_second(self: _athlete.Athlete, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        self._noise_rng = OneAtATime(self._noise_rng)  # type: ignore[assignment]
        self.faults_model._rng = OneAtATime(self.faults_model._rng)  # type: ignore[assignment]

    monkeypatch.setattr(_athlete.Athlete, "__init__", one_draw_a_second)


def test_a_group_stores_the_same_rows_as_with_the_straightforward_pieces(
        digest_tool: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _base.ResponseIdentifier is _model.ResponseIdentifier  # what is swapped
    assert _base.HeartRateFilter is _filter.HeartRateFilter is _blocks.HeartRateFilter
    fast_total, fast_tables = digest_tool.digest(3, 10)
    with monkeypatch.context() as patch:
        straightforward(patch)
        slow_total, slow_tables = digest_tool.digest(3, 10)
    assert fast_tables == slow_tables
    assert fast_total == slow_total
    rows = dict(fast_tables)
    for table in ("samples", "rr", "alpha1", "intervals", "events", "sessions"):
        assert rows[table][0] > 0, table  # every kind of row was there to compare
