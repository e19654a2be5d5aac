"""History filtered by athlete (coach mode): one athlete's sessions, or everyone's."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from tests.support.store_data import day, record
from zonetrainer.core.profile import Profile
from zonetrainer.ui.history import HistoryView


def test_history_shows_one_athletes_sessions_or_everyones(qtbot: QtBot, store: Any) -> None:
    for n, athlete in enumerate(["Ann", "Bob", "Ann", "Cleo", "Ann"]):
        store.import_record(record(day(n), athlete=athlete))
    for name in ("Ann", "Bob"):  # Cleo has sessions but no profile any more
        store.save_athlete(name, Profile(name=name).to_json())
    view = HistoryView(store)
    qtbot.addWidget(view)
    combo = view.athlete_filter
    assert [combo.itemText(i) for i in range(combo.count())] == ["All athletes", "Ann", "Bob"]
    assert view.table.rowCount() == 5
    combo.setCurrentIndex(combo.findData("Ann"))
    athletes = {view.table.item(r, 2).text() for r in range(view.table.rowCount())}
    assert view.table.rowCount() == 3 and athletes == {"Ann"}
    assert view.message.text() == "3 session(s)."
    view.refresh()  # the choice survives a refresh
    assert combo.currentData() == "Ann" and view.table.rowCount() == 3
    combo.setCurrentIndex(0)
    assert view.table.rowCount() == 5
