"""What the training screen shows around the live readings: nothing looks live when it is not
(before the first reading, during a loss, after the session), keys wherever the focus is, a
long status line that does not widen the window, empty plots with sensible axes, theme colours."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tests.support import store_data as data
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.control import BOUT_HISTORY_KEY as EXTRA_KEY
from zonetrainer.core.control import BoutHistory
from zonetrainer.core.model import SessionState, SourceStatus
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.ui.app import build_window
from zonetrainer.ui.devices import SIMULATED
from zonetrainer.ui.main_window import MainWindow
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.session import SessionSetup, start_session
from zonetrainer.ui.theme import THEMES, ThemeName, apply_theme, band_colour
from zonetrainer.ui.training import TrainingView

from .conftest import Answers, RecordingCues
from .states import BAND, state
from .strap import FollowingStrap

PROFILE = Profile(name="Test", age_years=40)
GREY = band_colour("light", None)
WAITING = "waiting for\nthe strap…"


def make_view(qtbot: QtBot) -> TrainingView:
    view = TrainingView(SessionPresenter())
    qtbot.addWidget(view)
    return view


def hr_colour(view: TrainingView) -> str:
    match = re.search(r"color: (#[0-9a-f]{6})", view.hr_label.styleSheet())
    return match.group(1) if match else ""


def looks_live(view: TrainingView) -> bool:
    """A number on its own in the big label, or a zone, or 'connected': what reads as live."""
    return bool(re.fullmatch(r"\d+", view.hr_label.text()) or view.zone_label.text()
                or "connected" in view.status_label.text())


# 1. after the session, and during a loss --------------------------------------------------------
def test_after_a_finished_session_the_readings_are_last_values_and_the_strap_stopped(
        qtbot: QtBot, aloop: object) -> None:
    presenter = SessionPresenter()
    view = TrainingView(presenter)
    qtbot.addWidget(view)
    shown: list[tuple[SessionState, str]] = []
    presenter.state_changed.connect(lambda s: shown.append((s, view.hr_label.text())))
    view.prepare(PROFILE.band(), PROFILE.zones())
    start_session(presenter, SessionSetup(load_plan("fatmax-intervals"), PROFILE, SIMULATED,
                                          speed=0), clock=VirtualClock(),
                  source=FollowingStrap(PROFILE.band(), gaps=((0.0, 6.0),)))
    qtbot.waitUntil(lambda: not presenter.running, timeout=60_000)
    last = presenter.state
    assert last is not None and last.done and last.signal_live and last.hr_bpm is not None
    # Before the first reading (the strap's first 6 s) the session waits; nothing was lost.
    before = [hr for st, hr in shown if st.elapsed_s < 6.0]
    assert before and all(hr == WAITING for hr in before)
    assert "signal lost" not in [hr for _, hr in shown]
    assert view.hr_label.text() == f"last {last.hr_bpm:.0f} bpm"
    assert hr_colour(view) == GREY and view.hr_unit.isHidden()
    assert view.zone_label.text() == ""
    assert view.status_label.text() == "strap Test strap: stopped · session over"
    assert not looks_live(view)


def test_a_session_that_fails_leaves_no_live_looking_values(qtbot: QtBot, aloop: object) -> None:
    presenter = SessionPresenter()
    view = TrainingView(presenter)
    qtbot.addWidget(view)

    async def run(on_state: Callable[[SessionState], None]) -> None:
        on_state(state(alpha1=0.91, corrected_share=0.01))
        raise RuntimeError("the strap went away")

    strap = SourceStatus("h10", "connected", "Polar H10", 64)
    presenter.start(run, object(), lambda: strap)  # type: ignore[arg-type]  # never controlled
    qtbot.waitUntil(lambda: not presenter.running, timeout=5_000)
    assert view.hr_label.text() == "last 131 bpm" and hr_colour(view) == GREY
    assert view.alpha_label.text().startswith("last DFA α1 0.91")
    assert view.status_label.text() == "strap Polar H10: stopped · session over"
    assert not looks_live(view)


def test_a_second_session_on_the_same_strap_shows_it_connected_again(
        qtbot: QtBot, aloop: object) -> None:
    presenter = SessionPresenter()
    view = TrainingView(presenter)
    qtbot.addWidget(view)
    strap = SourceStatus("h10", "connected", "Polar H10", 64)
    seen: list[str] = []
    presenter.state_changed.connect(lambda _: seen.append(view.status_label.text()))

    async def run(on_state: Callable[[SessionState], None]) -> None:
        on_state(state())

    for _ in range(2):
        # the same strap status both times: the presenter tells no change the second time
        presenter.start(run, object(), lambda: strap)  # type: ignore[arg-type]  # never controlled
        qtbot.waitUntil(lambda: not presenter.running, timeout=5_000)
        assert view.status_label.text() == "strap Polar H10: stopped · session over"
    assert seen == ["strap Polar H10: connected · battery 64 %"] * 2


def test_a_done_state_shows_the_last_dfa_value_as_the_last(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.presenter.accept(state(phase="done", next_phase=None, alpha1=1.08,
                                corrected_share=0.016, zone=1, in_band=False))
    assert view.alpha_label.text() == "last DFA α1 1.08 · corrected beats 1.6 %"
    assert view.zone_label.text() == "" and hr_colour(view) == GREY


def test_during_a_signal_loss_the_dfa_value_is_not_shown(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.presenter.accept(state(alpha1=1.08, corrected_share=0.016))
    assert view.alpha_label.text() == "DFA α1 1.08 · corrected beats 1.6 %"
    # the engine still carries the value from before the loss: the screen must not show it
    view.presenter.accept(state(hr_bpm=None, signal_live=False, alpha1=1.08,
                                corrected_share=0.016))
    assert view.hr_label.text() == "signal lost"
    assert "1.08" not in view.alpha_label.text() and "1.6" not in view.alpha_label.text()
    assert "no signal" in view.alpha_label.text()


# 2. before the first reading; idle plots; strap line ---------------------------------------------
def test_before_the_first_reading_it_waits_and_after_one_a_loss_is_a_loss(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.presenter.accept(state(hr_bpm=None, signal_live=False, elapsed_s=0.5))
    assert view.hr_label.text() == WAITING and hr_colour(view) == GREY
    view.presenter.accept(state(elapsed_s=1.0))
    assert view.hr_label.text() == "131"
    view.presenter.accept(state(hr_bpm=None, signal_live=False, elapsed_s=6.0))
    assert view.hr_label.text() == "signal lost"


def test_idle_plots_show_sensible_empty_ranges(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.prepare(BAND, None)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    x_min, x_max = view.plots.overview.getPlotItem().viewRange()[0]
    assert -0.05 <= x_min <= 0.0 and 0.9 <= x_max <= 1.05  # the first minute
    y_min, y_max = view.plots.overview.getPlotItem().viewRange()[1]
    assert y_min <= BAND.low_bpm and BAND.high_bpm <= y_max <= 200
    assert view.zone_bars.getPlotItem().viewRange()[1] == pytest.approx([0.0, 1.0])


def make_window(qtbot: QtBot, store: Any, qsettings: QSettings, answers: Answers) -> MainWindow:
    window = build_window(store, qsettings, "light", 40.0, cue_output=RecordingCues(),
                          confirm=answers)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.plans.select("fatmax-intervals")
    return window


def test_the_strap_line_names_the_strap_the_status_bar_names(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings, answers: Answers) -> None:
    window = make_window(qtbot, store, qsettings, answers)
    assert "strap: Simulated strap" in window.message.text()
    assert window.training.status_label.text().startswith("strap Simulated strap: not connected")


# 3. keys --------------------------------------------------------------------------------------
def test_keys_work_with_the_focus_on_the_tab_bar_and_only_while_train_shows(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings, answers: Answers) -> None:
    window = make_window(qtbot, store, qsettings, answers)
    presenter, bar = window.presenter, window.tabs.tabBar()
    bar.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is bar)
    qtbot.keyClick(bar, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert presenter.running
    qtbot.waitUntil(lambda: presenter.state is not None and presenter.state.elapsed_s > 2,
                    timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: presenter.state.paused, timeout=5_000)

    # On the Profile tab Space types a space into the field; the session stays paused.
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.tabRect(window.tabs.indexOf(window.profile_editor)).center())
    assert window.tabs.currentWidget() is window.profile_editor
    name = window.profile_editor.name
    name.setFocus()
    name.clear()
    qtbot.keyClicks(name, "a b")
    assert name.text() == "a b"
    qtbot.keyClick(bar, Qt.Key.Key_Space)
    paused_at = presenter.state.elapsed_s
    qtbot.waitUntil(lambda: presenter.state.elapsed_s > paused_at + 2, timeout=5_000)
    assert presenter.state.paused

    # Back on Train by a click on its tab: the focus is on the tab bar, Space resumes.
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    assert window.tabs.currentWidget() is window.training
    qtbot.keyClick(bar, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not presenter.state.paused, timeout=5_000)
    assert presenter.state.phase == "warmup"
    qtbot.keyClick(bar, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: presenter.state.phase == "work", timeout=5_000)
    with qtbot.waitSignal(presenter.session_finished, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert answers.asked == ["End the session?"]
    assert not looks_live(window.training)
    window.set_theme("dark")  # the screens are rebuilt: the new one knows the session is over
    assert not looks_live(window.training)
    assert window.training.hr_label.text().startswith("last ")


# 4. the status bar -----------------------------------------------------------------------------
def test_a_long_status_message_is_cut_and_never_widens_the_window(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings, answers: Answers) -> None:
    window = make_window(qtbot, store, qsettings, answers)
    window.save_profile(Profile(name="Ann", age_years=40.0))  # only a saved athlete is recalled
    sid = store.import_record(data.record(datetime.now(UTC) - timedelta(days=3), athlete="Ann"))
    store.set_extra(sid, EXTRA_KEY, BoutHistory(work_bouts=22, eased_bouts=20).to_json())
    window.resize(1024, 700)
    window.start()
    message = window.message.text()
    assert '20 of 22 work bouts needed "ease off", so the first work bout' in message
    assert window.minimumSizeHint().width() <= 1024
    qtbot.waitUntil(lambda: window.width() == 1024)
    shown = QLabel.text(window.message)  # what is painted, not the whole message
    assert shown.endswith("…") and len(shown) < len(message)
    assert window.message.toolTip() == message
    window.presenter.end()
    qtbot.waitUntil(lambda: not window.presenter.running, timeout=20_000)


def test_words_in_the_big_readout_and_a_long_strap_line_fit_a_1024_px_screen(
        qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.presenter.status_changed.emit(SourceStatus(
        "sim", "lost", "Simulated strap", 87, -71, detail="simulated athlete, seed 580215323"))
    view.presenter.accept(state(alpha1=1.08, corrected_share=0.016))
    view.presenter.accept(state(hr_bpm=None, signal_live=False, alpha1=1.08))
    assert view.hr_label.text() == "signal lost"
    assert view.minimumSizeHint().width() <= 1000


# 5. theme ------------------------------------------------------------------------------------
@pytest.fixture
def themed(qapp: QApplication) -> Iterator[Callable[[ThemeName], None]]:
    """Applies a theme to the application; the look before is restored afterwards."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    yield lambda theme: apply_theme(qapp, theme)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                + 0.0722 * channel(c.blueF()))
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def reddish_pixels(view: TrainingView) -> int:
    image = view.end_button.grab().toImage()
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            count += c.red() > 120 and c.red() > 2 * c.green() and c.red() > 2 * c.blue()
    return count


@pytest.mark.parametrize("theme", THEMES)
def test_a_disabled_end_button_is_not_red(qtbot: QtBot, themed: Callable[[ThemeName], None],
                                          theme: ThemeName) -> None:
    themed(theme)
    view = TrainingView(SessionPresenter(), theme)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    assert not view.end_button.isEnabled()
    assert reddish_pixels(view) == 0
    view.end_button.setEnabled(True)  # the same button enabled is red: the check can see red
    assert reddish_pixels(view) > 10


@pytest.mark.parametrize("theme", THEMES)
def test_placeholders_are_readable(qtbot: QtBot, themed: Callable[[ThemeName], None],
                                   theme: ThemeName, tmp_path: Path) -> None:
    themed(theme)
    palette = QApplication.palette()
    placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
    base = palette.color(QPalette.ColorRole.Base)
    assert placeholder.alpha() == 255
    assert contrast(placeholder, base) >= 4.5
    # muted: clearly lighter-weight than the text typed into the same field
    assert contrast(placeholder, base) < contrast(palette.color(QPalette.ColorRole.Text), base)
