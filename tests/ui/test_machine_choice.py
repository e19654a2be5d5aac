"""Choosing a fitness machine in the dashboard: the real picker, a real session on the virtual
clock with the simulated treadmill driving the simulated athlete, the real SQLite store, and
the picker scanning real bleak over the fake BlueZ."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.support.fakebluez_ftms import ClosedLoop, add_machine, add_sensor
from zonetrainer.core.model import SessionState
from zonetrainer.core.sim import Athlete, AthleteParams, treadmill_response
from zonetrainer.ui.app import build_window
from zonetrainer.ui.devices import StrapChoice
from zonetrainer.ui.loop import TaskSet
from zonetrainer.ui.machines import (
    NO_MACHINE,
    SIM_TRAINER,
    SIM_TREADMILL,
    MachineChoice,
    MachinePicker,
)
from zonetrainer.ui.main_window import MainWindow

from .conftest import Answers, RecordingCues

PARAMS = AthleteParams(rest_hr_bpm=58.0, hrmax_bpm=185.0, aet_hr_bpm=140.0, lt2_hr_bpm=165.0)


def window_for(qtbot: QtBot, store: Any, qsettings: QSettings) -> MainWindow:
    window = build_window(store, qsettings, "light", 0, cue_output=RecordingCues(),
                          confirm=Answers(), seed=3)
    qtbot.addWidget(window)
    return window


def pick(window: MainWindow, choice: MachineChoice) -> None:
    picker = window.choose_machine()  # the real dialog, as the Session menu opens it
    assert choice in picker.listed()
    picker.select(choice)
    picker.accept_selection()


def test_the_session_menu_offers_the_machine_picker(qtbot: QtBot, aloop: object, store: Any,
                                                    qsettings: QSettings) -> None:
    window = window_for(qtbot, store, qsettings)
    session_menu = window.menuBar().actions()[0].menu()
    actions = {a.text(): a for a in session_menu.actions()}
    assert "Choose &machine…" in actions
    actions["Choose &machine…"].trigger()
    picker = window.findChild(MachinePicker)
    assert picker is not None and picker.isVisible()
    assert picker.listed() == [SIM_TREADMILL, SIM_TRAINER, NO_MACHINE]
    picker.reject()
    assert window.machine == NO_MACHINE


def test_the_simulated_treadmill_steers_a_dashboard_session_and_is_stored(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings) -> None:
    window = window_for(qtbot, store, qsettings)
    pick(window, SIM_TREADMILL)
    assert window.machine == SIM_TREADMILL
    assert "machine: Simulated treadmill" in window.message.text()
    states: list[SessionState] = []
    window.presenter.state_changed.connect(states.append)
    failures: list[str] = []
    window.presenter.session_failed.connect(failures.append)
    window.start()
    assert window.presenter.running, window.message.text()
    assert window.machine_status.text() == "Simulated treadmill: connecting…"
    # until the treadmill's speed was shown through 300 s of work
    qtbot.waitUntil(lambda: not window.presenter.running or sum(
        s.effort is not None and s.phase == "work" for s in states) > 300, timeout=120_000)
    window.machine_status.refresh()  # as its timer does once a second of wall time
    assert window.machine_status.text().startswith("Simulated treadmill: control taken")
    if window.presenter.running:
        window.presenter.end()
    qtbot.waitUntil(lambda: not window.presenter.running, timeout=60_000)
    assert not failures
    seen = [s for s in states if s.effort is not None]
    assert seen and {s.effort_unit for s in seen} == {"km/h"}
    record = store.load(store.list_sessions()[0].id)
    assert len(record.efforts) > 300
    assert {e.unit for e in record.efforts} == {"km/h"}
    # the simulated machine and the simulated strap share one athlete: the strap's heart
    # follows the machine once the loop sets a target (core.sources.simulated_machine)
    machine = window.runner.effort_source
    assert window.runner.source.machine is machine
    assert any(e.kind == "machine_control" for e in record.events)


def test_the_machine_choice_is_remembered(qtbot: QtBot, aloop: object, store: Any,
                                          qsettings: QSettings) -> None:
    window = window_for(qtbot, store, qsettings)
    assert window.machine == NO_MACHINE
    pick(window, SIM_TRAINER)
    again = window_for(qtbot, store, qsettings)
    assert again.machine == SIM_TRAINER
    picker = again.choose_machine()
    assert picker.choices.currentItem().text() == "Simulated smart trainer"
    picker.select(NO_MACHINE)
    picker.accept_selection()
    assert window_for(qtbot, store, qsettings).machine == NO_MACHINE


def test_no_machine_runs_the_session_without_effort(qtbot: QtBot, aloop: object, store: Any,
                                                    qsettings: QSettings) -> None:
    window = window_for(qtbot, store, qsettings)
    states: list[SessionState] = []
    window.presenter.state_changed.connect(states.append)
    window.start()
    assert window.runner.effort_source is None
    assert window.machine_status.isHidden()
    qtbot.waitUntil(lambda: len(states) > 120, timeout=60_000)
    assert all(s.effort is None for s in states)
    window.presenter.end()
    qtbot.waitUntil(lambda: not window.presenter.running, timeout=60_000)
    assert store.load(store.list_sessions()[0].id).efforts == ()


def test_a_simulated_machine_with_a_real_strap_is_refused_clearly(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings) -> None:
    window = window_for(qtbot, store, qsettings)
    window.use_strap(StrapChoice("C0:FF:EE:00:11:22", "Polar H10"))
    pick(window, SIM_TREADMILL)
    window.start()
    assert not window.presenter.running
    assert "needs the simulated athlete" in window.message.text()
    assert store.list_sessions() == []  # nothing half-started was stored


def test_the_picker_lists_a_fake_ftms_treadmill_and_a_power_meter(
        qtbot: QtBot, aloop: object, fake_bluez: Any) -> None:
    fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D", rssi_dbm=-58)
    treadmill = add_machine(fake_bluez, "treadmill")
    meter = add_sensor(fake_bluez, "power")
    picker = MachinePicker(TaskSet(), scan_s=1.5)
    qtbot.addWidget(picker)
    with qtbot.waitSignal(picker.scan_finished, timeout=20_000) as finished:
        picker.start_scan()
    assert finished.args == [2]  # the strap is no machine
    listed = picker.listed()
    assert MachineChoice("machine", treadmill.address, "Fake Treadmill") in listed
    assert MachineChoice("sensor", meter.address, meter.name) in listed
    assert listed[-3:] == [SIM_TREADMILL, SIM_TRAINER, NO_MACHINE]
    assert picker.progress.value() == 100
    picker.select(MachineChoice("machine", treadmill.address, "Fake Treadmill"))
    picker.accept_selection()
    assert picker.choice.kind == "machine" and picker.choice.address == treadmill.address



@pytest.mark.bluez
def test_a_fake_ftms_treadmill_chosen_in_the_picker_is_read_and_controlled(
        qtbot: QtBot, aloop: object, fake_bluez: Any, store: Any, qsettings: QSettings) -> None:
    strap = fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D", rssi_dbm=-60)
    treadmill = add_machine(fake_bluez, "treadmill")
    window = build_window(store, qsettings, "light", 10.0, cue_output=RecordingCues(),
                          confirm=Answers())
    qtbot.addWidget(window)
    window.use_strap(StrapChoice(strap.address, strap.name))
    picker = window.choose_machine()
    picker.scan_s = 1.5
    with qtbot.waitSignal(picker.scan_finished, timeout=20_000):
        picker.start_scan()
    picker.select(MachineChoice("machine", treadmill.address, "Fake Treadmill"))
    picker.accept_selection()
    states: list[SessionState] = []
    window.presenter.state_changed.connect(states.append)
    window.start()
    assert window.presenter.running, window.message.text()
    qtbot.waitUntil(lambda: strap.notifying and treadmill.has_control, timeout=20_000)
    # the athlete on the belt: the strap reports the heart the treadmill's effort drives
    loop = ClosedLoop(fake_bluez, strap, treadmill, Athlete(PARAMS, seed=7, faults=False),
                      treadmill_response(), window.runner.clock.now_s)
    # no effort lever on main yet, so the loop names no target: the athlete starts the belt
    # at 8 km/h on the console, and the belt speeds up by 1 km/h a second
    treadmill.running, treadmill.target_raw = True, 800
    loop.start()
    try:
        qtbot.waitUntil(lambda: any(s.effort == 8.0 for s in states), timeout=30_000)
        window.machine_status.refresh()
        assert window.machine_status.text() == "Fake Treadmill: controlled"
        window.presenter.end()
        qtbot.waitUntil(lambda: not window.presenter.running, timeout=30_000)
    finally:
        loop.stop()
    record = store.load(store.list_sessions()[0].id)
    assert {e.unit for e in record.efforts} == {"km/h"}
    # the belt's speed as it came up, stored as read (an unchanged belt may notify less often)
    speeds = [e.value for e in record.efforts]
    assert {1.0, 4.0, 8.0} <= set(speeds) and speeds == sorted(speeds)
    assert any(e.kind == "machine_control" for e in record.events)


def test_on_a_plan_with_efforts_the_loop_steers_the_simulated_treadmill(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings) -> None:
    window = window_for(qtbot, store, qsettings)
    window.plans.select("treadmill-intervals")  # work 9 km/h, rest 5 km/h: the loop's lever
    pick(window, SIM_TREADMILL)
    states: list[SessionState] = []
    window.presenter.state_changed.connect(states.append)
    window.start()
    qtbot.waitUntil(lambda: not window.presenter.running or sum(
        s.target_effort is not None and s.phase == "work" for s in states) > 300,
        timeout=120_000)
    window.machine_status.refresh()
    assert window.machine_status.text() == "Simulated treadmill: controlled"
    if window.presenter.running:
        window.presenter.end()
    qtbot.waitUntil(lambda: not window.presenter.running, timeout=60_000)
    machine = window.runner.effort_source
    assert machine.targets and all(1.0 <= t <= 18.0 for t in machine.targets)
    record = store.load(store.list_sessions()[0].id)
    targets = [e.target for e in record.efforts if e.target is not None]
    assert targets and set(targets) <= set(machine.targets)  # stored as the machine ran them
    # the strap reporting the heart is the one of the athlete on this machine
    assert window.runner.source.machine is machine
