"""Through a real SQLite file: a session recorded by the store's recorder, loaded and exported,
comes back from the FIT file with the stored HR and RR exactly; imports land in the history."""

from __future__ import annotations

from pathlib import Path

from tests.export.records import make_record
from zonetrainer.core.export import export_session
from zonetrainer.core.imports import read_recording, recording_to_record
from zonetrainer.core.imports.fit import read_fit
from zonetrainer.core.model import RecordBatch
from zonetrainer.core.store import Store


def test_stored_session_exports_to_fit_with_hr_and_rr_exactly(tmp_path: Path) -> None:
    original = make_record(quantise_rr=False)
    store = Store.open(tmp_path / "history.sqlite")
    try:
        recorder = store.recorder()
        sid = recorder.begin(original.header)
        for start in range(0, len(original.samples), 120):  # batches, as the runner writes them
            recorder.write(sid, RecordBatch(samples=original.samples[start:start + 120]))
        recorder.write(sid, RecordBatch(intervals=original.intervals, events=original.events,
                                        alpha1=original.alpha1))
        assert original.summary is not None
        recorder.finish(sid, original.summary)
        store.flush()
        stored = store.load(sid)
    finally:
        store.close()
    (path,) = export_session(stored, "fit", tmp_path / "stored.fit")
    back = read_fit(path)
    assert [(s.t_s, s.hr_bpm, s.rr_ms) for s in back.samples] == \
        [(s.t_s, s.hr_bpm, s.rr_ms) for s in stored.samples]
    assert sum(len(s.rr_ms) for s in back.samples) == sum(len(s.rr_ms) for s in original.samples)


def test_imported_recordings_land_in_the_history(tmp_path: Path, data_dir: Path) -> None:
    store = Store.open(tmp_path / "history.sqlite")
    try:
        recording = read_recording(data_dir / "fit" / "garmin-fenix-5-run.fit")
        sid = store.import_record(recording_to_record(recording))
        loaded = store.load(sid)
        (listing,) = store.list_sessions()
    finally:
        store.close()
    assert loaded.status == "imported" and listing.status == "imported"
    assert [(s.t_s, s.hr_bpm, s.rr_ms) for s in loaded.samples] == \
        [(s.t_s, s.hr_bpm, s.rr_ms) for s in recording.samples]
    assert loaded.header.started_at == recording.started_at
    assert len(loaded.intervals) == len(recording.laps) == 1


def test_a_replayed_session_through_engine_and_store_exports_exactly(tmp_path: Path,
                                                                     data_dir: Path) -> None:
    """The whole way: a real ride replayed through the engine and controller into a real SQLite
    file, loaded, exported to FIT and TCX: laps are the engine's intervals, HR and RR exact."""
    import asyncio

    from lxml import etree

    from tests.export.conftest import XSD
    from tests.export.test_fit_export import garmin_decode
    from zonetrainer.core.clock import VirtualClock
    from zonetrainer.core.engine import SessionEngine
    from zonetrainer.core.export.tcx import encode_tcx
    from zonetrainer.core.model import SessionHeader
    from zonetrainer.core.plan import load_plan
    from zonetrainer.core.profile import Profile
    from zonetrainer.core.runner import SessionRunner
    from zonetrainer.core.sources.replay import ReplaySource

    recording = read_recording(data_dir / "fit" / "sample-activity-indoor-trainer.fit")
    profile = Profile(age_years=35.0, rest_hr_bpm=55.0)
    band, zones = profile.band(), profile.zones()
    plan = load_plan("fatmax-intervals")
    clock = VirtualClock()
    source = ReplaySource(recording, clock)
    assert recording.started_at is not None
    header = SessionHeader(recording.started_at, plan.name, profile.name, band, zones,
                           source.source_id, sport="cycling")
    store = Store.open(tmp_path / "history.sqlite")
    try:
        runner = SessionRunner(SessionEngine(plan, band, zones, profile.safety_ceiling_bpm),
                               source, clock, store.recorder(), header)
        sid, _ = asyncio.run(runner.run())
        store.flush()
        stored = store.load(sid)
    finally:
        store.close()
    assert len(stored.intervals) >= 3
    (path,) = export_session(stored, "fit", tmp_path / "replayed.fit")
    data = path.read_bytes()
    laps = garmin_decode(data)["lap_mesgs"]
    intensity = {"warmup": "warmup", "work": "active", "rest": "rest", "cooldown": "cooldown"}
    assert [lap["intensity"] for lap in laps] == [intensity[i.kind] for i in stored.intervals]
    assert [lap["total_elapsed_time"] for lap in laps] == \
        [round(i.actual_s, 3) for i in stored.intervals]
    back = read_fit(path)
    assert [(s.hr_bpm, s.rr_ms) for s in back.samples] == \
        [(s.hr_bpm, s.rr_ms) for s in stored.samples]
    assert [s.hr_bpm for s in stored.samples] == [s.hr_bpm for s in recording.samples]
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.fromstring(encode_tcx(stored))), str(schema.error_log)
