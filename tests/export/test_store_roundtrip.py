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
