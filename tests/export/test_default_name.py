"""Export file names carry the start in local time, as the history lists it (CLI and dialog)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from tests.export.records import make_record
from zonetrainer.cli import main
from zonetrainer.core.export import default_name
from zonetrainer.core.store import Store


def test_the_cli_names_files_by_the_local_start(half_past_tz: None, tmp_path: Path) -> None:
    record = make_record()
    record = replace(record, header=replace(
        record.header, started_at=datetime(2026, 3, 14, 7, 30, tzinfo=UTC)))
    assert default_name(record, "fit") == "2026-03-14-1300-session-42.fit"
    db = tmp_path / "z.sqlite"
    store = Store.open(db)
    try:
        sid = store.import_record(record)
    finally:
        store.close()
    out = tmp_path / "out"
    out.mkdir()
    assert main(["--db", str(db), "export", str(sid), "--format", "tcx", "--out", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == [f"2026-03-14-1300-session-{sid}.tcx"]
