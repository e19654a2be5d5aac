"""Per-interval drift and recovery in the summary tables of ``zonetrainer run`` and
``zonetrainer sessions show``, recomputed here from the stored samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zonetrainer.cli import main
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.store import Store

#: A 6-minute steady block (a work interval long enough for a drift figure), then controlled
#: intervals whose rests give recovery figures.
PLAN = """title = "Steady then intervals"
[[block]]
kind = "warmup"
duration_s = 60
[[block]]
kind = "steady"
duration_s = 360
[[block]]
kind = "intervals"
repeats = 2
work_s = 90
rest_s = 90
"""


def drift_of(record: SessionRecord, index: int) -> float:
    """Slope of HR (bpm/min) after the first 120 s of the interval, usable readings only."""
    interval = record.intervals[index]
    points = [(s.t_s, s.hr_bpm) for s in record.samples
              if interval.start_s + 120 <= s.t_s < interval.end_s and s.hr_bpm is not None
              and s.contact is not False and 25 <= s.hr_bpm <= 250]
    t = np.array([p[0] for p in points]) / 60.0
    return float(np.polyfit(t, np.array([p[1] for p in points]), 1)[0])


def recovery_of(record: SessionRecord, index: int) -> tuple[float, float]:
    interval = record.intervals[index]
    window = min(60.0, interval.actual_s)

    def mean(a: float, b: float) -> float:
        hr = [s.hr_bpm for s in record.samples if a <= s.t_s <= b and s.hr_bpm is not None
              and s.contact is not False and 25 <= s.hr_bpm <= 250]
        return sum(hr) / len(hr)

    start = interval.start_s
    return mean(start, start + 4.999) - mean(start + window - 5, start + window), window


def test_run_and_sessions_show_print_drift_and_recovery_per_interval(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    db = tmp_path / "z.sqlite"
    code = main(["--db", str(db), "run", "--simulate", "--headless", "--plan", str(plan),
                 "--speed", "0", "--seed", "4", "--age", "35"])
    run_out, err = capsys.readouterr()
    assert code == 0, err
    assert main(["--db", str(db), "sessions", "show", "1"]) == 0
    show_out = capsys.readouterr().out
    store = Store.open(db)
    try:
        record = store.load(1)
    finally:
        store.close()
    steady = next(i for i in record.intervals if i.kind == "work")
    assert steady.actual_s == pytest.approx(360.0)
    drift = f"drift {drift_of(record, steady.index):+.2f} bpm/min"
    rests = [i for i in record.intervals if i.kind == "rest" and i.actual_s >= 20]
    assert rests, record.intervals
    recoveries = []
    for rest in rests:
        drop, window = recovery_of(record, rest.index)
        recoveries.append(f"recovery {drop:.0f} bpm in {window:.0f} s")
    # run and sessions show both number the intervals from 1.
    for out, offset in ((run_out, 1), (show_out, 1)):
        assert "drift / recovery" in out
        rows = {int(line.split()[0]): line for line in out.splitlines()
                if line.split() and line.split()[0].isdigit() and len(line.split()) > 4}
        assert drift in rows[steady.index + offset]
        for rest, text in zip(rests, recoveries, strict=True):
            assert text in rows[rest.index + offset]
