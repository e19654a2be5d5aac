"""The machine picker: a fitness machine (FTMS) to steer or an effort sensor (power meter,
footpod) to read, a simulated machine, or none; remembered in the settings like the strap.
Also the status-bar line that says how the machine is doing during a session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QLabel, QListWidgetItem, QWidget

from zonetrainer.core.sources.base import EffortSource
from zonetrainer.core.sources.effort_choice import EffortKind
from zonetrainer.ui.loop import TaskSet
from zonetrainer.ui.scan_picker import ScanPicker

#: FTMS machines advertise about once a second, like straps.
SCAN_S: Final = 5.0


@dataclass(frozen=True, slots=True)
class MachineChoice:
    """A machine (``kind`` "machine") or sensor ("sensor") by address, a simulated machine
    (address ``sim-treadmill`` / ``sim-bike``), or none (``kind`` None)."""

    kind: EffortKind | None
    address: str
    name: str

    @property
    def none(self) -> bool:
        return self.kind is None


NO_MACHINE: Final = MachineChoice(None, "", "None")
SIM_TREADMILL: Final = MachineChoice("machine", "sim-treadmill", "Simulated treadmill")
SIM_TRAINER: Final = MachineChoice("machine", "sim-bike", "Simulated smart trainer")
FIXED: Final = (SIM_TREADMILL, SIM_TRAINER, NO_MACHINE)

#: ``scan(timeout_s, on_progress)`` as core.sources.effort_scan.scan_devices offers it.
ScanFn = Callable[..., Awaitable[list[Any]]]


def load_machine(settings: QSettings) -> MachineChoice:
    kind, address = settings.value("machine/kind"), settings.value("machine/address")
    if kind not in ("machine", "sensor") or not address:
        return NO_MACHINE
    return MachineChoice(kind, str(address), str(settings.value("machine/name", address)))


def save_machine(settings: QSettings, choice: MachineChoice) -> None:
    if choice.none:
        settings.remove("machine")
        return
    settings.setValue("machine/kind", choice.kind)
    settings.setValue("machine/address", choice.address)
    settings.setValue("machine/name", choice.name)


class MachinePicker(ScanPicker):
    fallback = "The simulated machines still work."
    task_name = "machine scan"

    def __init__(self, tasks: TaskSet, scan: ScanFn | None = None, scan_s: float = SCAN_S,
                 current: MachineChoice = NO_MACHINE, parent: QWidget | None = None) -> None:
        super().__init__(tasks, scan_s, "Choose a fitness machine or effort sensor",
                         "Press Scan with the machine switched on (a treadmill, smart trainer, "
                         "power meter or footpod).", current.name, parent)
        self.choice = current
        self._scan = scan
        self.choices = self.items
        self._show([])

    async def _scan_for(self, timeout_s: float) -> list[Any]:
        scan = self._scan
        if scan is None:
            from zonetrainer.core.sources.effort_scan import scan_devices
            scan = scan_devices
        return await scan(timeout_s, self._progress)

    def _keep(self, seen: list[Any]) -> list[Any]:
        return [d for d in seen if d.effort]

    def _found_text(self, found: list[Any]) -> str:
        return (f"{len(found)} machine(s) or sensor(s) found." if found else
                "No machine or sensor found. Is it on, and not connected to another app?")

    def _progress(self, share: float, _seen: int) -> None:
        self.progress.setValue(int(100 * share))

    def _show(self, found: list[Any]) -> None:
        self.choices.clear()
        listed = [(_choice_of(d), _label_of(d)) for d in found]
        listed += [(c, c.name) for c in FIXED]
        for choice, label in listed:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            self.choices.addItem(item)
            if choice == self.choice:
                self.choices.setCurrentItem(item)

    def listed(self) -> list[MachineChoice]:
        """Every choice offered, found machines first."""
        return [self.choices.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.choices.count())]

    def select(self, choice: MachineChoice) -> None:
        for i in range(self.choices.count()):
            if self.choices.item(i).data(Qt.ItemDataRole.UserRole) == choice:
                self.choices.setCurrentRow(i)

    def accept_selection(self) -> None:
        item = self.choices.currentItem()
        if item is not None:
            self.choice = item.data(Qt.ItemDataRole.UserRole)
        self.accept()


def _choice_of(device: Any) -> MachineChoice:
    """A scanned device (effort_scan.SeenDevice): a machine to steer if it offers FTMS."""
    kind: EffortKind = "machine" if "fitness machine" in device.kinds else "sensor"
    return MachineChoice(kind, device.address, device.name or device.address)


def _label_of(device: Any) -> str:
    kinds = ", ".join(k for k in device.kinds if k != "heart rate")
    rssi = f"{device.rssi_dbm} dBm" if device.rssi_dbm is not None else "? dBm"
    return f"{device.name or '(no name)'}  ·  {kinds}  ·  {device.address}  ·  {rssi}"


def describe_machine(source: EffortSource) -> str:
    """The machine's state for the status bar: controlled, not controllable and why, or
    reconnecting."""
    status = source.status()
    name = status.name or status.source_id
    if status.link in ("searching", "lost"):
        return f"{name}: reconnecting…"
    if status.link == "connecting":
        return f"{name}: connecting…"
    if status.link == "ended":
        return f"{name}: disconnected"
    if source.controllable:
        if status.detail == "manual mode":  # a simulated machine before the loop's first target
            return f"{name}: control taken, no target yet (runs the athlete's own pace)"
        return f"{name}: controlled"
    why = status.detail if status.detail and status.detail != getattr(source, "address", None) \
        else "read only"
    return f"{name}: not controllable ({why})"


class MachineStatus(QLabel):
    """The status-bar line of the session's machine, polled once a second while it runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source: EffortSource | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh)
        self.hide()

    def watch(self, source: EffortSource | None) -> None:
        self._source = source
        self.setVisible(source is not None)
        if source is None:
            self.timer.stop()
            return
        status = source.status()  # not started yet: its state comes with the first tick
        self.setText(f"{status.name or status.source_id}: connecting…")
        self.timer.start()

    def refresh(self) -> None:
        if self._source is not None:
            self.setText(describe_machine(self._source))
            if self._source.status().link == "ended":
                self.timer.stop()


def choose_machine(window: Any) -> MachinePicker:
    """Open the picker on ``window`` (a MainWindow); the choice is used and remembered."""
    picker = MachinePicker(window.presenter.tasks, current=window.machine, parent=window)
    picker.accepted.connect(lambda: use_machine(window, picker.choice))
    picker.open()
    return picker


def use_machine(window: Any, choice: MachineChoice) -> None:
    """``choice`` is the machine of the next session, remembered for the next start."""
    window.machine = choice
    save_machine(window.settings, choice)
    window.show_choice()  # "Plan: … · strap: … · machine: …"
