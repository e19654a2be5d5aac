"""The main window: training, plan, profile and history tabs; menus for strap, theme and cues.

Window geometry and choices (theme, plan, strap, athlete, cues) live in QSettings, which the
caller hands in (tests point it at a file under tmp_path).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget

from zonetrainer.core.errors import UserError
from zonetrainer.core.plan import Plan
from zonetrainer.core.profile import Profile
from zonetrainer.ui.cues import CueOutput, CuePlayer, CueSettings
from zonetrainer.ui.devices import SIMULATED, DevicePicker, ScanFn, StrapChoice
from zonetrainer.ui.export_dialog import ExportDialog
from zonetrainer.ui.history import HistoryView
from zonetrainer.ui.plan_picker import PlanPicker
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.profile_editor import ProfileEditor, profile_from_json, profile_to_json
from zonetrainer.ui.session import SessionSetup, start_session
from zonetrainer.ui.theme import THEMES, ThemeName, apply_theme
from zonetrainer.ui.training import Confirm, TrainingView, ask

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, presenter: SessionPresenter, settings: QSettings, store: Any | None,
                 cue_output: CueOutput, theme: ThemeName = "light", speed: float = 1.0,
                 scan: ScanFn | None = None, confirm: Confirm = ask,
                 export_dir: Path | None = None, strap_file: Any | None = None) -> None:
        super().__init__()
        self.setWindowTitle("zonetrainer")
        self.presenter, self.settings, self.store = presenter, settings, store
        self.speed, self.scan, self.confirm = speed, scan, confirm
        self.export_dir = export_dir or Path.home()
        self.theme = theme
        # core.settings.SettingsFile: the strap chosen here is the one `zonetrainer run` tries
        self.strap_file = strap_file
        self.runner: Any = None
        self._closing = False
        self.strap = self._load_strap()
        self.profile = self._load_profile()
        self.cues = CuePlayer(cue_output, CueSettings(
            sounds=self._flag("cues/sounds", True), voice=self._flag("cues/voice", False),
            tempo_click=self._flag("cues/tempo_click", True)))
        presenter.phase_changed.connect(self.cues.phase_changed)
        presenter.cue_raised.connect(self.cues.cue_raised)
        presenter.state_changed.connect(self.cues.state_changed)
        presenter.session_finished.connect(self._finished)
        presenter.session_failed.connect(self._failed)

        self.message = QLabel()
        self.statusBar().addWidget(self.message, 1)
        self._build_screens(theme)
        self._menus()
        self._show_choice()
        geometry = settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def _build_screens(self, theme: ThemeName) -> None:
        """The four tabs in ``theme``; rebuilt on a change of theme (plots take colours when
        made). A running session carries on: its data lives in the presenter."""
        presenter, confirm = self.presenter, self.confirm
        old_tabs: QTabWidget | None = getattr(self, "tabs", None)
        old_plans: PlanPicker | None = getattr(self, "plans", None)
        current = old_tabs.currentIndex() if old_tabs is not None else 0
        selected = old_plans.plan.name if old_plans is not None and old_plans.plan else None
        self.theme = theme
        self.training = TrainingView(presenter, theme, confirm)
        self.plans = PlanPicker(theme=theme, selected=selected or str(
            self.settings.value("plan", "") or "") or None)
        self.profile_editor = ProfileEditor(self.profile)
        self.history = HistoryView(self.store, theme, confirm)
        self.tabs = QTabWidget()
        for widget, title in ((self.training, "Train"), (self.plans, "Plan"),
                              (self.profile_editor, "Profile"), (self.history, "History")):
            self.tabs.addTab(widget, title)
        self.setCentralWidget(self.tabs)  # the old tabs are deleted with their connections
        self.tabs.setCurrentIndex(current)
        self.training.start_requested.connect(self.start)
        self.training.pause_toggled.connect(presenter.toggle_pause)
        self.training.skip_requested.connect(presenter.skip)
        self.training.end_requested.connect(presenter.end)
        self.training.device_requested.connect(self.choose_strap)
        self.plans.plan_chosen.connect(self._plan_chosen)
        self.profile_editor.profile_saved.connect(self.save_profile)
        self.history.export_requested.connect(self.export)
        state = presenter.state
        band = state.band if state is not None else self.profile.band()
        self.training.prepare(band, self.profile.zones())
        if state is not None:
            self.training.show_state(state)
            if presenter.status is not None:
                self.training.show_status(presenter.status)
            self.training.plots.redraw(overview=True)

    # settings ----------------------------------------------------------------------------------
    def _flag(self, key: str, default: bool) -> bool:
        value = self.settings.value(key, default)
        return value in (True, "true", "1", 1)

    def _load_strap(self) -> StrapChoice:
        address = self.settings.value("strap/address")
        if address:
            return StrapChoice(str(address), str(self.settings.value("strap/name", address)))
        return SIMULATED

    def _load_profile(self) -> Profile:
        name = self.settings.value("athlete")
        if self.store is not None and name:
            try:
                for athlete, raw in self.store.athletes():
                    if athlete == name:
                        return profile_from_json(raw)
            except UserError as exc:
                log.warning("cannot load athlete %s: %s", name, exc)
        return Profile()

    def _menus(self) -> None:
        bar = self.menuBar()
        session = bar.addMenu("&Session")
        strap = QAction("Choose &strap…", self)
        strap.triggered.connect(self.choose_strap)
        session.addAction(strap)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut("Ctrl+Q")
        quit_action.triggered.connect(self.close)
        session.addAction(quit_action)
        view = bar.addMenu("&View")
        for name in THEMES:
            action = QAction(f"{name.capitalize()} theme", self)
            action.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            view.addAction(action)
        cues = bar.addMenu("&Cues")
        self.cue_actions: dict[str, QAction] = {}
        for key, title in (("sounds", "Sounds"), ("voice", "Voice"),
                           ("tempo_click", "Tempo click")):
            action = QAction(title, self)
            action.setCheckable(True)
            action.setChecked(getattr(self.cues.settings, key))
            action.toggled.connect(lambda on, k=key: self.set_cue(k, on))
            cues.addAction(action)
            self.cue_actions[key] = action
        # Say in the menu why a cue cannot sound here (no sound system, no speech engine).
        output = self.cues.output
        notes = " ".join(getattr(output, "notes", []))
        if getattr(output, "can_play", True) is False:
            for key in ("sounds", "tempo_click"):
                self.cue_actions[key].setText(self.cue_actions[key].text() + " (unavailable)")
                self.cue_actions[key].setToolTip(notes)
        if getattr(output, "can_speak", True) is False:
            self.cue_actions["voice"].setText("Voice (unavailable)")
            self.cue_actions["voice"].setToolTip(notes)
        cues.setToolTipsVisible(True)

    def set_cue(self, key: str, on: bool) -> None:
        setattr(self.cues.settings, key, on)
        self.settings.setValue(f"cues/{key}", on)

    def set_theme(self, theme: ThemeName) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.settings.setValue("theme", theme)
        if theme != self.theme:
            self._build_screens(theme)

    def _show_choice(self) -> None:
        plan = self.plans.plan
        self.message.setText(f"Plan: {plan.title if plan else 'none'} · athlete: "
                             f"{self.profile.name} · strap: {self.strap.name}")

    # intents -------------------------------------------------------------------------------------
    def _plan_chosen(self, plan: Plan) -> None:
        self.settings.setValue("plan", plan.name)
        self._show_choice()

    def save_profile(self, profile: Profile) -> None:
        self.profile = profile
        self.settings.setValue("athlete", profile.name)
        if self.store is not None:
            try:
                self.store.save_athlete(profile.name, profile_to_json(profile))
            except UserError as exc:
                self.message.setText(f"Profile not saved: {exc}")
                return
        if not self.presenter.running:
            self.training.prepare(profile.band(), profile.zones())
        self._show_choice()

    def choose_strap(self) -> DevicePicker:
        picker = DevicePicker(self.presenter.tasks, self.scan, current=self.strap, parent=self)
        picker.accepted.connect(lambda: self.use_strap(picker.choice))
        picker.open()
        return picker

    def use_strap(self, choice: StrapChoice) -> None:
        self.strap = choice
        if choice.simulated:
            self.settings.remove("strap")
        else:
            self.settings.setValue("strap/address", choice.address)
            self.settings.setValue("strap/name", choice.name)
            if self.strap_file is not None and choice.address is not None:
                try:
                    self.strap_file.remember_device(choice.address, choice.name)
                except UserError as exc:
                    log.warning("strap not remembered for the terminal mode: %s", exc)
        self._show_choice()

    def start(self) -> None:
        if self.presenter.running or self.plans.plan is None:
            return
        setup = SessionSetup(self.plans.plan, self.profile, self.strap, self.speed)
        recorder = self.store.recorder() if self.store is not None else None
        self.training.prepare(self.profile.band(), self.profile.zones())
        try:
            self.runner = start_session(self.presenter, setup, recorder,
                                        on_fallback=self.message.setText)
        except UserError as exc:
            self._failed(str(exc))
            return
        self.tabs.setCurrentWidget(self.training)
        self.message.setText(f"{setup.plan.title} with {self.strap.name}")

    def _finished(self, result: object) -> None:
        self.message.setText("Session stored." if self.store is not None else "Session ended.")
        self.history.refresh()
        if self._closing:
            self.close()

    def _failed(self, message: str) -> None:
        hint = "" if self.strap.simulated else " Try the simulated strap (Session › Choose strap)."
        self.message.setText(f"Session could not run: {message}.{hint}")
        if self._closing:
            self.close()

    def export(self, record: object) -> ExportDialog:
        dialog = ExportDialog(record, self.export_dir, self)  # type: ignore[arg-type]
        dialog.open()
        return dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.presenter.running and not self._closing:
            if not self.confirm(self, "Quit during a session?",
                                "A session is running. End it (what was recorded is kept) "
                                "and quit?"):
                event.ignore()
                return
            self._closing = True
            self.presenter.end()
            event.ignore()  # close once the runner has stored the session
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.sync()
        event.accept()
