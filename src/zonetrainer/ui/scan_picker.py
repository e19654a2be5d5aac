"""What the strap picker and the machine picker share: a dialog that scans with progress on the
qasync loop (never blocking), lists what it found, and returns the choice on OK.

A subclass says how to scan (:meth:`ScanPicker._scan_for`), what of the result to list
(:meth:`ScanPicker._keep`, :meth:`ScanPicker._show`) and what to say about it; with no
Bluetooth the scan's error is shown with the subclass's fallback (the simulated strap or
machines stay one click away).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core.errors import UserError
from zonetrainer.ui.loop import TaskSet


class ScanPicker(QDialog):
    """Scan button and progress, a line of advice, the list, ``extra`` widgets, OK / Cancel."""

    scan_finished = Signal(int)  # how many were found and listed
    scan_failed = Signal(str)

    #: Added under a scan's error: what still works without Bluetooth.
    fallback: str = ""
    #: The name of the scan's task (for the task set's log).
    task_name: str = "scan"

    def __init__(self, tasks: TaskSet, scan_s: float, title: str, advice: str,
                 current_name: str, parent: QWidget | None = None,
                 extra: tuple[QWidget, ...] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.tasks, self.scan_s = tasks, scan_s
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.message = QLabel(advice)
        self.message.setWordWrap(True)
        self.items = QListWidget()
        self.items.itemDoubleClicked.connect(lambda _item: self.accept_selection())
        self.scan_button = QPushButton("Scan")
        self.scan_button.clicked.connect(self.start_scan)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept_selection)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.scan_button)
        row.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Current: {current_name}"))
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.items, 1)
        for widget in extra:
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self.resize(460, 420)

    def start_scan(self) -> None:
        self.scan_button.setEnabled(False)
        self.progress.setValue(0)
        self._scan_started()
        self.message.setText("Scanning…")
        self.tasks.spawn(self._run_scan(), name=self.task_name)

    async def _run_scan(self) -> None:
        try:
            found = self._keep(await self._scan_for(self.scan_s))
        except UserError as exc:
            self.message.setText(f"{exc}\n{self.fallback}")
            self.scan_failed.emit(str(exc))
            return
        finally:
            self.scan_button.setEnabled(True)
        self._show(found)
        self.progress.setValue(100)
        self.message.setText(self._found_text(found))
        self.scan_finished.emit(len(found))

    # --- what a subclass says ------------------------------------------------------------------
    async def _scan_for(self, timeout_s: float) -> list[Any]:
        """Scan for ``timeout_s`` seconds, reporting progress; raise UserError without BLE."""
        raise NotImplementedError

    def _scan_started(self) -> None:
        """Called as a scan starts (a picker may clear its list)."""

    def _keep(self, seen: list[Any]) -> list[Any]:
        """What of a scan's result is listed."""
        return seen

    def _show(self, found: list[Any]) -> None:
        raise NotImplementedError

    def _found_text(self, found: list[Any]) -> str:
        raise NotImplementedError

    def accept_selection(self) -> None:
        raise NotImplementedError
