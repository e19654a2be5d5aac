"""The main window: training, plan, profile and history tabs; menus for strap, theme and cues.

Window geometry and choices (theme, plan, strap, athlete, cues) live in QSettings, which the
caller hands in (tests point it at a file under tmp_path). After a ramp session it shows the
threshold found; at start-up it offers to keep or discard sessions a crash left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget

from zonetrainer.core.control import recall
from zonetrainer.core.errors import UserError
from zonetrainer.core.plan import Plan
from zonetrainer.core.profile import Profile
from zonetrainer.ui import machines, outcomes
from zonetrainer.ui.athletes import AthleteBook
from zonetrainer.ui.cues import CueOutput, CuePlayer, CueSettings
from zonetrainer.ui.devices import SIMULATED, DevicePicker, ScanFn, StrapChoice
from zonetrainer.ui.export_dialog import ExportDialog
from zonetrainer.ui.history import HistoryView
from zonetrainer.ui.labels import ElidedLabel
from zonetrainer.ui.menus import build_menus
from zonetrainer.ui.plan_picker import PlanPicker
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.profile_editor import ProfileEditor
from zonetrainer.ui.ramp_result import RampResultDialog
from zonetrainer.ui.recovery import RecoveryDialog
from zonetrainer.ui.session import SessionSetup, start_session
from zonetrainer.ui.summary import load_with_previous, select_in_history
from zonetrainer.ui.theme import ThemeName, apply_theme
from zonetrainer.ui.training import Confirm, TrainingView, ask

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, presenter: SessionPresenter, settings: QSettings, store: Any | None,
                 cue_output: CueOutput, theme: ThemeName = "light", speed: float = 1.0,
                 scan: ScanFn | None = None, confirm: Confirm = ask,
                 export_dir: Path | None = None, strap_file: Any | None = None,
                 today: Callable[[], date] = date.today, seed: int | None = None) -> None:
        super().__init__()
        self.setWindowTitle("zonetrainer")
        self.presenter, self.settings, self.store = presenter, settings, store
        self.speed, self.scan, self.confirm = speed, scan, confirm
        self.seed = seed  # of the simulated athlete: None, a new one each session
        self.export_dir = export_dir or Path.home()
        self.theme = theme
        # core.settings.SettingsFile: the strap chosen here is the one `zonetrainer run` tries
        self.strap_file = strap_file
        self.runner: Any = None
        self.setup: SessionSetup | None = None  # of the running or last session
        self.ramp_dialog: RampResultDialog | None = None
        self._closing = False
        self.strap = self._load_strap()
        self.machine = machines.load_machine(settings)  # a fitness machine or effort sensor
        self.athletes = AthleteBook(store, today)
        self.profile = self.athletes.find(str(settings.value("athlete", "") or "")) or Profile()
        self.cues = CuePlayer(cue_output, CueSettings(
            sounds=self._flag("cues/sounds", True), voice=self._flag("cues/voice", False),
            tempo_click=self._flag("cues/tempo_click", True)))
        presenter.phase_changed.connect(self.cues.phase_changed)
        presenter.cue_raised.connect(lambda cue: self.cues.cue_raised(
            cue, presenter.state.cue_level if presenter.state is not None else 1))
        presenter.state_changed.connect(
            lambda state: self.cues.state_changed(state, presenter.tempo_elapsed_s))
        presenter.session_finished.connect(self._finished)
        presenter.session_failed.connect(self._failed)

        self.message = ElidedLabel()  # a long message must not widen the window: it is cut
        self.statusBar().addWidget(self.message, 1)
        self.machine_status = machines.MachineStatus()
        self.statusBar().addPermanentWidget(self.machine_status)
        self._build_screens(theme)
        self.cue_actions = build_menus(self)
        self.show_choice()
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
        self.profile_editor = ProfileEditor(self.profile, self._athlete_names(),
                                            self.athletes.today)
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
        self.training.effort_nudged.connect(presenter.nudge_effort)
        self.training.summary.export_requested.connect(self.export)
        self.training.summary.history_requested.connect(self.open_in_history)
        self.training.show_chosen_strap(self.strap.name)
        self.plans.plan_chosen.connect(self._plan_chosen)
        self.profile_editor.profile_saved.connect(self.save_profile)
        self.profile_editor.athlete_chosen.connect(self.choose_athlete)
        self.profile_editor.new_requested.connect(self.new_athlete)
        self.profile_editor.delete_requested.connect(self.delete_athlete)
        self.history.export_requested.connect(self.export)
        self.history.ramp_requested.connect(lambda record: outcomes.show_stored_ramp(self, record))
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

    def _athlete_names(self) -> list[str]:
        try:
            return self.athletes.names()
        except UserError as exc:
            self.message.setText(f"Cannot list athletes: {exc}")
            return []

    def set_cue(self, key: str, on: bool) -> None:
        setattr(self.cues.settings, key, on)
        self.settings.setValue(f"cues/{key}", on)

    def set_theme(self, theme: ThemeName) -> None:
        """Rebuild the screens in ``theme``; unsaved Profile edits would go with them, so that
        asks first, as choosing another athlete does (no: the theme stays)."""
        if theme != self.theme and not self._drop_edits():
            return
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.settings.setValue("theme", theme)
        if theme != self.theme:
            self._build_screens(theme)

    def show_choice(self) -> None:
        """Say the plan, athlete, strap and machine of the next session in the message line."""
        plan = self.plans.plan
        athlete = self.profile.name
        if athlete not in self.athletes.names():  # a first start: say what a profile gives
            athlete = (f"{athlete}, age {self.profile.age_years:g} (a default: set yours in "
                       "the Profile tab for your own band and ceiling)")
        self.message.setText(f"Plan: {plan.title if plan else 'none'} · athlete: {athlete} · "
                             f"strap: {self.strap.name} · machine: {self.machine.name}")
        self.training.show_chosen_strap(self.strap.name)

    # intents -------------------------------------------------------------------------------------
    def _plan_chosen(self, plan: Plan) -> None:
        self.settings.setValue("plan", plan.name)
        self.show_choice()

    def use_profile(self, profile: Profile) -> None:
        """``profile`` is the athlete of the next session, remembered for the next start."""
        self.profile = profile
        self.settings.setValue("athlete", profile.name)
        self.profile_editor.set_athletes(self._athlete_names(), profile.name)
        if not self.presenter.running:
            self.training.prepare(profile.band(), profile.zones())
        self.show_choice()

    def save_profile(self, profile: Profile) -> None:
        shown = self.profile_editor.loaded
        try:
            self.athletes.save(profile)
        except UserError as exc:
            self.message.setText(f"Profile not saved: {exc}")
            return
        self.profile_editor.show_profile(profile)
        self.use_profile(profile)
        if shown.name != profile.name and \
                shown.name in self.athletes.names():
            # sessions belong to a name: a new name is a new athlete, not a rename
            self.message.setText(f"Saved {profile.name} as a new athlete; {shown.name} is kept "
                                 "with their sessions (delete them if you meant a rename).")
            return
        self.message.setText(f"Saved {profile.name}; the next session is theirs.")

    def _drop_edits(self) -> bool:
        """Whether unsaved edits in the Profile tab may go (asks when there are some)."""
        editor = self.profile_editor
        if not editor.unsaved or self.confirm(
                self, "Discard your changes?", "The changes in the Profile tab are not saved. "
                "Discard them?"):
            return True
        editor.reselect()
        return False

    def new_athlete(self) -> None:
        if self._drop_edits():
            self.profile_editor.new_athlete()

    def choose_athlete(self, name: str) -> None:
        if not self._drop_edits():
            return
        try:
            profile = self.athletes.load(name)
        except UserError as exc:
            self.message.setText(f"Cannot load {name}: {exc}")
            return
        self.profile_editor.show_profile(profile)
        self.use_profile(profile)

    def delete_athlete(self, name: str) -> None:
        if not self.confirm(self, "Delete the athlete?",
                            f"Delete {name}'s profile? Their stored sessions stay. This cannot "
                            "be undone."):
            return
        try:
            self.athletes.delete(name)
        except UserError as exc:
            self.message.setText(f"Not deleted: {exc}")
            return
        names = self._athlete_names()
        profile = self.athletes.find(names[0]) if names else None
        self.profile_editor.show_profile(profile or Profile())
        self.use_profile(profile or Profile())
        self.message.setText(f"Deleted {name}.")

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
        self.show_choice()

    def choose_machine(self) -> machines.MachinePicker:
        return machines.choose_machine(self)

    def start(self) -> None:
        if self.presenter.running or self.plans.plan is None:
            return
        setup = SessionSetup(self.plans.plan, self.profile, self.strap, self.speed, self.seed,
                             self.machine)
        self.setup = setup
        recorder = self.store.recorder() if self.store is not None else None
        # Only a saved athlete has a history of their own; the unsaved default is anybody.
        remember = self.store is not None and self.profile.name in self.athletes.names()
        recalled = None if self.store is None or not remember else recall(
            self.store.latest_extra, self.profile.name, datetime.now(UTC))
        self.training.prepare(self.profile.band(), self.profile.zones())
        try:
            self.runner = start_session(self.presenter, setup, recorder,
                                        on_fallback=self.message.setText,
                                        history=None if recalled is None else recalled.history,
                                        remember_bouts=remember)
        except UserError as exc:
            self._failed(str(exc))
            return
        self.machine_status.watch(self.runner.effort_source)
        self.tabs.setCurrentWidget(self.training)
        remembered = "" if recalled is None else f"; {recalled.describe()}"
        self.message.setText(f"{setup.plan.title} with {self.strap.name}{remembered}")

    def _finished(self, result: object) -> None:
        self.message.setText("Session stored." if self.store is not None else "Session ended.")
        self.history.refresh()
        if self._closing:
            self.close()
            return
        session_id = result[0] if isinstance(result, tuple) else None
        if isinstance(session_id, int) and self.store is not None:
            try:
                self.training.show_summary(*load_with_previous(self.store, session_id))
            except UserError as exc:
                self.message.setText(f"Session stored; its summary cannot be read: {exc}")
        if self.setup is not None and any(b.kind == "ramp" for b in self.setup.plan.blocks):
            session_id = result[0] if isinstance(result, tuple) else None
            self.show_ramp_result(getattr(self.runner, "extra", {}), session_id)

    # after a session, and before one --------------------------------------------------------
    def show_ramp_result(self, extra: dict[str, str],
                         session_id: int | None) -> RampResultDialog:
        """The threshold the runner stored with a ramp session, and the offer to use it."""
        return outcomes.show_ramp_result(self, extra, session_id)

    def check_interrupted(self) -> RecoveryDialog | None:
        """At start-up: offer to keep or discard the sessions a crash left running."""
        return outcomes.check_interrupted(self)

    def _failed(self, message: str) -> None:
        hint = "" if self.strap.simulated else " Try the simulated strap (Session › Choose strap)."
        self.message.setText(f"Session could not run: {message}.{hint}")
        if self._closing:
            self.close()

    def export(self, record: object) -> ExportDialog:
        dialog = ExportDialog(record, self.export_dir, self,  # type: ignore[arg-type]
                              confirm=self.confirm)
        dialog.open()
        return dialog

    def open_in_history(self, session_id: int) -> None:
        self.tabs.setCurrentWidget(self.history)
        select_in_history(self.history, session_id)

    def toggle_fullscreen(self) -> None:
        """Training mode (F11): the Train tab alone, full screen, no menus or tabs."""
        full = not self.isFullScreen()
        self.tabs.tabBar().setVisible(not full)
        self.menuBar().setVisible(not full)
        self.statusBar().setVisible(not full)
        if full:
            self.tabs.setCurrentWidget(self.training)
            screen = self.screen()
            if screen is not None:  # without a window manager the window keeps its size
                self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.showNormal()

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
