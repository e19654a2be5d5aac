"""Crash safety: SIGKILL a process in the middle of a session; the next start finds it."""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support import store_data as data
from zonetrainer.core.imports import read_recording
from zonetrainer.core.runner import BATCH_EVERY_S, REAL_TICK_S
from zonetrainer.core.signal import summarize
from zonetrainer.core.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]
SPEED = 20.0  # 2 s of session time = 0.1 s of wall time between batches
KILL_AFTER_S = 24.0


def _kill_mid_session(db: Path) -> tuple[int, float]:
    """Start the driver, SIGKILL it once it has handed over KILL_AFTER_S; (session id, last t)."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.store.crash_driver", str(db),
                             str(SPEED)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        session_id = int(proc.stdout.readline().split()[1])
        handed = 0.0
        while handed < KILL_AFTER_S:
            line = proc.stdout.readline()
            assert line, "the driver ended early"
            handed = float(line.split()[1])
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()  # reaped, so its pid is gone and the session counts as interrupted
    assert proc.returncode == -signal.SIGKILL
    return session_id, handed


def test_sigkill_loses_at_most_the_last_two_seconds(tmp_path: Path) -> None:
    db = tmp_path / "zonetrainer.sqlite"
    session_id, handed_s = _kill_mid_session(db)
    expected = [s for b in data.batches(3600.0) for s in b.samples]
    store = Store.open(db)
    try:
        [found] = store.interrupted()
        assert found.id == session_id and found.status == "running"
        record = store.load(session_id)
        stored = record.samples
        must_have = [s for s in expected if s.t_s < handed_s - 2.0]
        assert len(must_have) > 20
        assert stored[:len(must_have)] == tuple(must_have)
        # Exactly what the driver produced, in order, with nothing torn or duplicated.
        assert stored == tuple(expected[:len(stored)])
        store.resolve_interrupted(session_id, keep=True)
        kept = store.load(session_id)
        assert kept.status == "interrupted"
        assert kept.summary is not None
        assert kept.summary == replace(summarize(stored, record.intervals, data.BAND, data.ZONES),
                                       timer_s=kept.summary.duration_s)  # no pause in it
        assert kept.summary.sample_count == len(stored) and kept.summary.duration_s > 20
        assert store.interrupted() == []
        [listed] = store.list_sessions()
        assert listed.status == "interrupted" and listed.trimp is not None
    finally:
        store.close()


def test_live_and_foreign_sessions_are_not_interrupted(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        rec = store.recorder()
        live = rec.begin(data.header())  # written by this very process: alive
        rec.flush()
        assert store.interrupted() == []
        with pytest.raises(StoreError, match=f"session {live} is not an interrupted"):
            store.resolve_interrupted(live, keep=True)
    finally:
        store.close()


FIT = ROOT / "tests" / "data" / "fit" / "4801048867.fit"  # 1 Hz HR, MIT (sweat), see README


def test_sigkill_of_the_real_engine_replaying_a_fit_file(tmp_path: Path) -> None:
    """The engine's runner writes a batch every BATCH_EVERY_S of session time and checks once a
    tick, so what was handed over before a state at ``elapsed`` reaches elapsed - 2 s - 1 tick."""
    db = tmp_path / "zonetrainer.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "tests.store.engine_crash_driver", str(db),
                             str(FIT), str(SPEED)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        elapsed = 0.0
        while elapsed < KILL_AFTER_S:
            line = proc.stdout.readline()
            assert line, "the driver ended early"
            elapsed = float(line.split()[1])
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    recorded = read_recording(FIT).samples
    store = Store.open(db)
    try:
        [found] = store.interrupted()
        stored = store.load(found.id).samples
    finally:
        store.close()
    assert stored, "nothing was stored"
    origin_s = stored[0].t_s - recorded[0].t_s  # the replay re-times samples onto the session
    for got, want in zip(stored, recorded, strict=False):
        assert (got.hr_bpm, got.rr_ms, got.contact) == (want.hr_bpm, want.rr_ms, want.contact)
        assert got.t_s == pytest.approx(want.t_s + origin_s, abs=1e-9)
    must_have = [s for s in recorded if s.t_s + origin_s < elapsed - BATCH_EVERY_S - REAL_TICK_S]
    assert len(must_have) >= 10, f"replay started late (at {origin_s:.1f} s): nothing to check"
    assert len(stored) >= len(must_have)
