"""The device picker: scan for heart-rate straps with progress, choose one, remember it.

Scanning is bleak's coroutine on the qasync loop; the dialog never blocks. With no Bluetooth (no
adapter, no BlueZ) the error is shown and the simulated strap stays one click away.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem, QPushButton, QWidget

from zonetrainer.ui.loop import TaskSet
from zonetrainer.ui.scan_picker import ScanPicker

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


class DevicePicker(ScanPicker):
    fallback = "You can still train with the simulated strap."

    def __init__(self, tasks: TaskSet, scan: ScanFn | None = None, scan_s: float = SCAN_S,
                 current: StrapChoice = SIMULATED, parent: QWidget | None = None) -> None:
        self.simulated_button = QPushButton("Use the simulated strap")
        super().__init__(tasks, scan_s, "Choose a heart-rate strap",
                         "Press Scan with the strap on (moisten its electrodes).", current.name,
                         parent, extra=(self.simulated_button,))
        self._scan = scan or default_scan()
        self.choice = current
        self.devices = self.items
        self.simulated_button.clicked.connect(self.choose_simulated)

    async def _scan_for(self, timeout_s: float) -> list[Any]:
        return await self._scan(timeout_s, on_progress=self._progress)

    def _scan_started(self) -> None:
        self.devices.clear()

    def _found_text(self, found: list[Any]) -> str:
        return (f"{len(found)} strap(s) found." if found else
                "No strap found. Is it worn and awake? You can use the simulated strap "
                "meanwhile.")

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
