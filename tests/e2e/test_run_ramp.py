"""A ramp session stores its aerobic-threshold result by itself, and ``zonetrainer run`` prints
it: the simulated athlete (RR with a known threshold), a virtual clock and a real SQLite file.
That the stored result finds the athlete's threshold is checked in
tests/signal/test_ramp_pipeline.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.signal.test_ramp_pipeline import run_ramp_session
from zonetrainer.cli import main
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.plan import Plan, parse_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.store import Store
from zonetrainer.core.threshold import EXTRA_KEY, ThresholdResult

#: Two minutes of ramp: fewer alpha1 readings than a fit needs.
SHORT_RAMP = """title = "Short ramp"
[[block]]
kind = "ramp"
steps = 2
step_s = 60
"""


def run_and_load(db: Path, plan: Plan) -> SessionRecord:
    session_id = run_ramp_session(db, seed=21, plan=plan)
    store = Store.open(db)
    try:
        return store.load(session_id)
    finally:
        store.close()


def test_a_session_without_a_ramp_stores_no_threshold(tmp_path: Path) -> None:
    plan = parse_plan(SHORT_RAMP.replace('kind = "ramp"\nsteps = 2\nstep_s = 60',
                                         'kind = "steady"\nduration_s = 120'))
    record = run_and_load(tmp_path / "z.sqlite", plan)
    assert record.status == "finished" and EXTRA_KEY not in record.extra


def test_a_too_short_ramp_stores_the_plain_reason(tmp_path: Path) -> None:
    record = run_and_load(tmp_path / "z.sqlite", parse_plan(SHORT_RAMP))
    stored = ThresholdResult.from_json(record.extra[EXTRA_KEY])
    assert not stored.ok and stored.aet_hr_bpm is None
    assert "usable alpha1 readings" in stored.statement


def test_run_prints_the_threshold_and_how_to_apply_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "z.sqlite"
    assert main(["--db", str(db), "profile", "add", "Ann", "--age", "40",
                 "--rest-hr", "58"]) == 0
    capsys.readouterr()
    code = main(["--db", str(db), "run", "--simulate", "--headless", "--plan",
                 "aerobic-threshold-ramp", "--speed", "0", "--seed", "2", "--athlete", "Ann"])
    out, err = capsys.readouterr()
    assert code == 0, err
    store = Store.open(db)
    try:
        (listing,) = store.list_sessions()
        result = ThresholdResult.from_json(store.load(listing.id).extra[EXTRA_KEY])
    finally:
        store.close()
    assert result.ok, result.statement  # the simulated athlete's RR carries a threshold
    assert result.aet_hr_bpm is not None and result.uncertainty_bpm is not None
    # the one uncertainty the band gets, with what it is (issue 14)
    assert (f"Aerobic threshold: {result.aet_hr_bpm:.0f} +/- "
            f"{result.band().uncertainty_bpm:.0f} bpm (bootstrap SD") in out
    assert f"R^2 {result.r2}" in out
    command = f"zonetrainer ramp-result {listing.id} --apply Ann"
    assert out.rstrip().endswith(command)
    # The printed command works as printed.
    assert main(["--db", str(db), *command.split()[1:]]) == 0
    store = Store.open(db)
    try:
        profile = Profile.from_json(dict(store.athletes())["Ann"])
    finally:
        store.close()
    assert profile.aet_bpm == round(result.aet_hr_bpm) and profile.band_method == "aet_dfa"


def test_run_says_why_a_ramp_gave_no_threshold(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "short-ramp.toml"
    plan.write_text(SHORT_RAMP)
    code = main(["--db", str(tmp_path / "z.sqlite"), "run", "--simulate", "--headless",
                 "--plan", str(plan), "--speed", "0", "--age", "40", "--no-save"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "No aerobic threshold from this session. Only " in out
    assert "ramp-result" not in out
