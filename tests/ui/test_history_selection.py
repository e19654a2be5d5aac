"""History: the highlighted row, the detail panel and what Export, Ramp result and Delete act on
are always the same session, across deletes and refreshes; the Status and "Ended because"
columns fit a 1024x700 window."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.support.store_data import day, header, record
from zonetrainer.ui.app import build_window
from zonetrainer.ui.history import HistoryView

from .conftest import Answers, RecordingCues

NO_SESSION = "Open a session to see it here."


def shown(view: HistoryView) -> int | None:
    """The session the panel shows, after checking the row, the panel and the buttons agree."""
    selected = view.selected_id()
    record = view.record
    assert (record.session_id if record is not None else None) == selected
    assert view.export_button.isEnabled() == (record is not None)
    assert view.delete_button.isEnabled() == (selected is not None)
    if record is None:
        assert view.detail.summary.text() == NO_SESSION
        assert view.detail.intervals.rowCount() == 0
        assert view.detail.zone_bars.minutes.tolist() == [0.0] * 5
    else:
        row = view.table.currentRow()
        assert view.table.item(row, 0).text() in view.detail.summary.text()  # same start
        assert view.detail.intervals.rowCount() == len(record.intervals)
    return selected


def three_sessions(store: Any) -> list[int]:
    return [store.import_record(record(day(n), seed=n)) for n in range(3)]


def test_deleting_the_selected_session_empties_the_panel(qtbot: QtBot, store: Any,
                                                         answers: Answers) -> None:
    first, second, third = three_sessions(store)
    view = HistoryView(store, confirm=answers)
    qtbot.addWidget(view)
    assert shown(view) is None and not view.export_button.isEnabled()
    view.table.selectRow(1)  # newest first: the second session
    assert shown(view) == second
    view.delete_button.click()
    assert answers.asked == ["Delete the session?"]
    assert [s.id for s in store.list_sessions()] == [third, first]
    # Qt would have kept row 1 highlighted, now the first session, under the deleted one's panel
    assert shown(view) is None
    view.delete_button.click()  # disabled: asks nothing, deletes nothing
    assert answers.asked == ["Delete the session?"] and len(store.list_sessions()) == 2


def test_a_new_session_keeps_the_selected_one_selected_and_shown(qtbot: QtBot, store: Any,
                                                                 answers: Answers) -> None:
    first, second, third = three_sessions(store)
    view = HistoryView(store, confirm=answers)
    qtbot.addWidget(view)
    view.table.selectRow(0)
    assert shown(view) == third
    fourth = store.import_record(record(day(3), seed=3))  # what the window does after training
    view.refresh()
    assert view.table.rowCount() == 4 and view.table.currentRow() == 1
    assert shown(view) == third
    with qtbot.waitSignal(view.export_requested) as exported:
        view.export_button.click()
    assert exported.args[0].session_id == third
    view.delete_button.click()
    assert [s.id for s in store.list_sessions()] == [fourth, second, first]
    assert shown(view) is None


def test_older_and_refresh_keep_the_selection_and_deselecting_empties_the_panel(
        qtbot: QtBot, store: Any) -> None:
    ids = three_sessions(store)
    view = HistoryView(store, page_size=2)
    qtbot.addWidget(view)
    view.table.selectRow(1)
    assert shown(view) == ids[1]
    view.show_older()
    assert view.table.rowCount() == 3 and shown(view) == ids[1]
    view.table.clearSelection()  # a Ctrl+click on the highlighted row
    assert shown(view) is None


def test_a_session_without_summary_shows_no_zone_bars_of_the_previous_one(
        qtbot: QtBot, store: Any) -> None:
    store.import_record(record(day(0)))
    recorder = store.recorder()
    running = recorder.begin(header(day(1)))  # still running: no summary yet
    recorder.flush()
    view = HistoryView(store)
    qtbot.addWidget(view)
    view.table.selectRow(1)
    assert view.detail.zone_bars.minutes.sum() > 0
    view.table.selectRow(0)
    assert shown(view) == running and view.record is not None and view.record.summary is None
    assert view.detail.zone_bars.minutes.tolist() == [0.0] * 5


def test_status_and_ended_because_fit_a_1024_by_700_window(
        qtbot: QtBot, store: Any, qsettings: QSettings, cues: RecordingCues, answers: Answers,
        tmp_path: Path) -> None:
    reason = "recovered: HR 110 bpm in 9 s (predicted)"
    long = record(day(0), plan="fatmax-intervals-progressive", athlete="Annabel Example")
    store.import_record(dataclasses.replace(long, intervals=tuple(
        dataclasses.replace(iv, end_reason=reason, exercise="row") for iv in long.intervals)))
    window = build_window(store, qsettings, "light", 1.0, cue_output=cues, confirm=answers,
                          export_dir=tmp_path)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.history)
    history = window.history
    history.table.selectRow(0)
    for table, column in ((history.table, 5), (history.detail.intervals, 5)):
        header = table.horizontalHeader()
        assert header.length() <= table.viewport().width()  # no column past the right edge
        assert header.sectionSize(column) >= 60
    assert history.table.item(0, 5).text() == "imported"
    assert history.table.columnWidth(5) >= history.table.sizeHintForColumn(5)  # not elided
    assert history.table.item(0, 1).toolTip() == "fatmax-intervals-progressive"
    assert history.detail.intervals.item(0, 5).toolTip() == reason
