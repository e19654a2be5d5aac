"""What a new sample repaints on the training screen (issue 14, the CPU of a live session).

QLabel.setText asks the window for a new layout at every new text, and the main window's tabs
answer that by repainting their whole page: at 1920x1080 that was six full repaints a second.
A new second must repaint the readouts whose text changed, and nothing else.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from zonetrainer.ui.app import build_window
from zonetrainer.ui.labels import ElidedLabel, QuietLabel

from .conftest import Answers, RecordingCues
from .states import state


class Seen(QObject):
    """Counts the paint and layout-request events of the widgets it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.events: Counter[tuple[str, QEvent.Type]] = Counter()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Paint, QEvent.Type.LayoutRequest):
            self.events[(watched.objectName(), event.type())] += 1
        return False


def second(t_s: float) -> Any:
    return state(elapsed_s=t_s, phase_elapsed_s=t_s - 398.5, phase_remaining_s=458.5 - t_s,
                 alpha1=0.93, corrected_share=0.012)


def test_a_new_second_repaints_the_changed_readouts_not_the_window(
        qtbot: QtBot, qsettings: QSettings, answers: Answers) -> None:
    win = build_window(None, qsettings, "light", cue_output=RecordingCues(), confirm=answers)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.tabs.setCurrentWidget(win.training)
    qtbot.waitExposed(win)
    view = win.training
    view.presenter.accept(second(400.0))
    qtbot.wait(600)  # the overview's redraw (OVERVIEW_DELAY_S) and what start-up left to do
    seen = Seen()
    win.tabs.setObjectName("tabs")
    watched = (win.tabs, view.start_button, view.hr_unit, view.countdown_label,
               view.elapsed_label, view.alpha_label)
    for widget in watched:
        widget.installEventFilter(seen)
    for t_s in (401.0, 401.25, 401.5, 402.0):  # the runner's ticks: four a second
        view.presenter.accept(second(t_s))
        qtbot.wait(20)
    paint, layout = QEvent.Type.Paint, QEvent.Type.LayoutRequest
    assert seen.events[("tabs", layout)] == 0, seen.events
    assert seen.events[("startButton", paint)] == 0, seen.events
    assert seen.events[("hrUnit", paint)] == 0, seen.events
    assert seen.events[("alphaLabel", paint)] == 0, seen.events  # its text did not change
    assert seen.events[("countdownLabel", paint)] >= 2, seen.events  # 0:57, 0:56
    assert seen.events[("elapsedLabel", paint)] >= 2, seen.events
    assert view.countdown_label.text() == "0:57" and view.elapsed_label.text().startswith("6:42")


def test_quiet_labels_read_as_labels_and_ask_for_room_when_their_text_grows(
        qtbot: QtBot) -> None:
    label = QuietLabel("6:40 / 25:00")
    qtbot.addWidget(label)
    label.show()
    assert label.text() == "6:40 / 25:00" and label.accessibleName() == "6:40 / 25:00"
    iface = QAccessible.queryAccessibleInterface(label)
    assert iface is not None and iface.text(QAccessible.Text.Name) == "6:40 / 25:00"
    narrow = label.sizeHint().width()
    label.setText("1:06:40 / 2:05:00")
    assert label.sizeHint().width() > narrow
    line = ElidedLabel("strap H10: connected · battery 80 %")
    qtbot.addWidget(line)
    line.resize(60, 20)
    line.show()
    assert line.text() == "strap H10: connected · battery 80 %"
    assert line.toolTip() == line.text() and QLabel.text(line).endswith("…")
