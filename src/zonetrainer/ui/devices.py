"""The device picker: scan for heart-rate straps with progress, choose one, remember it.

Scanning is bleak's coroutine on the qasync loop; the dialog never blocks. With no Bluetooth (no
adapter, no BlueZ) the error is shown and the simulated strap stays one click away.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core.errors import UserError
from zonetrainer.ui.loop import TaskSet

log = logging.getLogger(__name__)

#: Long enough for a strap that advertises once a second to be seen a few times.
SCAN_S: Final = 5.0


@dataclass(frozen=True, slots=True)
class StrapChoice:
    """What the athlete picked: a strap by address, or the simulated one (address None)."""

    address: str | None
    name: str

    @property
    def simulated(self) -> bool:
        return self.address is None


SIMULATED: Final = StrapChoice(None, "Simulated strap")

#: ``scan(timeout_s, on_progress=...)`` as core.sources.ble_scan offers it (injectable).
ScanFn = Callable[..., Awaitable[list[Any]]]


def default_scan() -> ScanFn:
    from zonetrainer.core.sources.ble_scan import scan
    return scan


class DevicePicker(QDialog):
    scan_finished = Signal(int)  # number of straps found
    scan_failed = Signal(str)

    def __init__(self, tasks: TaskSet, scan: ScanFn | None = None, scan_s: float = SCAN_S,
                 current: StrapChoice = SIMULATED, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose a heart-rate strap")
        self.tasks, self._scan, self.scan_s = tasks, scan or default_scan(), scan_s
        self.choice = current
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.message = QLabel("Press Scan with the strap on (moisten its electrodes).")
        self.message.setWordWrap(True)
        self.devices = QListWidget()
        self.devices.itemDoubleClicked.connect(lambda _item: self.accept_selection())
        self.scan_button = QPushButton("Scan")
        self.scan_button.clicked.connect(self.start_scan)
        self.simulated_button = QPushButton("Use the simulated strap")
        self.simulated_button.clicked.connect(self.choose_simulated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept_selection)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.scan_button)
        row.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Current: {current.name}"))
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.devices, 1)
        layout.addWidget(self.simulated_button)
        layout.addWidget(buttons)
        self.resize(460, 420)

    def start_scan(self) -> None:
        self.scan_button.setEnabled(False)
        self.progress.setValue(0)
        self.devices.clear()
        self.message.setText("Scanning…")
        self.tasks.spawn(self._run_scan(), name="scan")

    async def _run_scan(self) -> None:
        try:
            found = await self._scan(self.scan_s, on_progress=self._progress)
        except UserError as exc:
            self.message.setText(f"{exc}\nYou can still train with the simulated strap.")
            self.scan_failed.emit(str(exc))
            return
        finally:
            self.scan_button.setEnabled(True)
        self._show(found)
        self.progress.setValue(100)
        self.message.setText(f"{len(found)} strap(s) found." if found else
                             "No strap found. Is it worn and awake? You can use the simulated "
                             "strap meanwhile.")
        self.scan_finished.emit(len(found))

    def _progress(self, share: float, found: tuple[object, ...]) -> None:
        self.progress.setValue(int(100 * share))
        self._show(list(found))

    def _show(self, found: list[Any]) -> None:
        selected = self.devices.currentItem()
        keep = selected.data(Qt.ItemDataRole.UserRole) if selected else None
        self.devices.clear()
        for device in found:
            rssi = f"{device.rssi_dbm} dBm" if device.rssi_dbm is not None else "? dBm"
            item = QListWidgetItem(f"{device.name or '(no name)'}  ·  {device.address}  ·  {rssi}")
            item.setData(Qt.ItemDataRole.UserRole, (device.address, device.name))
            self.devices.addItem(item)
            if keep and keep[0] == device.address:
                self.devices.setCurrentItem(item)

    def found(self) -> list[tuple[str, str]]:
        """(address, name) of every strap listed."""
        return [self.devices.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.devices.count())]

    def accept_selection(self) -> None:
        item = self.devices.currentItem()
        if item is not None:
            address, name = item.data(Qt.ItemDataRole.UserRole)
            self.choice = StrapChoice(address, name or address)
        self.accept()

    def choose_simulated(self) -> None:
        self.choice = SIMULATED
        self.accept()
