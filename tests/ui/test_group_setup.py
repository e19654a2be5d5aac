"""Setting up a group on screen: remembered straps filled in, a strap given twice or an athlete
without one refused with the reason, one plan for all or one each."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from zonetrainer.ui.group_setup import Chosen, GroupSetupDialog

PLANS = ["fatmax-intervals", "zone2-continuous"]


def dialog(qtbot: QtBot) -> GroupSetupDialog:
    d = GroupSetupDialog(["Ann", "Bob", "Cleo"], {"Ann": "C0:FF:EE:00:10:01",
                                                 "Bob": "C0:FF:EE:00:10:02"},
                         PLANS, "fatmax-intervals")
    qtbot.addWidget(d)
    return d


def test_remembered_straps_are_filled_in_and_their_athletes_ticked(qtbot: QtBot) -> None:
    d = dialog(qtbot)
    assert d.straps["Ann"].text() == "C0:FF:EE:00:10:01" and d.straps["Cleo"].text() == ""
    assert [d.ticks[n].checkState() == Qt.CheckState.Checked for n in ("Ann", "Bob", "Cleo")] \
        == [True, True, False]
    d.plans["Bob"].setCurrentText("zone2-continuous")
    assert d.choice() == [Chosen("Ann", "C0:FF:EE:00:10:01", "fatmax-intervals"),
                          Chosen("Bob", "C0:FF:EE:00:10:02", "zone2-continuous")]
    d.all_plan.setCurrentText("zone2-continuous")
    assert {c.plan for c in d.choice()} == {"zone2-continuous"}


def test_a_strap_given_twice_keeps_the_dialog_open_with_the_reason(qtbot: QtBot) -> None:
    d = dialog(qtbot)
    d.ticks["Cleo"].setCheckState(Qt.CheckState.Checked)
    d.straps["Cleo"].setText("c0:ff:ee:00:10:02")
    d.accept()
    assert d.result() != d.DialogCode.Accepted
    assert d.message.text() == ("strap c0:ff:ee:00:10:02 is assigned to both Bob and Cleo: "
                                "each athlete needs their own strap")
    d.straps["Cleo"].setText("")
    d.accept()
    assert d.message.text().startswith("Cleo has no strap")
    d.straps["Cleo"].setText("C0:FF:EE:00:10:03")
    d.accept()
    assert d.result() == d.DialogCode.Accepted and len(d.choice()) == 3


def test_nobody_ticked_is_refused(qtbot: QtBot) -> None:
    d = dialog(qtbot)
    for tick in d.ticks.values():
        tick.setCheckState(Qt.CheckState.Unchecked)
    d.accept()
    assert d.message.text() == "tick at least one athlete"
