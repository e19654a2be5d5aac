"""FIT export: decoded by Garmin's SDK without integrity errors and by fitdecode; laps, records,
hrv and summary messages match the session; HR and RR come back exactly."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from garmin_fit_sdk import Decoder, Stream

from tests.export.records import STARTED_AT, make_record
from zonetrainer.core.export import export_session
from zonetrainer.core.export.fit import encode_fit, fit_sport
from zonetrainer.core.imports.fit import read_fit
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.signal import mean_hr_bpm


def garmin_decode(data: bytes) -> dict[str, Any]:
    assert Decoder(Stream.from_byte_array(bytearray(data))).is_fit()
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return dict(messages)


def fitdecode_counts(data: bytes) -> dict[str, int]:
    counts: dict[str, int] = {}
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED,
                             error_handling=fitdecode.ErrorHandling.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                counts[frame.name] = counts.get(frame.name, 0) + 1
    return counts


def test_garmin_sdk_and_fitdecode_read_it_without_errors(record: SessionRecord) -> None:
    data = encode_fit(record)
    messages = garmin_decode(data)
    counts = fitdecode_counts(data)
    for name in ("file_id", "record", "hrv", "lap", "session", "activity"):
        assert counts[name] == len(messages[f"{name}_mesgs"]), name
    assert messages["file_id_mesgs"][0]["type"] == "activity"
    assert counts["record"] == len(record.samples)


def test_a_lap_per_interval_with_its_intensity(record: SessionRecord) -> None:
    laps = garmin_decode(encode_fit(record))["lap_mesgs"]
    assert len(laps) == len(record.intervals)
    expected = {"warmup": "warmup", "work": "active", "rest": "rest", "cooldown": "cooldown"}
    for lap, interval in zip(laps, record.intervals, strict=True):
        assert lap["intensity"] == expected[interval.kind]
        assert lap["start_time"] == STARTED_AT + _s(interval.start_s)
        assert lap["total_elapsed_time"] == pytest.approx(interval.actual_s, abs=1e-3)
        assert lap["avg_heart_rate"] == round(interval.avg_hr_bpm or 0)
        assert lap["max_heart_rate"] == round(interval.max_hr_bpm or 0)
    assert laps[-1]["lap_trigger"] == "session_end"


def _s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def test_a_record_each_second_with_the_stored_heart_rate(record: SessionRecord) -> None:
    records = garmin_decode(encode_fit(record))["record_mesgs"]
    assert len(records) == len(record.samples)
    for fit_record, sample in zip(records, record.samples, strict=True):
        assert fit_record["timestamp"] == STARTED_AT + _s(sample.t_s)
        # A signal loss is a record without heart rate, never a stale or zero value.
        assert fit_record.get("heart_rate") == sample.hr_bpm
    steps = {(b["timestamp"] - a["timestamp"]).total_seconds()
             for a, b in pairwise(records)}
    assert steps == {1.0}


def test_rr_as_hrv_messages_of_at_most_five_seconds_values(exact_record: SessionRecord) -> None:
    hrv = garmin_decode(encode_fit(exact_record))["hrv_mesgs"]
    values: list[float] = []
    for mesg in hrv:
        times = mesg["time"] if isinstance(mesg["time"], list) else [mesg["time"]]
        assert 1 <= len(times) <= 5
        values += times
    stored = [rr for s in exact_record.samples for rr in s.rr_ms]
    assert [round(v * 1000.0) for v in values] == stored


def test_hr_and_rr_come_back_exactly(exact_record: SessionRecord, tmp_path: Path) -> None:
    export_session(exact_record, "fit", tmp_path / "s.fit")
    back = read_fit(tmp_path / "s.fit")
    assert back.warnings == ()
    assert back.started_at == STARTED_AT
    assert [(s.t_s, s.hr_bpm, s.rr_ms) for s in back.samples] == \
        [(s.t_s, s.hr_bpm, s.rr_ms) for s in exact_record.samples]
    assert [(lap.kind, lap.start_s, lap.end_s) for lap in back.laps] == \
        [(i.kind, i.start_s, i.end_s) for i in exact_record.intervals]


def test_strap_rr_in_1024ths_come_back_to_the_nearest_millisecond(record: SessionRecord,
                                                                 tmp_path: Path) -> None:
    export_session(record, "fit", tmp_path / "s.fit")
    back = read_fit(tmp_path / "s.fit")
    got = [rr for s in back.samples for rr in s.rr_ms]
    stored = [rr for s in record.samples for rr in s.rr_ms]
    assert len(got) == len(stored)
    assert max(abs(a - b) for a, b in zip(got, stored, strict=True)) <= 0.5
    assert any(a != b for a, b in zip(got, stored, strict=True))  # they really were 1/1024 s


def test_session_and_activity_summarise_it(record: SessionRecord) -> None:
    messages = garmin_decode(encode_fit(record))
    (session,) = messages["session_mesgs"]
    (activity,) = messages["activity_mesgs"]
    assert record.summary is not None
    assert session["num_laps"] == len(record.intervals)
    assert session["total_elapsed_time"] == record.summary.duration_s
    assert session["avg_heart_rate"] == round(record.summary.avg_hr_bpm or 0)
    assert session["max_heart_rate"] == round(record.summary.max_hr_bpm or 0)
    assert session["sport"] == "running"
    assert activity["num_sessions"] == 1


def test_a_session_without_intervals_gets_one_lap_over_all_of_it() -> None:
    record = replace(make_record(), intervals=())
    laps = garmin_decode(encode_fit(record))["lap_mesgs"]
    assert len(laps) == 1
    assert laps[0]["total_elapsed_time"] == record.summary.duration_s  # type: ignore[union-attr]


def test_an_empty_unfinished_session_is_still_a_valid_file() -> None:
    record = replace(make_record(), samples=(), intervals=(), summary=None, status="running")
    messages = garmin_decode(encode_fit(record))
    assert messages["session_mesgs"][0]["num_laps"] == 1


@pytest.mark.parametrize(("ours", "fit"), [("running", ("running", "generic")),
                                           ("strength", ("training", "strength_training")),
                                           ("Cycling", ("cycling", "generic")),
                                           ("underwater basket weaving", ("generic", "generic"))])
def test_sport_names_map_onto_fit(ours: str, fit: tuple[str, str]) -> None:
    assert fit_sport(ours) == fit


def test_lap_heart_rate_is_counted_when_the_interval_has_none(record: SessionRecord) -> None:
    bare = replace(record, intervals=tuple(replace(i, avg_hr_bpm=None, max_hr_bpm=None)
                                           for i in record.intervals))
    laps = garmin_decode(encode_fit(bare))["lap_mesgs"]
    for lap, interval in zip(laps, record.intervals, strict=True):
        inside = [s for s in record.samples
                  if interval.start_s <= s.t_s < interval.end_s and s.hr_bpm is not None]
        own = [s.hr_bpm for s in inside if s.hr_bpm is not None]
        # Time-weighted (issue 16): each reading by the beats it reports.
        assert lap["avg_heart_rate"] == round(mean_hr_bpm(inside) or 0.0)
        assert abs(lap["avg_heart_rate"] - sum(own) / len(own)) < 2.0
        assert lap["max_heart_rate"] == round(max(own))
