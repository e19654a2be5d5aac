"""FIT carries the effort (power or speed per record, per lap and per session) and keeps the
timer (moving) time apart from the elapsed time, read back by Garmin's SDK, fitdecode and our
own importer; a real recording with pauses keeps its timer time through import and re-export."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from garmin_fit_sdk import Decoder, Stream

from tests.export.effort_records import PAUSE, effort_record
from tests.export.test_fit_export import garmin_decode
from zonetrainer.core.export import export_session
from zonetrainer.core.export.fit import encode_fit
from zonetrainer.core.imports import read_recording, recording_to_record
from zonetrainer.core.store import Store

NICK = Path(__file__).parents[1] / "data" / "fit" / "nick.fit"


def _fitdecode(data: bytes, name: str) -> list[dict[str, Any]]:
    out = []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED,
                             error_handling=fitdecode.ErrorHandling.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == name:
                out.append({f.name: f.value for f in frame.fields})
    return out


def test_records_carry_speed_and_grade_read_back_by_both_decoders() -> None:
    record = effort_record("km/h")
    data = encode_fit(record)
    records = garmin_decode(data)["record_mesgs"]
    with_speed = [r for r in records if "speed" in r]
    assert len(with_speed) == len(record.efforts)  # every reading has its own second
    # Each rode on its sample's record, except in the 6 s strap gap (no heart rate to ride on).
    assert len(records) == len(record.samples) + 6
    by_t = {round(e.t_s): e for e in record.efforts}
    for r in with_speed[:50]:
        effort = by_t[round((r["timestamp"] - records[0]["timestamp"]).total_seconds())]
        assert r["speed"] == pytest.approx((effort.value or 0) / 3.6, abs=0.00051)  # 1/1000 m/s
        assert r["grade"] == pytest.approx(1.0)
    decoded = _fitdecode(data, "record")
    assert sum(1 for r in decoded if r.get("speed") is not None) == len(record.efforts)


def test_records_carry_power_and_laps_their_mean() -> None:
    record = effort_record("W")
    messages = garmin_decode(encode_fit(record))
    powers = [r["power"] for r in messages["record_mesgs"] if "power" in r]
    assert powers == [round(e.value or 0) for e in record.efforts]
    for lap, interval in zip(messages["lap_mesgs"], record.intervals, strict=True):
        assert lap["avg_power"] == round(interval.avg_effort or 0)
    session = messages["session_mesgs"][0]
    values = [e.value or 0 for e in record.efforts]
    assert session["avg_power"] == round(sum(values) / len(values))
    assert session["max_power"] == round(max(values))
    treadmill = effort_record("km/h")
    laps = garmin_decode(encode_fit(treadmill))["lap_mesgs"]
    for lap, interval in zip(laps, treadmill.intervals, strict=True):
        assert lap["avg_speed"] == pytest.approx((interval.avg_effort or 0) / 3.6, abs=0.00051)


def test_timer_and_elapsed_stay_apart_with_a_pause() -> None:
    record = effort_record("km/h")
    data = encode_fit(record)
    messages = garmin_decode(data)
    paused = PAUSE[1] - PAUSE[0]
    assert record.summary is not None
    session = messages["session_mesgs"][0]
    assert session["total_elapsed_time"] == pytest.approx(record.summary.duration_s)
    assert session["total_timer_time"] == pytest.approx(record.summary.duration_s - paused)
    assert messages["activity_mesgs"][0]["total_timer_time"] == pytest.approx(
        record.summary.duration_s - paused)
    laps = messages["lap_mesgs"]
    assert laps[1]["total_elapsed_time"] == pytest.approx(record.intervals[1].actual_s)
    assert laps[1]["total_timer_time"] == pytest.approx(record.intervals[1].actual_s - paused)
    assert laps[2]["total_timer_time"] == pytest.approx(record.intervals[2].actual_s)
    timer = [(e["event_type"], (e["timestamp"] - messages["record_mesgs"][0]["timestamp"])
              .total_seconds()) for e in messages["event_mesgs"] if e["event"] == "timer"]
    assert ("stop_all", PAUSE[0]) in timer and ("start", PAUSE[1]) in timer
    fd_session = _fitdecode(data, "session")[0]
    assert fd_session["total_timer_time"] == pytest.approx(record.summary.duration_s - paused)


def test_our_fit_imports_back_with_effort_timer_and_pause(tmp_path: Path) -> None:
    record = effort_record("km/h")
    out = tmp_path / "s.fit"
    export_session(record, "fit", out)
    recording = read_recording(out)
    assert recording.pauses == (PAUSE,)
    assert record.summary is not None
    assert recording.timer_s == pytest.approx(record.summary.duration_s - 60.0)
    assert len(recording.samples) == len(record.samples)
    assert [e.value for e in recording.efforts] == pytest.approx(
        [e.value for e in record.efforts], abs=0.002)
    assert {e.unit for e in recording.efforts} == {"km/h"}
    back = recording_to_record(recording)
    assert back.summary is not None and back.summary.timer_s == pytest.approx(
        record.summary.timer_s)
    assert back.intervals[1].avg_effort == pytest.approx(record.intervals[1].avg_effort,
                                                         abs=0.002)
    assert back.intervals[1].timer_s == pytest.approx(record.intervals[1].timer_s)


def test_real_recording_with_pauses_keeps_its_timer_through_the_history(tmp_path: Path
                                                                        ) -> None:
    """nick.fit (a Sigma ROX ride, 4.6 h, cut off before its session message): 17 timer
    events, 8 pauses. Summed by hand from the event list: running spans -1..144, 148..2764,
    3020..6917, 6921..7116, 7880..9313, 9390..10674, 11780..13266, 13352..15584, 15628..end
    (the last record, 16723 s): 14383 s of timer time; 2341 s paused."""
    recording = read_recording(NICK)
    assert recording.timer_s == pytest.approx(14383.0)
    assert len(recording.pauses) == 8
    assert sum(b - a for a, b in recording.pauses) == pytest.approx(2341.0)
    assert recording.duration_s == pytest.approx(16723.0)
    store = Store.open(tmp_path / "z.sqlite")
    try:
        sid = store.import_record(recording_to_record(recording))
        stored = store.load(sid)
    finally:
        store.close()
    assert stored.summary is not None
    assert stored.summary.timer_s == pytest.approx(14383.0)
    assert stored.summary.duration_s == pytest.approx(16723.0)
    messages = garmin_decode(encode_fit(stored))
    session = messages["session_mesgs"][0]
    assert session["total_timer_time"] == pytest.approx(14383.0)
    assert session["total_elapsed_time"] == pytest.approx(16723.0)
    again = tmp_path / "again.fit"
    again.write_bytes(encode_fit(stored))
    assert read_recording(again).timer_s == pytest.approx(14383.0)


def test_a_device_session_timer_survives_import_and_export(tmp_path: Path) -> None:
    """4801048867.fit (a Forerunner 935): its session message says 5158.557 s of timer time;
    its last record is 5159.4 s after the start."""
    path = NICK.with_name("4801048867.fit")
    [session] = garmin_decode_file(path)["session_mesgs"]
    recording = read_recording(path)
    assert recording.timer_s == session["total_timer_time"] == pytest.approx(5158.557)
    record = recording_to_record(recording)
    store = Store.open(tmp_path / "z.sqlite")
    try:
        stored = store.load(store.import_record(record))
    finally:
        store.close()
    out = tmp_path / "again.fit"
    export_session(stored, "fit", out)
    [again] = garmin_decode(out.read_bytes())["session_mesgs"]
    assert again["total_timer_time"] == pytest.approx(5158.557)
    assert again["total_elapsed_time"] == pytest.approx(recording.duration_s)
    laps = garmin_decode(out.read_bytes())["lap_mesgs"]
    own = garmin_decode_file(path)["lap_mesgs"]
    assert [lap["total_timer_time"] for lap in laps] == pytest.approx(
        [lap["total_timer_time"] for lap in own])


def test_a_foreign_power_file_reads_its_power(tmp_path: Path) -> None:
    """sample-activity-indoor-trainer.fit (an Edge 800 on a trainer): power in its records and
    avg_power in its laps."""
    path = NICK.with_name("sample-activity-indoor-trainer.fit")
    raw = garmin_decode_file(path)
    with_power = [m for m in raw["record_mesgs"] if isinstance(m.get("power"), int)]
    recording = read_recording(path)
    assert len(recording.efforts) == len(with_power) > 2000
    assert {e.unit for e in recording.efforts} == {"W"}
    assert [e.value for e in recording.efforts] == [float(m["power"]) for m in with_power]
    record = recording_to_record(recording)
    assert [i.avg_effort for i in record.intervals] == [
        float(lap["avg_power"]) for lap in raw["lap_mesgs"]]


def garmin_decode_file(path: Path) -> dict[str, Any]:
    messages, _ = Decoder(Stream.from_file(str(path))).read()
    return dict(messages)
