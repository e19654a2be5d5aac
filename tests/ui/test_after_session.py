"""What the dashboard does around a session: the ramp's threshold and the offer to set the band
from it; sessions a crash left behind, kept or discarded at start-up; the strength tempo
standing still through a pause. Real engine, simulated athlete, real SQLite in tmp_path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from zonetrainer.core.profile import Profile
from zonetrainer.core.threshold import EXTRA_KEY, ThresholdResult
from zonetrainer.ui.app import build_window
from zonetrainer.ui.main_window import MainWindow
from zonetrainer.ui.training import PAUSED_SUFFIX

from .conftest import Answers, RecordingCues

ROOT = Path(__file__).resolve().parents[2]
ANN = Profile(name="Ann", age_years=40.0, rest_hr_bpm=58.0)
#: The simulated athlete made for ANN with this seed has its aerobic threshold at 137 bpm
#: (core.sources.simulated: the Karvonen band's top); its ramp gives a clear estimate.
SEED = 1
TRUE_AET_BPM = 137.0


def shown(label: QLabel) -> str:
    """What a label shows as plain text (a rich-text label's text() is its HTML)."""
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText().replace("\u2029", "\n")


def window(qtbot: QtBot, store: Any, qsettings: QSettings, answers: Answers,
           speed: float = 0.0, seed: int | None = SEED) -> MainWindow:
    win = build_window(store, qsettings, "light", speed, cue_output=RecordingCues(),
                       confirm=answers, seed=seed)
    qtbot.addWidget(win)
    return win


def run_plan(qtbot: QtBot, win: MainWindow, plan: str) -> int:
    """Start ``plan`` as the athlete does and wait for it to be stored; its session id."""
    if plan.endswith(".toml"):
        win.plans.show_plan(plan)
    else:
        win.plans.select(plan)
    with qtbot.waitSignal(win.presenter.session_finished, timeout=60_000) as finished:
        win.start()
    return int(finished.args[0][0])


def test_a_ramp_ends_with_its_threshold_and_the_band_can_be_set_from_it(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings,
        answers: Answers) -> None:
    win = window(qtbot, store, qsettings, answers)
    win.save_profile(ANN)
    session_id = run_plan(qtbot, win, "aerobic-threshold-ramp")
    stored = ThresholdResult.from_json(store.load(session_id).extra[EXTRA_KEY])
    assert stored.ok, stored.statement
    assert stored.aet_hr_bpm is not None and abs(stored.aet_hr_bpm - TRUE_AET_BPM) <= 5.0
    dialog = win.ramp_dialog
    assert dialog is not None and dialog.isVisible()
    # The headline states the one uncertainty the band gets, and what it is (issue 14).
    spread = stored.band().uncertainty_bpm
    assert spread == max(3.0, round(stored.uncertainty_bpm or 0.0, 1))
    assert shown(dialog.headline).startswith(f"Aerobic threshold: {stored.aet_hr_bpm:.0f} ± "
                                             f"{spread:.0f} bpm (bootstrap SD")
    assert "±" not in dialog.statement.text() and "+/-" not in dialog.statement.text()
    assert not dialog.cut_short.isVisibleTo(dialog)  # the ramp ran as planned
    assert dialog.statement.text() == stored.statement
    assert f"R² {stored.r2:.2f}" in dialog.details.text()
    band = stored.band()
    assert dialog.apply_button.isEnabled()
    assert dialog.apply_button.text() == (f"Set Ann's band to {band.low_bpm:.0f}–"
                                          f"{band.high_bpm:.0f} bpm")
    old_band = win.profile.band()
    dialog.close_button.click()  # not now: the History offers it again, in a later start too
    assert win.profile == ANN
    win = window(qtbot, store, qsettings, answers)
    assert win.profile == ANN  # the remembered athlete
    win.history.table.selectRow(0)
    assert win.history.ramp_button.isEnabled()
    win.history.ramp_button.click()
    dialog = win.ramp_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.statement.text() == stored.statement and dialog.apply_button.isEnabled()
    dialog.apply_button.click()
    aet = round(stored.aet_hr_bpm)
    assert win.profile.aet_bpm == aet and win.profile.band_method == "aet_dfa"
    assert (win.profile.band().low_bpm, win.profile.band().high_bpm) == (aet - 10, aet)
    assert win.profile.band() != old_band
    assert f"ramp session {session_id}" in win.profile.aet_source
    saved = Profile.from_json(dict(store.athletes())["Ann"])
    assert saved == win.profile  # kept in the store, for the next session
    assert win.profile_editor.aet.text() == f"{aet:g}"
    assert win.profile_editor.method.currentText() == "aet_dfa"
    assert "ramp session" in win.profile_editor.band_label.text()  # the band names its source
    assert win.training.band_label.text().startswith(f"band {aet - 10}–{aet} bpm")
    assert "Ann's band is now" in dialog.outcome.text() and not dialog.apply_button.isEnabled()
    win.history.table.selectRow(0)  # the stored ramp shows its result in the history too
    assert shown(dialog.headline) in shown(win.history.detail.summary)


def short_ramp(tmp_path: Path, steps: int) -> Path:
    """A plan file: a 2-minute warm-up, then a ramp of ``steps`` one-minute steps."""
    short = tmp_path / "short-ramp.toml"
    short.write_text('title = "Short ramp"\ndescription = "short"\nsport = "any"\n'
                     '[[block]]\nkind = "warmup"\nduration_min = 2\n'
                     f'[[block]]\nkind = "ramp"\nsteps = {steps}\nstep_s = 60\n',
                     encoding="utf-8")
    return short


def test_a_ramp_that_stays_easy_says_why_there_is_no_estimate(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings, answers: Answers,
        tmp_path: Path) -> None:
    short = short_ramp(tmp_path, steps=2)
    win = window(qtbot, store, qsettings, answers)
    win.save_profile(ANN)
    session_id = run_plan(qtbot, win, str(short))
    stored = ThresholdResult.from_json(store.load(session_id).extra[EXTRA_KEY])
    assert not stored.ok
    dialog = win.ramp_dialog
    assert dialog is not None
    assert shown(dialog.headline) == "No aerobic threshold from this session"
    assert dialog.statement.text() == f"Why: {stored.statement}"
    # two short steps from 45 bpm below the athlete's threshold never reach it
    assert "stayed below the aerobic threshold" in stored.statement
    assert not dialog.apply_button.isEnabled()
    assert win.profile == ANN  # nothing changed
    win.plans.select("zone2-continuous")
    with qtbot.waitSignal(win.presenter.session_finished, timeout=60_000):
        win.start()
    assert win.ramp_dialog is dialog  # no ramp, no ramp result
    win.history.table.selectRow(0)  # newest first: the zone 2 session
    assert not win.history.ramp_button.isEnabled()
    win.history.table.selectRow(1)
    assert win.history.ramp_button.isEnabled()


def test_a_threshold_that_does_not_fit_the_profile_is_refused_in_words(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings,
        answers: Answers) -> None:
    win = window(qtbot, store, qsettings, answers)
    win.save_profile(ANN)  # HRmax 180 bpm (Tanaka, age 40)
    result = ThresholdResult(True, "alpha1 crosses 0.75 at 185 bpm", aet_hr_bpm=185.0,
                             uncertainty_bpm=2.0)
    dialog = win.show_ramp_result({EXTRA_KEY: result.to_json()}, 7)
    dialog.apply_button.click()
    assert dialog.outcome.text().startswith("Band not changed: aerobic threshold: 185 bpm")
    assert dialog.outcome.property("class") == "error" and win.profile == ANN
    missing = win.show_ramp_result({}, 8)  # the runner could not analyse the ramp
    assert "analysis of this ramp failed" in missing.statement.text()
    assert not missing.apply_button.isEnabled()
    for damaged in ("{not json", '{"ok": true}'):  # a record damaged outside the app
        shown = win.show_ramp_result({EXTRA_KEY: damaged}, 9)
        assert "stored ramp result cannot be read" in shown.statement.text()
        assert not shown.apply_button.isEnabled()


def crash(db: Path, plan: str, at_s: float) -> None:
    child = subprocess.run([sys.executable, "-m", "tests.ui.crash_child", str(db), plan,
                            str(at_s)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert child.returncode == -9, child.stderr  # killed, as a crash


def test_sessions_a_crash_left_are_offered_at_start_up_to_keep_or_discard(
        qtbot: QtBot, aloop: object, qsettings: QSettings, answers: Answers,
        tmp_path: Path) -> None:
    from zonetrainer.core.store import Store

    db = tmp_path / "crashed.sqlite"
    crash(db, "fatmax-intervals", 300.0)
    crash(db, "zone2-continuous", 200.0)
    store = Store.open(db)
    try:
        found = store.interrupted()
        assert [s.plan_name for s in found] == ["fatmax-intervals", "zone2-continuous"]
        win = window(qtbot, store, qsettings, answers)
        dialog = win.check_interrupted()
        assert dialog is not None and dialog.isVisible()
        texts = [dialog.sessions.item(i).text() for i in range(dialog.sessions.count())]
        assert "fatmax-intervals · Crash · " in texts[0] and texts[0].endswith("recorded")
        assert "4:5" in texts[0] or "5:00" in texts[0]  # about 300 s were recorded
        assert dialog.apply_button.text() == "Keep all"

        dialog.later_button.click()  # ask me next time: nothing changes
        assert [s.id for s in store.interrupted()] == [s.id for s in found]

        dialog = win.check_interrupted()
        assert dialog is not None
        dialog.set_keep(found[1].id, False)
        assert dialog.apply_button.text() == "Keep 1, discard 1"
        assert dialog.sessions.item(1).text().startswith("Discard: ")
        assert dialog.sessions.item(0).text().startswith("Keep: ")
        answers.answer = False  # a no to the discard question changes nothing
        dialog.apply_button.click()
        assert answers.asked[-1] == "Discard sessions?"
        assert len(store.interrupted()) == 2 and "Nothing changed" in win.message.text()

        dialog = win.check_interrupted()
        assert dialog is not None
        dialog.sessions.item(1).setCheckState(Qt.CheckState.Unchecked)
        answers.answer = True
        dialog.apply_button.click()
        assert store.interrupted() == []
        [kept] = store.list_sessions()
        assert kept.id == found[0].id and kept.status == "interrupted"
        assert kept.duration_s is not None and kept.duration_s > 200  # summary recomputed
        assert win.message.text() == (f"session {found[0].id} kept; session {found[1].id} "
                                      "discarded.")
        assert win.history.table.rowCount() == 1
        assert win.history.table.item(0, 5).text() == "interrupted"
        assert win.check_interrupted() is None  # nothing left to offer
    finally:
        store.close()


def test_the_tempo_stands_still_while_paused_and_resumes_where_it_stopped(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings,
        answers: Answers) -> None:
    win = window(qtbot, store, qsettings, answers, speed=20.0)
    win.plans.select("back-strength-circuit")
    win.start()
    presenter, view = win.presenter, win.training
    qtbot.waitUntil(lambda: presenter.state is not None, timeout=20_000)
    presenter.skip()  # past the warm-up, into the first set
    qtbot.waitUntil(lambda: presenter.state.phase == "work"
                    and presenter.state.phase_elapsed_s > 1, timeout=20_000)
    assert not view.tempo_bar.isHidden()
    presenter.pause()
    qtbot.waitUntil(lambda: presenter.state.paused, timeout=5_000)
    held = (view.tempo_bar.value(), view.tempo_bar.format())
    tempo_at_pause = presenter.tempo_elapsed_s
    assert held[1].endswith(PAUSED_SUFFIX)
    paused_at = presenter.state.elapsed_s
    qtbot.waitUntil(lambda: presenter.state.elapsed_s > paused_at + 10, timeout=20_000)
    assert (view.tempo_bar.value(), view.tempo_bar.format()) == held  # frozen
    assert presenter.tempo_elapsed_s == tempo_at_pause
    assert presenter.state.phase_elapsed_s > tempo_at_pause + 9  # the engine's clock ran on
    presenter.resume()
    qtbot.waitUntil(lambda: not presenter.state.paused
                    and presenter.tempo_elapsed_s > tempo_at_pause, timeout=5_000)
    # resumed where it stopped, not 10 s further on
    assert presenter.tempo_elapsed_s < tempo_at_pause + 3
    assert not view.tempo_bar.format().endswith(PAUSED_SUFFIX)
    with qtbot.waitSignal(presenter.session_finished, timeout=20_000):
        presenter.end()


def test_the_app_offers_the_crashed_session_when_it_starts(tmp_path: Path) -> None:
    import os

    db = tmp_path / "crashed.sqlite"
    crash(db, "fatmax-intervals", 120.0)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    shown = subprocess.run([sys.executable, "-m", "tests.ui.startup_probe", str(db),
                            str(tmp_path / "ui.ini")], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert "visible: Sessions left unfinished | zonetrainer" in shown.stdout
