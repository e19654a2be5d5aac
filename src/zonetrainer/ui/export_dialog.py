"""The export dialog: a format, a file name, and the list of files written."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core.errors import UserError
from zonetrainer.core.export import FORMATS, default_name, export_session
from zonetrainer.core.model import SessionRecord

log = logging.getLogger(__name__)


class ExportDialog(QDialog):
    def __init__(self, record: SessionRecord, directory: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export session {record.session_id}")
        self.record, self.directory = record, directory
        self.written: list[Path] = []
        self.format = QComboBox()
        self.format.addItems(list(FORMATS))
        self.path = QLineEdit()
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._browse)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.export_button = QPushButton("Export")
        self.export_button.clicked.connect(self.export)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)
        self.format.currentTextChanged.connect(self._suggest)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.browse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("File", where)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        self._suggest(self.format.currentText())
        self.resize(560, 200)

    def _suggest(self, fmt: str) -> None:
        self.path.setText(str(self.directory / default_name(self.record, fmt)))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text())
        if path:
            self.path.setText(path)

    def export(self) -> list[Path]:
        try:
            self.written = export_session(self.record, self.format.currentText(),
                                          self.path.text().strip())
        except UserError as exc:
            self.written = []
            self.result_label.setText(f"Not exported: {exc}")
            return []
        self.result_label.setText("Written: " + ", ".join(str(p) for p in self.written))
        return self.written
