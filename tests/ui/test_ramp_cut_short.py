"""A ramp cut short, on the dashboard (issue 14): Ctrl+N skips one step without a question and
asks before the last; a ramp that did not run as planned is stored "ended early" and its result
dialog (after the session and from History) says so, instead of "ramp higher". Real engine,
simulated athlete, real SQLite in tmp_path; the Ctrl+N shortcut itself is activated."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence, QShortcut
from pytestqt.qtbot import QtBot

from zonetrainer.core.model import SessionState
from zonetrainer.core.threshold import EXTRA_KEY, ThresholdResult
from zonetrainer.ui import outcomes
from zonetrainer.ui.main_window import MainWindow

from .conftest import Answers
from .test_after_session import ANN, run_plan, short_ramp, shown, window


def ctrl_n(win: MainWindow) -> None:
    """What pressing Ctrl+N on the Train tab does: the view's own shortcut fires."""
    found = [s for s in win.training.findChildren(QShortcut)
             if s.key() == QKeySequence("Ctrl+N")]
    assert len(found) == 1
    found[0].activated.emit()


def test_ctrl_n_skips_one_ramp_step_and_the_result_says_the_ramp_did_not_run_as_planned(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings,
        answers: Answers) -> None:
    win = window(qtbot, store, qsettings, answers)
    win.save_profile(ANN)
    answers.answer = False  # the last step's question: No, the ramp goes on
    seen: dict[str, SessionState] = {}

    def press(state: SessionState) -> None:
        if state.ramp_step == 3 and "skip" not in seen and state.phase_elapsed_s >= 30:
            seen["skip"] = state
            ctrl_n(win)
            seen["after"] = win.runner.engine.state  # type: ignore[union-attr]
        if state.ramp_step == 9 and "last" not in seen and state.phase_elapsed_s >= 30:
            seen["last"] = state
            ctrl_n(win)
            seen["kept"] = win.runner.engine.state  # type: ignore[union-attr]

    win.presenter.state_changed.connect(press)
    session_id = run_plan(qtbot, win, "aerobic-threshold-ramp")
    assert seen["after"].block_kind == "ramp" and seen["after"].ramp_step == 4  # one step
    assert seen["kept"].block_kind == "ramp" and seen["kept"].ramp_step == 9  # asked: No
    assert answers.asked == ["End the ramp test?"]  # only before the last step
    record = store.load(session_id)
    assert record.status == "ended early"
    result = ThresholdResult.from_json(record.extra[EXTRA_KEY])
    dialog = win.ramp_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.cut_short.isVisibleTo(dialog)
    assert dialog.cut_short.text().startswith(
        "The ramp did not run as planned: step 4 of 10 was skipped.")
    assert "may be off by more than its uncertainty says" in dialog.cut_short.text()
    assert result.ok  # this athlete's ramp gives an estimate, its one ± the band's
    assert f"± {result.band().uncertainty_bpm:.0f} bpm" in shown(dialog.headline)
    # Setting a band from a ramp cut short is asked first; No changes nothing.
    assert dialog.apply_button.text().endswith("anyway…")
    dialog.apply_button.click()
    assert answers.asked[-1] == "Set the band from a ramp cut short?"
    assert dialog.outcome.text() == "Band not changed: the ramp was cut short."
    assert win.profile.aet_bpm == ANN.aet_bpm
    answers.answer = True
    dialog.apply_button.click()
    assert win.profile.aet_bpm is not None and round(win.profile.aet_bpm) == round(
        result.aet_hr_bpm or 0)
    win.history.table.selectRow(0)
    assert "step 4 of 10 was skipped" in win.history.detail.summary.text()


def test_a_ramp_ended_mid_way_says_it_was_cut_short_not_ramp_higher(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings, answers: Answers,
        tmp_path: Path) -> None:
    short = short_ramp(tmp_path, steps=6)
    win = window(qtbot, store, qsettings, answers)
    win.save_profile(ANN)
    ended: list[bool] = []

    def end_at_step_3(state: SessionState) -> None:
        if state.ramp_step == 2 and not ended:
            ended.append(True)
            win.training.request_end()  # asked first ("End the ramp test?"): Yes

    win.presenter.state_changed.connect(end_at_step_3)
    session_id = run_plan(qtbot, win, str(short))
    assert answers.asked == ["End the ramp test?"]
    record = store.load(session_id)
    assert record.status == "ended early"
    dialog = win.ramp_dialog
    assert dialog is not None
    assert shown(dialog.headline) == "No aerobic threshold from this session"
    assert "Ramp higher" not in dialog.statement.text()
    assert dialog.cut_short.text() == (
        "The test was cut short at step 3 of 6 (ended by user). A whole ramp may give an "
        "estimate.")
    # A result stored before ramps recorded how they went: History still says it was cut
    # short, from the record's intervals and its status.
    stored = ThresholdResult.from_json(record.extra[EXTRA_KEY])
    old = replace(record, extra={EXTRA_KEY: replace(stored, cut_short="").to_json()})
    again = outcomes.show_stored_ramp(win, old)
    assert again.cut_short.text().startswith("The test was cut short (ended by user).")
