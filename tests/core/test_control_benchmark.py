"""benchmarks/control.py still runs against the current athlete, strap and controller."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "control.py"


@pytest.fixture
def benchmark() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("zt_control_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_the_control_benchmark_runs_and_prints_its_json(
        benchmark: ModuleType, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_path = tmp_path / "control.json"
    assert benchmark.main(["--athletes", "3", "--json", str(out_path)]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed == json.loads(out_path.read_text())
    assert printed["quick"] is False and printed["seed"] == 5 and printed["date"]
    for run in ("fixed/none", "hysteresis/none", "zone/none", "zone/cue", "pid/machine",
                "zone/machine"):
        for group in ("above", "inside", "far"):
            figures = printed["results"][run][group]
            assert figures["athletes"] == 1
            assert 0.0 <= figures["time_in_band_median"] <= 1.0
            assert 0.0 <= figures["work_in_band_median"] <= 1.0
            assert figures["work_bouts_median"] >= 1
    # the shape-keeping loop keeps the plan's five pairs with every lever
    for run in ("zone/none", "zone/cue", "zone/machine"):
        for group in ("above", "inside", "far"):
            assert printed["results"][run][group]["work_bouts_median"] == 5


def test_the_control_benchmark_rejects_too_few_athletes(benchmark: ModuleType) -> None:
    with pytest.raises(SystemExit):
        benchmark.main(["--athletes", "2"])
