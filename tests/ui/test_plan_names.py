"""Plan names are never cut (issue 14): the plan picker's list and title, History's Plan
column, with the longest shipped plan name and a 60-character one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidget
from pytestqt.qtbot import QtBot

from tests.export.records import make_record
from zonetrainer.core.plan import SHIPPED_DIR, shipped_plans
from zonetrainer.ui.history import PLAN_COLUMN, HistoryView
from zonetrainer.ui.plan_picker import PlanPicker

LONG = "a-very-long-plan-name-for-a-coach-who-writes-everything-down"  # 60 characters


def whole_text_shown(view: QAbstractItemView, rect: QRect, value: str) -> bool:
    """The text, wrapped as the view wraps it, inside the item's rectangle."""
    metrics = view.fontMetrics()
    needed = metrics.boundingRect(QRect(0, 0, rect.width() - 8, 1 << 20),
                                  int(Qt.TextFlag.TextWordWrap), value)  # as the view wraps
    return needed.height() <= rect.height() and needed.width() <= rect.width()


def test_the_plan_picker_shows_whole_names(qtbot: QtBot, tmp_path: Path) -> None:
    assert len(LONG) == 60
    for path in SHIPPED_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    source = (SHIPPED_DIR / "fatmax-intervals.toml").read_text(encoding="utf-8")
    title = "A very long title a coach wrote for the whole squad's Tuesday"
    (tmp_path / f"{LONG}.toml").write_text(
        source.replace('title = "FatMax intervals"', f'title = "{title}"'), encoding="utf-8")
    picker = PlanPicker(directory=tmp_path)
    qtbot.addWidget(picker)
    picker.resize(1024, 640)
    picker.show()
    qtbot.waitExposed(picker)
    names = list(shipped_plans(tmp_path))
    assert max(names, key=len) == LONG and len(names) == len(shipped_plans()) + 1
    for row in range(picker.plans.count()):
        item = picker.plans.item(row)
        rect = picker.plans.visualItemRect(item)
        assert whole_text_shown(picker.plans, rect, item.text()), (item.text(), rect)
        assert item.toolTip() == item.text()
    picker.select(LONG)
    assert title in picker.title.text() and picker.title.wordWrap()
    assert picker.minimumSizeHint().width() < 1024  # the long title wraps, never widens


def test_history_shows_whole_plan_names(qtbot: QtBot, store: Any) -> None:
    shipped = max(shipped_plans(), key=len)
    for name in (shipped, LONG):
        record = make_record()
        store.import_record(replace(record, header=replace(record.header, plan_name=name)))
    view = HistoryView(store)
    qtbot.addWidget(view)
    view.resize(1024, 640)  # the smallest window: the Plan column keeps its names whole
    view.show()
    view.refresh()
    qtbot.waitExposed(view)
    table: QTableWidget = view.table
    shown = {}
    for row in range(table.rowCount()):
        item = table.item(row, PLAN_COLUMN)
        rect = table.visualItemRect(item)
        shown[item.text()] = rect
        assert whole_text_shown(table, rect, item.text()), (item.text(), rect)
        assert item.toolTip() == item.text()
    assert set(shown) == {shipped, LONG}
    assert shown[shipped].height() < shown[LONG].height()  # the long one wraps onto more lines
    view.resize(1400, 640)  # a wider column: the rows follow
    qtbot.wait(20)
    rect = table.visualItemRect(table.item(list(shown).index(LONG), PLAN_COLUMN))
    assert whole_text_shown(table, rect, LONG)
