"""The dashboard with a Bluetooth strap: real bleak over the fake BlueZ, through the engine,
into the training view; a link drop shows "signal lost" and no number."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from zonetrainer.ui.app import build_window
from zonetrainer.ui.devices import StrapChoice

from .conftest import Answers, RecordingCues

SPEED = 10.0  # one strap notification every 0.1 s of wall time is one a session second


def test_a_fake_strap_drives_the_training_view(qtbot: QtBot, aloop: object, fake_bluez: Any,
                                               store: Any, qsettings: QSettings) -> None:
    strap = fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D", rssi_dbm=-60)
    window = build_window(store, qsettings, "light", SPEED, cue_output=RecordingCues(),
                          confirm=Answers())
    qtbot.addWidget(window)
    window.use_strap(StrapChoice(strap.address, strap.name))
    window.start()
    qtbot.waitUntil(lambda: strap.notifying, timeout=20_000)
    # flags 0x06: sensor contact supported and detected, heart rate as one byte
    strap.stream([bytes([0x06, 117])] * 400, every_s=1.0 / SPEED)
    view = window.training
    qtbot.waitUntil(lambda: view.hr_label.text() == "117", timeout=20_000)
    assert "Polar H10 0A1B2C3D" in view.status_label.text()
    assert "connected" in view.status_label.text()
    assert "simulated" not in window.message.text()
    strap.drop()
    qtbot.waitUntil(lambda: view.hr_label.text() == "signal lost", timeout=20_000)
    assert view.hr_unit.isHidden()
    with qtbot.waitSignal(window.presenter.session_finished, timeout=30_000):
        window.presenter.end()
    record = store.load(store.list_sessions()[0].id)
    assert {s.hr_bpm for s in record.samples if s.hr_bpm is not None} == {117.0}
