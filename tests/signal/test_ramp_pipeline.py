"""The ramp session end to end: shipped plan -> engine (live alpha1) -> runner -> SQLite ->
threshold, then ``zonetrainer ramp-result --apply`` sets the athlete's band from it."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zonetrainer.cli import main
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.plan import Plan, load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.runner import runner_for
from zonetrainer.core.sim import Athlete, AthleteParams
from zonetrainer.core.sources.simulated import SimulatedStrap
from zonetrainer.core.store import Store
from zonetrainer.core.threshold import (
    EXTRA_KEY,
    ThresholdResult,
    analyse_record,
    ramp_uncertainty,
)

AET_BPM = 141.0


def run_ramp_session(db: Path, seed: int, plan: Plan | None = None) -> int:
    """The shipped ramp plan (or ``plan``) with an athlete whose threshold is AET_BPM."""
    plan = plan or load_plan("aerobic-threshold-ramp")
    profile = Profile(name="Ann", age_years=40.0, rest_hr_bpm=58.0)
    params = AthleteParams(rest_hr_bpm=58.0, hrmax_bpm=185.0, aet_hr_bpm=AET_BPM,
                           lt2_hr_bpm=AET_BPM + 22.0)
    source = SimulatedStrap(Athlete(params, seed), work_hr_bpm=150.0, rest_hr_bpm=100.0,
                            warmup_hr_bpm=AET_BPM - 35.0, ramp_start_hr_bpm=AET_BPM - 30.0,
                            ramp_step_bpm=6.0)
    store = Store.open(db)
    try:
        runner = runner_for(plan, profile, source, VirtualClock(), store.recorder(),
                            datetime(2026, 3, 2, 6, 30, tzinfo=UTC))
        session_id, _ = asyncio.run(runner.run())
    finally:
        store.close()
    return session_id


def test_ramp_through_the_pipeline_finds_the_threshold_and_sets_the_band(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "zonetrainer.sqlite"
    session_id = run_ramp_session(db, seed=21)
    store = Store.open(db)
    try:
        record = store.load(session_id)
    finally:
        store.close()
    assert len(record.alpha1) > 80  # a reading every 20 s over 43 minutes, as stored live
    assert sum(r.usable for r in record.alpha1) > 0.8 * len(record.alpha1)
    result = analyse_record(record)
    assert result.ok, result.statement
    assert result.aet_hr_bpm is not None and abs(result.aet_hr_bpm - AET_BPM) <= 5.0
    # The runner stored the same result when the session finished.
    assert ThresholdResult.from_json(record.extra[EXTRA_KEY]) == result

    assert main(["--db", str(db), "profile", "add", "Ann", "--age", "40",
                 "--rest-hr", "58"]) == 0
    assert main(["--db", str(db), "ramp-result", str(session_id), "--apply", "Ann"]) == 0
    out = capsys.readouterr().out
    assert (f"Aerobic threshold: {result.aet_hr_bpm:.0f} +/- {ramp_uncertainty(result):.0f} bpm "
            "(bootstrap SD") in out  # the band's figure (issue 14), not the bare SD
    store = Store.open(db)
    try:
        stored = dict(store.athletes())["Ann"]
        extra = store.load(session_id).extra[EXTRA_KEY]
    finally:
        store.close()
    assert ThresholdResult.from_json(extra) == result
    profile = Profile.from_json(stored)
    assert profile.aet_bpm == round(result.aet_hr_bpm) and profile.band_method == "aet_dfa"
    band = profile.band()
    assert (band.low_bpm, band.high_bpm) == (profile.aet_bpm - 10, profile.aet_bpm)
    assert f"ramp session {session_id}" in band.source
    assert json.loads(stored)["name"] == "Ann"
    # Issue 16, point 15: the band carries the ramp's own uncertainty, not a default 5 bpm.
    assert result.uncertainty_bpm is not None
    assert band.uncertainty_bpm == round(max(result.uncertainty_bpm, 3.0), 1)

    # Ann's ramp is not Ben's: without a yes nothing changes; with --yes it is applied.
    assert main(["--db", str(db), "profile", "add", "Ben", "--age", "30"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "ramp-result", str(session_id), "--apply", "Ben"]) == 2
    err = capsys.readouterr().err
    assert "Ann's ramp" in err and "not applied" in err and "--yes" in err
    store = Store.open(db)
    try:
        assert Profile.from_json(dict(store.athletes())["Ben"]).aet_bpm is None
    finally:
        store.close()
    assert main(["--db", str(db), "ramp-result", str(session_id), "--apply", "Ben",
                 "--yes"]) == 0


def test_ramp_result_of_a_session_without_rr_says_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "z.sqlite"
    assert main(["--db", str(db), "run", "--simulate", "--headless", "--plan",
                 "fatmax-intervals", "--speed", "0", "--seed", "3"]) == 0
    walk = Path(__file__).resolve().parents[1] / "data" / "fit" / "garmin-fenix-5-walk.fit"
    assert main(["--db", str(db), "import", str(walk)]) == 0
    capsys.readouterr()
    # An interval session is no ramp test: refused in words, nothing stored on it.
    assert main(["--db", str(db), "ramp-result", "1"]) == 2
    assert "ran 'fatmax-intervals', which has no ramp block" in capsys.readouterr().err
    store = Store.open(db)
    try:
        assert EXTRA_KEY not in store.load(1).extra
    finally:
        store.close()
    # An imported recording may be a ramp done elsewhere; this one has no RR: a plain reason.
    assert main(["--db", str(db), "ramp-result", "2"]) == 1
    assert "No aerobic threshold from this session." in capsys.readouterr().out
    assert main(["--db", str(db), "profile", "add", "Bo", "--age", "30"]) == 0
    assert main(["--db", str(db), "ramp-result", "2", "--apply", "Bo"]) == 2
    assert "no threshold to apply" in capsys.readouterr().err
    assert main(["--db", str(db), "ramp-result", "999"]) == 2
