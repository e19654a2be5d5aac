"""The whole window over a real SQLite store: start, pause and resume (Space), skip, end with
confirmation, history shows the stored session, export writes files, quitting asks first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from pytestqt.qtbot import QtBot

from tests.support import store_data as data
from zonetrainer.core.control import BOUT_HISTORY_KEY as EXTRA_KEY
from zonetrainer.core.control import BoutHistory
from zonetrainer.core.profile import Profile
from zonetrainer.ui.app import build_window
from zonetrainer.ui.main_window import MainWindow

from .conftest import Answers, RecordingCues

#: Fast enough that a test runs minutes of session in a second, slow enough to press buttons.
SPEED = 40.0


def make_window(qtbot: QtBot, store: Any, qsettings: QSettings, cues: RecordingCues,
                answers: Answers, tmp_path: Path) -> MainWindow:
    window = build_window(store, qsettings, "light", SPEED, cue_output=cues, confirm=answers,
                          export_dir=tmp_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.training.setFocus()
    window.plans.select("fatmax-intervals")
    return window


def start(window: MainWindow, qtbot: QtBot) -> None:
    """Start as the athlete does: the Start button, the remembered (here: simulated) strap."""
    assert window.strap.simulated
    qtbot.mouseClick(window.training.start_button, Qt.MouseButton.LeftButton)
    assert window.presenter.running, window.message.text()
    qtbot.waitUntil(lambda: window.presenter.state is not None
                    and window.presenter.state.elapsed_s > 5, timeout=20_000)


def test_pause_resume_skip_end_history_and_export(qtbot: QtBot, aloop: object, store: Any,
                                                  qsettings: QSettings, cues: RecordingCues,
                                                  answers: Answers, tmp_path: Path) -> None:
    window = make_window(qtbot, store, qsettings, cues, answers, tmp_path)
    view, presenter = window.training, window.presenter
    start(window, qtbot)
    assert not view.start_button.isEnabled() and view.end_button.isEnabled()

    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: presenter.state.paused, timeout=5_000)
    assert "PAUSED" in view.phase_label.text() and view.pause_button.text() == "Resume"
    frozen = presenter.state.phase_remaining_s
    countdown = view.countdown_label.text()
    paused_at = presenter.state.elapsed_s
    qtbot.waitUntil(lambda: presenter.state.elapsed_s > paused_at + 5, timeout=10_000)
    assert presenter.state.phase_remaining_s == frozen  # the countdown stands still
    assert view.countdown_label.text() == countdown

    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not presenter.state.paused
                    and presenter.state.phase_remaining_s < frozen, timeout=5_000)
    assert view.pause_button.text() == "Pause"

    assert presenter.state.phase == "warmup"
    qtbot.mouseClick(view.skip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: presenter.state.phase == "work", timeout=5_000)
    assert view.phase_label.text() == "WORK"
    assert "work" in cues.played  # the phase change was cued
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # skip the bout
    qtbot.waitUntil(lambda: presenter.state.phase == "rest", timeout=5_000)
    assert view.phase_label.text() == "REST"

    answers.answer = False
    qtbot.mouseClick(view.end_button, Qt.MouseButton.LeftButton)
    assert answers.asked == ["End the session?"] and presenter.running
    answers.answer = True
    with qtbot.waitSignal(presenter.session_finished, timeout=20_000):
        qtbot.mouseClick(view.end_button, Qt.MouseButton.LeftButton)
    assert presenter.state.done and view.phase_label.text() == "DONE"
    assert view.start_button.isEnabled()

    listings = store.list_sessions()
    assert len(listings) == 1 and listings[0].status == "ended early"  # the athlete ended it
    history = window.history
    assert history.table.rowCount() == 1
    assert history.table.item(0, 1).text() == "fatmax-intervals"
    history.table.selectRow(0)
    assert history.record is not None and history.record.session_id == listings[0].id
    assert "fatmax-intervals" in history.detail.summary.text()
    assert history.detail.intervals.rowCount() == len(history.record.intervals) >= 2
    summary = history.record.summary
    assert summary is not None
    assert history.detail.zone_bars.minutes.tolist() == [
        round(s / 60, 1) for s in summary.time_in_zone_s]

    dialog = window.export(history.record)
    # The export runs on a worker: the window's event loop keeps turning while a PDF is drawn.
    ticks: list[bool] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(dialog.busy))
    timer.start(0)
    for fmt in ("pdf", "fit", "csv", "json"):
        dialog.format.setCurrentText(fmt)
        with qtbot.waitSignal(dialog.export_done, timeout=60_000) as done:
            dialog.export()
            assert dialog.busy and not dialog.progress.isHidden()  # the busy bar shows
            assert not dialog.export_button.isEnabled()
            assert dialog.result_label.text().startswith(f"Exporting {fmt.upper()}")
        written = done.args[0]
        assert written and all(p.exists() and p.stat().st_size > 0 for p in written)
        assert all(p.parent == tmp_path for p in written)
        assert not dialog.busy and dialog.progress.isHidden() and dialog.export_button.isEnabled()
        assert dialog.result_label.text().startswith("Written: ")
        if fmt == "pdf":
            assert True in ticks, "the window froze during the PDF export"
    timer.stop()
    assert any(p.suffix == ".pdf" for p in tmp_path.iterdir())
    dialog.format.setCurrentText("fit")
    dialog.path.setText(str(tmp_path / "missing-dir" / "x.fit"))
    with qtbot.waitSignal(dialog.export_done, timeout=20_000) as done:
        dialog.export()
    assert done.args == [[]] and "does not exist" in dialog.result_label.text()
    assert dialog.result_label.text().startswith("Not exported: ")
    assert dialog.result_label.property("class") == "error" and dialog.export_button.isEnabled()
    dialog.close()

    answers.answer = True
    history.table.selectRow(0)
    history.delete_selected()
    assert answers.asked[-1] == "Delete the session?"
    assert store.list_sessions() == [] and history.table.rowCount() == 0


def test_quitting_mid_session_asks_and_stores_the_session(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings, cues: RecordingCues,
        answers: Answers, tmp_path: Path) -> None:
    window = make_window(qtbot, store, qsettings, cues, answers, tmp_path)
    start(window, qtbot)
    answers.answer = False
    window.close()
    assert window.isVisible() and window.presenter.running
    answers.answer = True
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    assert not window.presenter.running
    assert [s.status for s in store.list_sessions()] == ["ended early"]
    assert qsettings.value("geometry") is not None  # remembered for next time


def test_start_says_what_the_loop_remembers_of_the_athletes_last_session(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings, cues: RecordingCues,
        answers: Answers, tmp_path: Path) -> None:
    window = make_window(qtbot, store, qsettings, cues, answers, tmp_path)
    for name in (window.profile.name, "Ann"):  # the unsaved default, and a saved athlete
        earlier = data.record(datetime.now(UTC) - timedelta(days=3), athlete=name)
        sid = store.import_record(earlier)
        store.set_extra(sid, EXTRA_KEY, BoutHistory(work_bouts=12, eased_bouts=11).to_json())
    start(window, qtbot)  # the unsaved default profile is anybody: it has no history
    assert "last time" not in window.message.text()
    assert window.runner.engine.history_in is None and not window.runner.remember_bouts
    with qtbot.waitSignal(window.presenter.session_finished, timeout=20_000):
        window.runner.end()
    window.save_profile(Profile(name="Ann", age_years=40.0))
    start(window, qtbot)
    text = window.message.text()
    assert f"last time (session {sid}, " in text
    assert '11 of 12 work bouts needed "ease off"' in text
    assert window.runner.engine.history_in == BoutHistory(12, 11)
    with qtbot.waitSignal(window.presenter.session_finished, timeout=20_000):
        window.runner.end()
