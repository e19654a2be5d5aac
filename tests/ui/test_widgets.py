"""Widgets fed with states built by hand: strength block, alpha1, strap status; choices kept
in QSettings across windows; the CLI entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from zonetrainer.cli import main
from zonetrainer.core.model import Exercise, SourceStatus, Tempo
from zonetrainer.ui.app import build_window
from zonetrainer.ui.devices import StrapChoice
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.training import TrainingView

from .conftest import Answers, RecordingCues
from .states import state

ROW = Exercise("Front-loaded barbell row", "Pull to the lower ribs", Tempo(3, 0, 1, 1))


def test_strength_block_shows_exercise_cue_and_tempo(qtbot: QtBot) -> None:
    presenter = SessionPresenter()
    view = TrainingView(presenter)
    qtbot.addWidget(view)
    presenter.accept(state(exercise=ROW, cue="ease off"))
    assert view.exercise_label.text() == ROW.name and not view.exercise_label.isHidden()
    assert view.exercise_cue_label.text() == ROW.cue
    assert view.tempo_bar.format() == "lower" and view.tempo_bar.value() == 50
    presenter.accept(state(exercise=ROW, phase_elapsed_s=3.5))
    assert view.tempo_bar.format() == "lift"
    # no loop cue: the exercise's own cue in the large cue row, said once
    assert view.cue_label.text() == ROW.cue and view.exercise_cue_label.text() == ""
    assert view.zone_label.text() == ""  # no band readout during a set: it means nothing there
    # During the rest the next exercise is named; no tempo bar asks for repetitions.
    presenter.accept(state(exercise=ROW, phase="rest", next_phase="work"))
    assert view.exercise_label.text() == f"next: {ROW.name}" and view.tempo_bar.isHidden()
    assert view.zone_label.text() == "above band · zone 3"


def test_alpha1_and_strap_status(qtbot: QtBot) -> None:
    presenter = SessionPresenter()
    view = TrainingView(presenter)
    qtbot.addWidget(view)
    presenter.accept(state())
    assert view.alpha_label.text() == ""  # no RR: nothing shown, not a made-up value
    presenter.accept(state(alpha1=0.82, corrected_share=0.012))
    assert view.alpha_label.text() == "DFA α1 0.82 · corrected beats 1.2 %"
    presenter.status_changed.emit(SourceStatus("h10", "searching", "Polar H10", 64, -80))
    assert view.status_label.text() == ("strap Polar H10: searching · battery 64 % · "
                                         "signal -80 dBm")
    presenter.status_changed.emit(SourceStatus("h10", "lost", "Polar H10"))
    assert "signal lost" in view.status_label.text()


def test_choices_are_remembered_across_windows(qtbot: QtBot, aloop: object, store: Any,
                                               qsettings: QSettings, tmp_path: Path) -> None:
    first = build_window(store, qsettings, "dark", cue_output=RecordingCues(),
                         confirm=Answers())
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.plans.select("zone2-continuous")
    first.use_strap(StrapChoice("C0:FF:EE:00:11:22", "Polar H10"))
    first.cue_actions["voice"].setChecked(True)
    first.profile_editor.name.setText("Ann")
    first.profile_editor.rest_hr.setText("58")
    first.profile_editor.save_button.click()
    first.set_theme("dark")
    hint = first.minimumSizeHint()
    wanted = (max(hint.width(), 1000) + 37, max(hint.height(), 600) + 23)
    first.resize(*wanted)
    qtbot.waitUntil(lambda: (first.width(), first.height()) == wanted)
    first.close()
    assert store.athletes()[0][0] == "Ann"

    second = build_window(store, qsettings, None, cue_output=RecordingCues(), confirm=Answers())
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.theme == "dark"
    assert second.plans.plan is not None and second.plans.plan.name == "zone2-continuous"
    assert second.strap == StrapChoice("C0:FF:EE:00:11:22", "Polar H10")
    assert second.cues.settings.voice and second.cue_actions["voice"].isChecked()
    assert second.profile.name == "Ann" and second.profile.rest_hr_bpm == 58
    # the offscreen screen is small: Qt fits the restored width to it, the height comes back
    assert second.height() == wanted[1] and second.width() >= second.minimumSizeHint().width()
    second.use_strap(StrapChoice(None, "Simulated strap"))
    assert qsettings.value("strap/address") is None


def test_dashboard_command_refuses_a_bad_speed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dashboard", "--speed", "0"]) == 2
    assert "--speed must be positive" in capsys.readouterr().err


def test_a_remembered_strap_out_of_reach_falls_back_to_the_simulated_one(
        qtbot: QtBot, aloop: object, fake_bus: object, store: Any, qsettings: QSettings,
        tmp_path: Path) -> None:
    """A private system bus with no BlueZ on it: bleak fails at once, the session still runs."""
    from zonetrainer.core.settings import SettingsFile

    strap_file = SettingsFile(tmp_path / "settings.json")
    window = build_window(store, qsettings, "light", 40.0, cue_output=RecordingCues(),
                          confirm=Answers(), strap_file=strap_file)
    qtbot.addWidget(window)
    window.use_strap(StrapChoice("C0:FF:EE:00:11:22", "Polar H10"))
    assert strap_file.load().last_device_address == "C0:FF:EE:00:11:22"  # for `run` too
    window.start()
    qtbot.waitUntil(lambda: window.presenter.state is not None
                    and window.presenter.state.elapsed_s > 3, timeout=20_000)
    assert "simulated strap instead" in window.message.text()
    assert window.presenter.status is not None
    assert window.presenter.status.source_id != "C0:FF:EE:00:11:22"
    with qtbot.waitSignal(window.presenter.session_finished, timeout=20_000):
        window.presenter.end()
    events = store.load(store.list_sessions()[0].id).events
    assert any(e.kind == "source_fallback" for e in events)


def test_switching_theme_mid_session_rebuilds_the_screens(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings) -> None:
    from zonetrainer.ui.text import clock_text
    from zonetrainer.ui.theme import PLOT_COLOURS

    window = build_window(store, qsettings, "light", 40.0, cue_output=RecordingCues(),
                          confirm=Answers())
    qtbot.addWidget(window)
    window.start()
    qtbot.waitUntil(lambda: window.presenter.state is not None
                    and window.presenter.state.elapsed_s > 3, timeout=20_000)
    old = window.training
    window.set_theme("dark")
    assert window.training is not old and window.theme == "dark"
    background = window.training.plots.live.backgroundBrush().color().name()
    assert background == PLOT_COLOURS["dark"]["background"]
    assert window.training.phase_label.text() != "READY"  # the running state, shown at once
    shown_at = window.presenter.state.elapsed_s
    qtbot.waitUntil(lambda: window.presenter.state.elapsed_s > shown_at + 2, timeout=20_000)
    state = window.presenter.state
    assert window.training.elapsed_label.text() == (  # the new view keeps following
        f"{clock_text(state.elapsed_s)} / {clock_text(state.session_duration_s)}")
    assert len(window.training.presenter.hr) > 0 and window.training.plots.redraws > 0
    with qtbot.waitSignal(window.presenter.session_finished, timeout=20_000):
        window.presenter.end()
    assert qsettings.value("theme") == "dark"


def test_the_cues_menu_says_when_a_cue_cannot_sound(qtbot: QtBot, store: Any,
                                                    qsettings: QSettings) -> None:
    class Mute(RecordingCues):
        can_play = False
        can_speak = False
        notes = ("sounds off: no sound system", "voice off: no speech engine")

    window = build_window(store, qsettings, "light", cue_output=Mute(), confirm=Answers())
    qtbot.addWidget(window)
    assert window.cue_actions["voice"].text() == "Voice (unavailable)"
    assert "no speech engine" in window.cue_actions["voice"].toolTip()
    assert window.cue_actions["sounds"].text() == "Sounds (unavailable)"
    assert window.cue_actions["voice"].isCheckable()  # the choice is still remembered
