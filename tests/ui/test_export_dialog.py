"""The export dialog keeps a typed file name across format changes, adds a missing extension,
asks before replacing a file, says "choose a file name" for an empty one, and names files in
the local time History shows. (The whole-window export run is in test_main_window.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.support.store_data import day, record
from zonetrainer.core.model import SessionRecord
from zonetrainer.ui.app import build_window
from zonetrainer.ui.export_dialog import ExportDialog
from zonetrainer.ui.history import HistoryView

from .conftest import Answers, RecordingCues


@pytest.fixture
def stored(store: Any) -> SessionRecord:
    return store.load(store.import_record(record(day(0))))  # type: ignore[no-any-return]


def dialog_for(qtbot: QtBot, stored: SessionRecord, directory: Path,
               answers: Answers) -> ExportDialog:
    dialog = ExportDialog(stored, directory, confirm=answers)
    qtbot.addWidget(dialog)
    return dialog


def export(qtbot: QtBot, dialog: ExportDialog) -> list[Path]:
    with qtbot.waitSignal(dialog.export_done, timeout=20_000) as done:
        dialog.export()
    return done.args[0]  # type: ignore[no-any-return]


def test_a_typed_name_stays_and_only_the_old_formats_extension_follows_the_format(
        qtbot: QtBot, stored: SessionRecord, tmp_path: Path, answers: Answers) -> None:
    dialog = dialog_for(qtbot, stored, tmp_path, answers)
    dialog.format.setCurrentText("fit")
    dialog.path.setText(str(tmp_path / "my ride.FIT"))
    dialog.format.setCurrentText("csv")
    assert dialog.path.text() == str(tmp_path / "my ride.csv")
    dialog.path.setText(str(tmp_path / "for coach.txt"))
    dialog.format.setCurrentText("json")
    assert dialog.path.text() == str(tmp_path / "for coach.txt")
    dialog.path.setText("noext")
    dialog.format.setCurrentText("tcx")
    assert dialog.path.text() == "noext"
    dialog.path.setText("")
    dialog.format.setCurrentText("fit")
    assert dialog.path.text().endswith(f"-session-{stored.session_id}.fit")


def test_a_name_without_a_format_extension_gets_the_chosen_one(
        qtbot: QtBot, stored: SessionRecord, tmp_path: Path, answers: Answers) -> None:
    dialog = dialog_for(qtbot, stored, tmp_path, answers)
    dialog.format.setCurrentText("json")
    dialog.path.setText(str(tmp_path / "noext"))
    assert export(qtbot, dialog) == [tmp_path / "noext.json"]
    assert dialog.path.text() == str(tmp_path / "noext.json")
    dialog.path.setText(str(tmp_path / "ride.v2"))
    assert export(qtbot, dialog) == [tmp_path / "ride.v2.json"]
    assert not (tmp_path / "noext").exists() and not (tmp_path / "ride.v2").exists()
    assert answers.asked == []  # nothing was there to replace


def test_an_existing_file_is_replaced_only_when_the_user_says_so(
        qtbot: QtBot, stored: SessionRecord, tmp_path: Path, answers: Answers) -> None:
    target = tmp_path / "ride.json"
    target.write_text("keep me")
    dialog = dialog_for(qtbot, stored, tmp_path, answers)
    dialog.format.setCurrentText("json")
    dialog.path.setText(str(target))
    answers.answer = False
    dialog.export()
    assert answers.asked == ["Replace the file?"] and not dialog.busy
    assert target.read_text() == "keep me"
    assert dialog.result_label.text() == "Not exported: the existing file is kept."
    answers.answer = True
    assert export(qtbot, dialog) == [target]
    assert answers.asked == ["Replace the file?"] * 2 and target.read_text() != "keep me"
    # CSV writes three files: any one of them already there is asked about
    (tmp_path / "laps-rr.csv").write_text("keep me")
    dialog.format.setCurrentText("csv")
    dialog.path.setText(str(tmp_path / "laps.csv"))
    answers.answer = False
    dialog.export()
    assert len(answers.asked) == 3 and not (tmp_path / "laps.csv").exists()


def test_an_empty_name_asks_for_one(qtbot: QtBot, stored: SessionRecord, tmp_path: Path,
                                    answers: Answers) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dialog = dialog_for(qtbot, stored, out, answers)
    for typed in ("", "   ", str(out)):
        dialog.path.setText(typed)
        dialog.export()
        assert not dialog.busy
        assert dialog.result_label.text().startswith("Not exported: ")
        assert "choose a file name" in dialog.result_label.text()
        assert dialog.result_label.property("class") == "error"
    assert list(out.iterdir()) == []


def test_the_file_name_has_the_local_time_history_shows(
        qtbot: QtBot, store: Any, stored: SessionRecord, tmp_path: Path, answers: Answers,
        half_past_tz: None) -> None:
    history = HistoryView(store)
    qtbot.addWidget(history)
    listed = history.table.item(0, 0).text()
    assert listed == "2026-01-05 12:30"  # 07:00 UTC
    dialog = dialog_for(qtbot, stored, tmp_path, answers)
    dialog.format.setCurrentText("fit")
    assert Path(dialog.path.text()).name == f"2026-01-05-1230-session-{stored.session_id}.fit"


def test_the_windows_export_asks_through_the_windows_confirm(
        qtbot: QtBot, store: Any, stored: SessionRecord, qsettings: QSettings,
        cues: RecordingCues, answers: Answers, tmp_path: Path) -> None:
    window = build_window(store, qsettings, "light", 1.0, cue_output=cues, confirm=answers,
                          export_dir=tmp_path)
    qtbot.addWidget(window)
    dialog = window.export(stored)
    assert dialog.confirm is answers  # not a modal question box nobody can answer in a test
    Path(dialog.path.text()).write_text("keep me")
    answers.answer = False
    dialog.export()
    assert answers.asked == ["Replace the file?"]
    assert Path(dialog.path.text()).read_text() == "keep me"
    dialog.close()
