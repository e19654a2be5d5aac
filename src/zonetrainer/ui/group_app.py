"""The coach's window: the group screen over one :class:`GroupSession`, with start, pause,
resume, skip and end for all (toolbar) or one (a tile's right-click menu); a click on a tile
opens that athlete's full training view.

Each athlete has their own :class:`SessionPresenter` (the one a :class:`TrainingView` needs),
fed by the group's states, and their own cue player whose voice says the name: "Ann, ease off".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar, QWidget

from zonetrainer.core.group import GroupSession, named_cue
from zonetrainer.core.model import SessionState, SourceStatus
from zonetrainer.core.runner import REAL_TICK_S
from zonetrainer.ui import text
from zonetrainer.ui.cues import CueOutput, CuePlayer, CueSettings
from zonetrainer.ui.group_screen import GroupScreen
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.theme import ThemeName
from zonetrainer.ui.training import TrainingView, ask

log = logging.getLogger(__name__)

Confirm = Callable[[QWidget, str, str], bool]


class NamedOutput:
    """A cue output that puts the athlete's name before every phrase it says."""

    def __init__(self, name: str, output: CueOutput) -> None:
        self.name, self.output = name, output

    def play(self, sound: str) -> None:
        self.output.play(sound)

    def say(self, phrase: str) -> None:
        self.output.say(named_cue(self.name, phrase))


