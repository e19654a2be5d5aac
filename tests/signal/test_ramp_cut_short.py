"""A ramp cut short (issue 14), end to end: shipped plan -> engine -> runner -> SQLite. A skipped
step, a skipped ramp or an end mid-ramp is stored "ended early", with how the ramp went, and the
threshold result says so instead of advising a harder ramp; ``zonetrainer ramp-result`` keeps it
and states the one uncertainty the band gets."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.signal.test_ramp_pipeline import AET_BPM
from zonetrainer.cli import main
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.model import SessionRecord, SessionState
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.ramp import EXTRA_KEY as COURSE_KEY
from zonetrainer.core.ramp import RAMP_FINISHED, RampCourse
from zonetrainer.core.runner import SessionRunner, runner_for
from zonetrainer.core.sim import Athlete, AthleteParams
from zonetrainer.core.sources.simulated import SimulatedStrap
from zonetrainer.core.store import Store
from zonetrainer.core.threshold import EXTRA_KEY, ThresholdResult, ramp_uncertainty

#: (state, runner) -> None: an intent sent while the session runs, as the dashboard sends one.
Intent = Callable[[SessionState, SessionRunner], None]


def run_ramp(db: Path, intent: Intent | None = None, seed: int = 21) -> SessionRecord:
    """The shipped ramp for an athlete whose threshold is AET_BPM; the stored record."""
    params = AthleteParams(rest_hr_bpm=58.0, hrmax_bpm=185.0, aet_hr_bpm=AET_BPM,
                           lt2_hr_bpm=AET_BPM + 22.0)
    source = SimulatedStrap(Athlete(params, seed), work_hr_bpm=150.0, rest_hr_bpm=100.0,
                            warmup_hr_bpm=AET_BPM - 35.0, ramp_start_hr_bpm=AET_BPM - 30.0,
                            ramp_step_bpm=6.0)
    holder: list[SessionRunner] = []

    def on_state(state: SessionState) -> None:
        if intent is not None and holder:
            intent(state, holder[0])

    store = Store.open(db)
    try:
        runner = runner_for(load_plan("aerobic-threshold-ramp"),
                            Profile(name="Ann", age_years=40.0, rest_hr_bpm=58.0), source,
                            VirtualClock(), store.recorder(),
                            datetime(2026, 3, 2, 6, 30, tzinfo=UTC), on_state=on_state)
        holder.append(runner)
        session_id, _ = asyncio.run(runner.run())
        return store.load(session_id)
    finally:
        store.close()


def once_at_step(step: int, act: Callable[[SessionRunner], object]) -> Intent:
    """``act`` once, 30 s into ramp step ``step`` (1-based)."""
    done: list[bool] = []

    def intent(state: SessionState, runner: SessionRunner) -> None:
        if not done and state.ramp_step == step - 1 and state.phase_elapsed_s >= 30.0:
            done.append(True)
            act(runner)
    return intent


def result_of(record: SessionRecord) -> ThresholdResult:
    return ThresholdResult.from_json(record.extra[EXTRA_KEY])


def test_a_skipped_step_is_one_step_stored_ended_early_and_said_in_the_result(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "zonetrainer.sqlite"
    record = run_ramp(db, once_at_step(4, SessionRunner.end_interval))
    assert record.status == "ended early"  # the ramp did not run as planned
    reasons = [i.end_reason for i in record.intervals if i.kind == "work"]
    assert reasons.count("step skipped") == 1 and reasons[-1] == RAMP_FINISHED
    course = RampCourse.from_json(record.extra[COURSE_KEY])
    # all ten steps ran, the fourth cut short (this athlete's last step meets the ceiling)
    assert (course.steps_planned, course.steps_begun, course.skipped_steps) == (10, 10, (4,))
    assert course.ran_to_end and not course.as_planned
    result = result_of(record)
    assert result.cut_short.startswith("The ramp did not run as planned: step 4 of 10 was "
                                       "skipped.")
    assert result.ok, result.statement
    assert "+/-" not in result.statement  # one uncertainty, the headline's

    assert main(["--db", str(db), "ramp-result", str(record.session_id)]) == 0
    out = capsys.readouterr().out
    spread = ramp_uncertainty(result)
    assert f"Aerobic threshold: {result.aet_hr_bpm:.0f} +/- {spread:.0f} bpm (bootstrap SD" in out
    assert out.count("+/-") == 1
    assert result.cut_short in out
    store = Store.open(db)
    try:  # the analysis stored again keeps how the ramp went
        assert result_of(store.load(record.session_id)).cut_short == result.cut_short
    finally:
        store.close()

    # Setting a band from a ramp cut short is asked first: no answer keeps the band.
    assert main(["--db", str(db), "profile", "add", "Ann", "--age", "40"]) == 0
    sid = str(record.session_id)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(""))
        assert main(["--db", str(db), "ramp-result", sid, "--apply", "Ann"]) != 0
    err = capsys.readouterr().err
    assert "was cut short" in err and "apply it anyway?" in err
    assert "not applied" in err
    assert main(["--db", str(db), "ramp-result", sid, "--apply", "Ann", "--yes"]) == 0
    assert "profile 'Ann' now uses it" in capsys.readouterr().out


def test_a_ramp_ended_mid_way_says_it_was_cut_short_not_ramp_higher(tmp_path: Path) -> None:
    record = run_ramp(tmp_path / "z.sqlite", once_at_step(3, SessionRunner.end))
    assert record.status == "ended early"
    result = result_of(record)
    assert not result.ok  # three easy steps never reach the threshold
    assert "Ramp higher" not in result.statement
    assert "cut short" in result.statement
    assert result.cut_short == ("The test was cut short at step 3 of 10 (ended by user). A whole "
                                "ramp may give an estimate.")


def test_a_skipped_ramp_block_is_stored_ended_early(tmp_path: Path) -> None:
    record = run_ramp(tmp_path / "z.sqlite", once_at_step(5, SessionRunner.skip))
    assert not any(e.kind == "end" for e in record.events)  # no end: the cool-down ran
    assert record.status == "ended early"
    assert result_of(record).cut_short.startswith(
        "The test was cut short: the ramp was skipped at step 5 of 10.")


def test_a_whole_ramp_is_finished_with_the_bands_uncertainty_in_its_headline(
        tmp_path: Path) -> None:
    record = run_ramp(tmp_path / "z.sqlite")
    assert record.status == "finished"
    result = result_of(record)
    assert result.ok and result.cut_short == ""
    assert RampCourse.from_json(record.extra[COURSE_KEY]).as_planned
    assert result.band().uncertainty_bpm == ramp_uncertainty(result) >= 3.0
