"""The report and ``sessions show`` say each bout's effort and target and the moving time."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from tests.export.effort_records import effort_record
from tests.export.records import make_record
from zonetrainer.cli.sessions import format_record
from zonetrainer.core.export import export_session
from zonetrainer.core.export.report_data import INTERVAL_COLUMNS, report_data


def test_report_has_a_line_per_bout_with_its_effort(tmp_path: Path) -> None:
    record = effort_record("km/h")
    data = report_data(record)
    assert data.interval_columns[-3:] == ("effort", "target", "ended because")
    work = record.intervals[1]
    row = data.interval_rows[1]
    assert row[-3:] == (f"{work.avg_effort:.1f} km/h", "10.0 km/h", work.end_reason)
    figures = dict(data.figures)
    assert figures["Moving time"] == "21:27 (paused 1:00)"  # 1347 s elapsed, 60 s paused
    assert figures["Effort"].startswith("mean ") and "target" in figures["Effort"]
    (path,) = export_session(record, "html", tmp_path / "r.html")
    doc = lxml_html.fromstring(path.read_text())
    heads = [th.text_content() for th in doc.xpath("//h2[.='Intervals']/following::table[1]//th")]
    assert "effort" in heads and "target" in heads
    export_session(record, "pdf", tmp_path / "r.pdf")  # the wider table still lays out


def test_report_without_effort_keeps_its_columns() -> None:
    data = report_data(make_record())
    assert data.interval_columns == INTERVAL_COLUMNS
    assert "Moving time" not in dict(data.figures) and "Effort" not in dict(data.figures)


def test_sessions_show_says_moving_time_and_effort() -> None:
    record = effort_record("W")
    lines = format_record(record)
    assert "moving time 0:21:27 (paused 0:01:00)" in lines  # 1347 s elapsed, 60 s paused
    values = [e.value or 0 for e in record.efforts]
    targets = [e.target or 0 for e in record.efforts]
    assert (f"effort: mean {sum(values) / len(values):.0f} W, target "
            f"{sum(targets) / len(targets):.0f} W, highest {max(values):.0f} W, "
            f"{len(values)} readings") in lines
    header = next(line for line in lines if "ended because" in line)
    assert "effort / target" in header
    work = next(line for line in lines if " work " in line)
    assert " W / 180 W" in work