class GroupWindow(QMainWindow):
    def __init__(self, group: GroupSession, theme: ThemeName = "light",
                 cue_output: CueOutput | None = None, confirm: Confirm = ask) -> None:
        super().__init__()
        self.group, self.theme, self.confirm = group, theme, confirm
        self.setWindowTitle(f"zonetrainer — group of {len(group)}")
        names = list(group.members)
        ceilings = {n: m.runner.engine.safety_max_bpm or float("inf")
                    for n, m in group.members.items()}
        self.tiles_screen = GroupScreen(names, ceilings, theme, self._status_of)
        self.tiles_screen.athlete_clicked.connect(self.open_athlete)
        self.tiles_screen.action_requested.connect(self.act)
        self.presenters: dict[str, SessionPresenter] = {}
        self.cue_players: dict[str, CuePlayer] = {}
        self.views: dict[str, TrainingView] = {}
        self.failures: dict[str, str] = {}
        for name in names:
            presenter = SessionPresenter()
            presenter.running_changed.connect(self._running_changed)
            presenter.session_failed.connect(lambda text, n=name: self._failed(n, text))
            self.presenters[name] = presenter
            if cue_output is not None:
                player = CuePlayer(NamedOutput(name, cue_output),
                                   CueSettings(sounds=True, voice=True, tempo_click=False))
                presenter.phase_changed.connect(player.phase_changed)
                presenter.cue_raised.connect(player.cue_raised)
                self.cue_players[name] = player
        group.on_state = self._on_state
        self.message = QLabel("Start all, or right-click a tile to start one athlete")
        self.message.setObjectName("statusLabel")
        self.statusBar().addWidget(self.message, 1)
        bar = QToolBar("Group")
        bar.setObjectName("groupToolbar")
        for label, slot in (("Start all", self.start_all), ("Pause all", self.pause_all),
                            ("Resume all", self.resume_all), ("Skip all", self.skip_all),
                            ("End all", self.request_end_all)):
            action = QAction(label, self)
            action.triggered.connect(slot)
            bar.addAction(action)
        self.addToolBar(bar)
        self.setCentralWidget(self.tiles_screen)
        self._closing = False
        # strap and battery of athletes still connecting: there is no state to carry them
        self._status_timer = QTimer(self)
        self._status_timer.timeout.connect(self.tiles_screen.refresh_status)
        self._status_timer.start(1000)

    def _status_of(self, name: str) -> SourceStatus | None:
        member = self.group.members[name]
        return member.runner.source.status() if member.started else None

    def _on_state(self, name: str, state: SessionState) -> None:
        self.presenters[name].accept(state)
        self.tiles_screen.show_state(name, state)

    # -- intents --------------------------------------------------------------------------------
    def start(self, name: str) -> None:
        presenter = self.presenters[name]
        if presenter.running or self.group.members[name].started:
            return
        runner = self.group.members[name].runner

        async def run(_accept: Callable[[SessionState], None]) -> Any:
            task = self.group.start(name).task
            assert task is not None
            return await task
        presenter.start(run, runner, runner.source.status)
        self._say_running()

    def start_all(self) -> None:
        """Start everyone, spread over one tick: athletes started together would tick (and
        compute their DFA windows) at the same moments, and a tile's paint would wait behind
        all of them; spread out, it waits for one at most."""
        names = [n for n in self.group.members if not self.group.members[n].started]
        spread_ms = 1000 * REAL_TICK_S / max(1, len(names))
        for k, name in enumerate(names):
            if k == 0:
                self.start(name)
            else:
                QTimer.singleShot(round(k * spread_ms), lambda n=name: self.start(n))

    def pause_all(self) -> None:
        for p in self.presenters.values():
            p.pause()

    def resume_all(self) -> None:
        for p in self.presenters.values():
            p.resume()

    def skip_all(self) -> None:
        """Skip every athlete's interval; where that ends a ramp test early (its last step),
        asked first, No by default (and then nobody skips)."""
        ending = [n for n, p in self.presenters.items() if text.skip_question(p.state)]
        if ending and not self.confirm(
                self, "End their ramp tests?", f"Skipping now ends the ramp test of "
                f"{', '.join(ending)} early (their last step): stored as ended early, the "
                "threshold from the steps run so far. Skip for everyone?"):
            return
        for p in self.presenters.values():
            p.skip()

    def end_all(self) -> None:
        for p in self.presenters.values():
            if p.running:
                p.end()

    def request_end_all(self) -> None:
        if self.running and self.confirm(self, "End every session?",
                                         "End every athlete's session now? What was "
                                         "recorded is kept."):
            self.end_all()

    def act(self, name: str, action: str) -> None:
        """One athlete's own intent, from their tile's menu."""
        if action == "start":
            self.start(name)
            return
        presenter = self.presenters[name]
        question = text.skip_question(presenter.state) if action == "skip" else None
        if question is not None and not self.confirm(self, *question):
            return
        {"pause": presenter.pause, "resume": presenter.resume, "skip": presenter.skip,
         "end": presenter.end}[action]()

    @property
    def running(self) -> bool:
        return any(p.running for p in self.presenters.values())

    # -- an athlete's own training view ---------------------------------------------------------
    def open_athlete(self, name: str) -> TrainingView:
        view = self.views.get(name)
        if view is None:
            presenter = self.presenters[name]
            engine = self.group.members[name].runner.engine
            view = TrainingView(presenter, self.theme, self.confirm)
            view.prepare(engine.band, engine.zones)
            view.start_requested.connect(lambda n=name: self.start(n))
            view.pause_toggled.connect(presenter.toggle_pause)
            view.skip_requested.connect(presenter.skip)
            view.end_requested.connect(presenter.end)
            view.setWindowTitle(f"{name} — zonetrainer")
            view.resize(1280, 800)
            if presenter.state is not None:
                view.show_state(presenter.state)
            self.views[name] = view
        view.show()
        view.raise_()
        return view

    # -- feedback ------------------------------------------------------------------------------
    def _failed(self, name: str, text: str) -> None:
        self.failures[name] = text
        self._say_running()

    def _say_running(self) -> None:
        running = sum(p.running for p in self.presenters.values())
        ended = sum(m.finished for m in self.group.members.values())
        text = f"{running} of {len(self.presenters)} athletes training"
        if ended:
            text += f", {ended} ended"
        if self.failures:
            text += " · " + "; ".join(f"{n}: {t}" for n, t in self.failures.items())
        self.message.setText(text)
        self.message.setToolTip(text)

    def _running_changed(self, _running: bool) -> None:
        self._say_running()
        if self._closing and not self.running:
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            if not self._closing and not self.confirm(
                    self, "End every session?", "Close the group and end every athlete's "
                    "session? What was recorded is kept."):
                event.ignore()
                return
            # every session ends and is stored first; the window closes once they have
            self._closing = True
            self.end_all()
            event.ignore()
            return
        for view in self.views.values():
            view.close()
        event.accept()


def run_group(group: GroupSession, theme: ThemeName = "light",
              cue_output: CueOutput | None = None) -> int:
    """Show the group window and run until it closes (every session ended and stored)."""
    from zonetrainer.ui import loop
    from zonetrainer.ui.app import application
    from zonetrainer.ui.cues import QtCueOutput
    from zonetrainer.ui.theme import apply_theme

    app = application()
    apply_theme(app, theme)
    window = GroupWindow(group, theme, cue_output or QtCueOutput())
    window.resize(1400, 900)
    window.show()
    return loop.run(app)
