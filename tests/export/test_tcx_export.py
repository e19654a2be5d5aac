"""TCX export: valid against Garmin's TCX v2 schema, a lap per interval, a trackpoint per sample."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from tests.export.conftest import XSD
from tests.export.records import make_record
from zonetrainer.core.export import export_session
from zonetrainer.core.export.tcx import TCX_NS, encode_tcx
from zonetrainer.core.imports.tcx import read_tcx
from zonetrainer.core.model import SessionRecord

NS = {"t": TCX_NS}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def assert_valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    doc = etree.fromstring(data)
    if not schema.validate(doc):
        raise AssertionError(str(schema.error_log))
    return doc


@pytest.mark.parametrize("variant", ["intervals", "no intervals", "unfinished", "strength"])
def test_every_tcx_validates_against_the_schema(schema: etree.XMLSchema, variant: str) -> None:
    record = make_record()
    if variant == "no intervals":
        record = replace(record, intervals=())
    elif variant == "unfinished":
        record = replace(record, summary=None, status="running")
    elif variant == "strength":
        record = make_record(sport="strength")
    assert_valid(schema, encode_tcx(record))


def test_the_schema_check_is_real(schema: etree.XMLSchema, record: SessionRecord) -> None:
    doc = etree.fromstring(encode_tcx(record))
    doc.find(".//t:Lap/t:Intensity", NS).text = "Sprinting"  # not a TCX intensity
    assert not schema.validate(doc)


def test_laps_and_trackpoints_match_the_session(schema: etree.XMLSchema,
                                                record: SessionRecord) -> None:
    doc = assert_valid(schema, encode_tcx(record))
    laps = doc.findall(".//t:Lap", NS)
    assert len(laps) == len(record.intervals)
    for lap, interval in zip(laps, record.intervals, strict=True):
        assert float(lap.findtext("t:TotalTimeSeconds", namespaces=NS)) == interval.actual_s
        assert lap.findtext("t:Intensity", namespaces=NS) == \
            ("Resting" if interval.kind == "rest" else "Active")
        assert lap.findtext("t:Notes", namespaces=NS).startswith(interval.kind)
    points = doc.findall(".//t:Trackpoint", NS)
    assert len(points) == len(record.samples)
    hr = [p.findtext("t:HeartRateBpm/t:Value", namespaces=NS) for p in points]
    assert hr == [None if s.hr_bpm is None else str(round(s.hr_bpm)) for s in record.samples]


def test_tcx_reads_back_with_kinds_and_heart_rate(record: SessionRecord, tmp_path: Path) -> None:
    (path,) = export_session(record, "tcx", tmp_path / "s.tcx")
    back = read_tcx(path)
    assert back.warnings == ()
    assert [(s.t_s, s.hr_bpm) for s in back.samples] == \
        [(s.t_s, s.hr_bpm) for s in record.samples]
    assert [(lap.kind, lap.start_s, lap.end_s) for lap in back.laps] == \
        [(i.kind, i.start_s, i.end_s) for i in record.intervals]
    assert back.device == "zonetrainer"


def test_a_start_time_in_another_zone_is_written_in_utc(record: SessionRecord) -> None:
    from datetime import timedelta, timezone

    from zonetrainer.core.export.fit import encode_fit

    local = record.header.started_at.astimezone(timezone(timedelta(hours=2)))
    moved = replace(record, header=replace(record.header, started_at=local))
    assert encode_tcx(moved) == encode_tcx(record)
    assert encode_fit(moved) == encode_fit(record)
