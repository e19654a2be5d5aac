"""TCX carries the effort in Garmin's Activity Extension v2 (TPX per trackpoint, LX per lap),
still valid against the TCX v2 schema; a lap's TotalTimeSeconds is its timer time; our own
importer reads both back."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.export.effort_records import PAUSE, effort_record
from tests.export.test_tcx_export import NS, assert_valid, schema  # noqa: F401 (fixture)
from zonetrainer.core.export import export_session
from zonetrainer.core.export.tcx import AX_NS, encode_tcx
from zonetrainer.core.imports import recording_to_record
from zonetrainer.core.imports.tcx import read_tcx

AX = {"t": NS["t"], "ax": AX_NS}


@pytest.mark.parametrize("unit", ["km/h", "W"])
def test_effort_extensions_validate_and_carry_the_readings(schema: etree.XMLSchema,  # noqa: F811
                                                           unit: str) -> None:
    record = effort_record(unit)  # type: ignore[arg-type]
    doc = assert_valid(schema, encode_tcx(record))
    tag = "Speed" if unit == "km/h" else "Watts"
    values = [float(v) for v in doc.xpath(f"//t:Trackpoint/t:Extensions/ax:TPX/ax:{tag}/text()",
                                          namespaces=AX)]
    assert len(values) == len(record.efforts)
    scale = 3.6 if unit == "km/h" else 1.0
    expected = [(e.value or 0) / scale for e in record.efforts]
    assert values == pytest.approx(expected, abs=0.0006 if unit == "km/h" else 0.5)
    # The extension sits last in the Trackpoint, as Trackpoint_t's sequence wants.
    point = doc.xpath("//t:Trackpoint[t:Extensions]", namespaces=AX)[0]
    assert etree.QName(point[-1]).localname == "Extensions"
    laps = doc.xpath("//t:Lap", namespaces=AX)
    lx = "AvgSpeed" if unit == "km/h" else "AvgWatts"
    for lap, interval in zip(laps, record.intervals, strict=True):
        [avg] = lap.xpath(f"t:Extensions/ax:LX/ax:{lx}/text()", namespaces=AX)
        assert float(avg) == pytest.approx((interval.avg_effort or 0) / scale, abs=0.5)
        assert etree.QName(lap[-1]).localname == "Extensions"


def test_lap_total_time_is_the_timer_time(schema: etree.XMLSchema) -> None:  # noqa: F811
    record = effort_record("km/h")
    doc = assert_valid(schema, encode_tcx(record))
    totals = [float(t) for t in doc.xpath("//t:Lap/t:TotalTimeSeconds/text()", namespaces=AX)]
    paused = PAUSE[1] - PAUSE[0]
    assert totals[1] == pytest.approx(record.intervals[1].actual_s - paused)
    assert totals[0] == pytest.approx(record.intervals[0].actual_s)
    assert record.summary is not None
    assert sum(totals) == pytest.approx(record.summary.duration_s - paused)


def test_our_tcx_imports_back_with_effort_and_both_times(tmp_path: Path) -> None:
    record = effort_record("W")
    out = tmp_path / "s.tcx"
    export_session(record, "tcx", out)
    recording = read_tcx(out)
    assert len(recording.samples) == len(record.samples)  # effort-only points are no samples
    assert [e.value for e in recording.efforts] == pytest.approx(
        [round(e.value or 0) for e in record.efforts])
    back = recording_to_record(recording)
    assert back.summary is not None and record.summary is not None
    assert back.summary.timer_s == pytest.approx(record.summary.duration_s - 60.0)
    for got, want in zip(back.intervals, record.intervals, strict=True):
        assert got.start_s == pytest.approx(want.start_s)
        assert got.end_s == pytest.approx(want.end_s)  # elapsed, though the lap was paused
        assert got.timer_s == pytest.approx(want.timer_s)
        assert got.avg_effort == pytest.approx(round(want.avg_effort or 0))
        assert got.effort_unit == "W"


def test_a_garmin_tcx_reads_its_watts_and_lap_times() -> None:
    """activity_5039744860.tcx (an Edge 1000 ride): TPX Watts (and Speed) in its trackpoints,
    LX AvgWatts in its laps; power is taken before speed."""
    path = Path(__file__).parents[1] / "data" / "tcx" / "activity_5039744860.tcx"
    doc = etree.parse(str(path))
    watts = [float(w) for w in doc.xpath("//t:Trackpoint/t:Extensions/ax:TPX/ax:Watts/text()",
                                         namespaces=AX)]
    recording = read_tcx(path)
    assert [e.value for e in recording.efforts] == watts and len(watts) > 90
    assert {e.unit for e in recording.efforts} == {"W"}
    totals = [float(t) for t in doc.xpath("//t:Lap/t:TotalTimeSeconds/text()", namespaces=AX)]
    assert [lap.timer_s for lap in recording.laps] == totals
    assert recording.timer_s == sum(totals)
    avg = [float(w) for w in doc.xpath("//t:Lap/t:Extensions/ax:LX/ax:AvgWatts/text()",
                                       namespaces=AX)]
    assert [lap.avg_effort for lap in recording.laps] == avg
