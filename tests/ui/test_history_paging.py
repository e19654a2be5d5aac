"""Years of history stay quick: the list shows a page of the newest sessions, Older… adds more."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from tests.support.store_data import day, record
from zonetrainer.core import threshold
from zonetrainer.core.control import _memory as control_memory
from zonetrainer.ui.history import HistoryView


def test_history_lists_the_newest_page_and_older_adds_the_next(qtbot: QtBot,
                                                                store: Any) -> None:
    for n in range(7):
        store.import_record(record(day(n)))
    view = HistoryView(store, page_size=3)
    qtbot.addWidget(view)
    assert view.table.rowCount() == 3 and view.older_button.isEnabled()
    assert "newest 3" in view.message.text()
    newest = [view.table.item(r, 0).text() for r in range(3)]
    assert newest == sorted(newest, reverse=True)  # newest first
    view.show_older()
    assert view.table.rowCount() == 6 and view.older_button.isEnabled()
    view.show_older()
    assert view.table.rowCount() == 7 and not view.older_button.isEnabled()
    assert view.message.text() == "7 session(s)."


def test_the_detail_says_how_the_work_bouts_went_and_survives_unreadable_extras(
        qtbot: QtBot, store: Any) -> None:
    good = store.import_record(record(day(1)))
    store.set_extra(good, control_memory.EXTRA_KEY,
                    control_memory.BoutHistory(work_bouts=9, eased_bouts=7).to_json())
    bad = store.import_record(record(day(2)))
    store.set_extra(bad, control_memory.EXTRA_KEY, "{broken")
    store.set_extra(bad, threshold.EXTRA_KEY, '{"ok": true}')
    view = HistoryView(store)
    qtbot.addWidget(view)
    view.table.selectRow(1)  # newest first: the good one is second
    assert "zone control: 7 of 9 work bouts needed &quot;ease off&quot;" in \
        view.detail.summary.text()
    view.table.selectRow(0)
    shown = view.detail.summary.text()
    assert "zone control: unreadable (not JSON" in shown
    assert "ramp result unreadable" in shown
