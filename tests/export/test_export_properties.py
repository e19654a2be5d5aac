"""Any session, not just the hand-made one: every FIT written decodes cleanly with both decoders
and gives back HR and RR exactly; every TCX validates against the schema."""

from __future__ import annotations

import io
import tempfile
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import fitdecode
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.export.conftest import XSD
from tests.export.records import make_record
from tests.export.test_fit_export import garmin_decode
from tests.export.test_imports import GOOD_FIT
from zonetrainer.core.export.fit import encode_fit
from zonetrainer.core.export.tcx import encode_tcx
from zonetrainer.core.imports import read_recording, recording_to_record
from zonetrainer.core.imports.fit import read_fit
from zonetrainer.core.model import HeartRateSample, IntervalRecord, SessionRecord

_BASE = make_record()
_SCHEMA = etree.XMLSchema(etree.parse(str(XSD)))
KINDS = ("warmup", "work", "rest", "cooldown")


@st.composite
def sessions(draw: st.DrawFn) -> SessionRecord:
    steps = draw(st.lists(st.integers(1, 3), min_size=1, max_size=90))
    samples = []
    t = 0
    for step in steps:
        hr = draw(st.one_of(st.none(), st.integers(30, 230)))
        rr = () if hr is None else tuple(float(v) for v in draw(
            st.lists(st.integers(250, 2000), max_size=7)))
        samples.append(HeartRateSample(float(t), None if hr is None else float(hr), rr,
                                       hr is not None))
        t += step
    cuts = sorted(set(draw(st.lists(st.integers(1, max(1, t - 1)), max_size=4))))
    edges = [0, *[c for c in cuts if 0 < c < t], t]
    intervals = tuple(
        IntervalRecord(i, draw(st.sampled_from(KINDS)), float(a), float(b),  # type: ignore[arg-type]
                       float(draw(st.integers(0, 600))), draw(st.text(max_size=20)))
        for i, (a, b) in enumerate(pairwise(edges)) if b > a)
    summary = draw(st.sampled_from([None, _BASE.summary]))
    return replace(_BASE, samples=tuple(samples), intervals=intervals, summary=summary,
                   alpha1=())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_every_fit_decodes_and_round_trips(record: SessionRecord) -> None:
    data = encode_fit(record)
    messages = garmin_decode(data)
    assert len(messages["lap_mesgs"]) == max(1, len(record.intervals))
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED,
                             error_handling=fitdecode.ErrorHandling.RAISE) as reader:
        names = [f.name for f in reader if isinstance(f, fitdecode.FitDataMessage)]
    assert names.count("record") == len(record.samples)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.fit"
        path.write_bytes(data)
        back = read_fit(path)
    assert [(s.t_s, s.hr_bpm, s.rr_ms) for s in back.samples] == \
        [(s.t_s, s.hr_bpm, s.rr_ms) for s in record.samples]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_every_tcx_validates(record: SessionRecord) -> None:
    doc = etree.fromstring(encode_tcx(record))
    assert _SCHEMA.validate(doc), str(_SCHEMA.error_log)


@pytest.mark.parametrize("name", [*(f"fit/{n}" for n in GOOD_FIT),
                                  "tcx/activity_5039744860.tcx"])
def test_imported_recordings_export_cleanly(data_dir: Path, name: str) -> None:
    """Other apps' recordings, once in the history, export like our own sessions."""
    record = recording_to_record(read_recording(data_dir / name))
    data = encode_fit(record)
    messages = garmin_decode(data)
    assert len(messages["record_mesgs"]) == len(record.samples)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.fit"
        path.write_bytes(data)
        back = read_fit(path)
    assert [(s.hr_bpm, s.rr_ms) for s in back.samples] == \
        [(s.hr_bpm, s.rr_ms) for s in record.samples]
    assert _SCHEMA.validate(etree.fromstring(encode_tcx(record))), str(_SCHEMA.error_log)
