"""Issue 16, point 3: the readers of the history never crash on a stored value, however it got
there (an import from before the one rule, a hand-edited file)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from zonetrainer.cli import main
from zonetrainer.core.imports import read_recording, recording_to_record
from zonetrainer.core.store import Store


# NaN is stored as NULL by SQLite (refused in NOT NULL columns): no reader meets it.
@pytest.mark.parametrize("bad", [math.inf, -math.inf, 1e300])
def test_a_stored_impossible_value_breaks_no_reader(
        tmp_path: Path, bad: float, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("t_s,hr_bpm\n" + "".join(f"{i},{120 + i % 5}\n" for i in range(100)))
    record = recording_to_record(read_recording(csv))
    assert record.summary is not None
    last = dataclasses.replace(record.samples[-1], t_s=bad, hr_bpm=bad)
    record = dataclasses.replace(
        record, samples=(*record.samples[:-1], last),
        summary=dataclasses.replace(record.summary, duration_s=bad, avg_hr_bpm=bad,
                                    time_in_band_s=bad))
    db = tmp_path / "z.sqlite"
    store = Store.open(db)
    try:
        store.import_record(record)
        assert len(store.load(1).samples) >= 99
    finally:
        store.close()
    for command in (["sessions", "list"], ["stats"], ["stats", "--by", "month"],
                    ["sessions", "show", "1"],
                    ["export", "1", "--format", "csv", "--out", str(tmp_path / "o.csv")]):
        assert main(["--db", str(db), *command]) == 0, command
    assert "Traceback" not in capsys.readouterr().err
