"""The terminal going away, and a database that will not take a finished session."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zonetrainer.cli import main
from zonetrainer.cli.run import _rescued
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.model import SessionState
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.runner import runner_for
from zonetrainer.core.sources.simulated import simulated_source_for
from zonetrainer.core.store import Store, StoreError

PROFILE = Profile(name="Ann", age_years=40.0)


def test_a_closed_pipe_stops_the_printing_not_the_session(tmp_path: Path) -> None:
    """`run ... | head -1`: the live line stops, the session runs to its end and is stored."""
    db = tmp_path / "z.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "zonetrainer", "--db", str(db), "run", "--simulate",
         "--headless", "--plan", "zone2-continuous", "--speed", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, err
    assert "Traceback" not in err
    store = Store.open(db)
    try:
        record = store.load(1)
    finally:
        store.close()
    planned_s = load_plan("zone2-continuous").planned_s
    assert record.summary is not None and record.summary.duration_s == pytest.approx(planned_s)
    assert not [e for e in record.events if "error" in e.detail]


def test_a_list_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    db = tmp_path / "z.sqlite"
    assert main(["--db", str(db), "profile", "add", "Ann", "--age", "40"]) == 0
    proc = subprocess.Popen([sys.executable, "-m", "zonetrainer", "--db", str(db), "profile",
                             "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141 and err == ""


def test_a_session_the_database_will_not_take_is_kept_in_a_fit_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Another program locks the database for good 10 minutes in: the finish gives up (after
    its tries), and the whole session goes to a FIT file that imports back."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = tmp_path / "z.sqlite"
    store = Store.open(db, busy_timeout_s=0.05, retry_pause_s=0.0)
    locker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    plan = load_plan("zone2-continuous")
    runner = runner_for(plan, PROFILE, simulated_source_for(PROFILE, PROFILE.band(), 4),
                        VirtualClock(), store.recorder(), datetime.now(UTC), alpha1_factory=None)

    def lock_later(state: SessionState) -> None:
        if state.elapsed_s >= 600 and not locker.in_transaction:
            locker.execute("BEGIN EXCLUSIVE")

    runner.on_state = lock_later
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            asyncio.run(runner.run())
        assert _rescued(plan, PROFILE, runner, StoreError("database is locked")) == 2
    finally:
        with pytest.raises(StoreError):
            store.close()  # what it could not write, it says once more
        locker.close()
    out = capsys.readouterr().out
    assert "NOT stored in the database (database is locked)" in out
    assert "Time in band" in out  # the summary is shown all the same
    rescued = sorted((tmp_path / "data" / "zonetrainer" / "unsaved").glob("*.fit"))
    assert len(rescued) == 1 and f"zonetrainer import '{rescued[0]}' --athlete 'Ann'" in out

    fresh = tmp_path / "fresh.sqlite"
    assert main(["--db", str(fresh), "import", str(rescued[0])]) == 0
    store = Store.open(fresh)
    try:
        back = store.load(1)
    finally:
        store.close()
    with_hr = [s for s in runner.engine.samples if s.hr_bpm is not None]
    assert len([s for s in back.samples if s.hr_bpm is not None]) == len(with_hr)
