"""The export dialog: a format, a file name, and the list of files written.

The suggested name carries the session's start in local time, as History lists it. A name typed
by the user is kept when the format changes (only the old format's extension follows it); a name
with no format's extension gets the chosen one; an existing file is replaced only when the user
says so.

The export runs on a worker thread (a PDF report takes about a second to draw), so the window
stays live meanwhile; a busy bar shows it is working and the result or error replaces it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core.errors import UserError
from zonetrainer.core.export import FORMATS, default_name, export_session
from zonetrainer.core.export.csv import sibling_paths
from zonetrainer.core.model import SessionRecord
from zonetrainer.ui.theme import mark_error
from zonetrainer.ui.training import Confirm, ask

log = logging.getLogger(__name__)


def with_extension(path: str, fmt: str) -> str:
    """``path`` as typed, plus ``.fmt`` when its name ends in no export format's extension."""
    return path if Path(path).suffix.lower().lstrip(".") in FORMATS else f"{path}.{fmt}"


def files_written(path: Path, fmt: str) -> tuple[Path, ...]:
    """Every file an export of ``fmt`` to ``path`` writes (CSV writes three)."""
    return sibling_paths(path) if fmt == "csv" else (path,)


class _JobSignals(QObject):
    written = Signal(object)  # list[Path]
    failed = Signal(str)


class ExportJob(QRunnable):
    """One ``export_session`` call on a pool thread; the outcome comes back as a signal, which
    Qt queues to the receiver's (the GUI) thread."""

    def __init__(self, record: SessionRecord, fmt: str, path: str) -> None:
        super().__init__()
        self.record, self.fmt, self.path = record, fmt, path
        self.signals = _JobSignals()

    def run(self) -> None:
        try:
            written = export_session(self.record, self.fmt, self.path)
        except UserError as exc:
            self.signals.failed.emit(f"Not exported: {exc}")
        except Exception as exc:  # a bug must reach the user as a message, not kill a thread
            log.exception("export of session %s as %s failed", self.record.session_id, self.fmt)
            self.signals.failed.emit(f"Not exported: unexpected error ({type(exc).__name__}: "
                                     f"{exc}); details are in the log")
        else:
            self.signals.written.emit(written)


class ExportDialog(QDialog):
    export_done = Signal(object)  # the files written; empty when the export failed

    def __init__(self, record: SessionRecord, directory: Path,
                 parent: QWidget | None = None, pool: QThreadPool | None = None,
                 confirm: Confirm = ask) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export session {record.session_id}")
        self.record, self.directory, self.confirm = record, directory, confirm
        self.pool = pool or QThreadPool.globalInstance()
        self.written: list[Path] = []
        self.job: ExportJob | None = None  # kept: its signals must outlive the worker's run
        self.format = QComboBox()
        self.format.addItems(list(FORMATS))
        self.path = QLineEdit()
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._browse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: one call, no steps to count
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.export_button = QPushButton("Export")
        self.export_button.clicked.connect(self.export)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)
        self.format.currentTextChanged.connect(self._format_changed)
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
        layout.addWidget(self.progress)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        self.fmt = self.format.currentText()  # the format the path's extension was made for
        self.path.setText(str(directory / default_name(record, self.fmt)))
        self.resize(560, 200)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def _format_changed(self, fmt: str) -> None:
        """Keep the path; swap its extension only while it is the previous format's."""
        typed, old = self.path.text().strip(), f".{self.fmt}"
        if not typed:
            self.path.setText(str(self.directory / default_name(self.record, fmt)))
        elif typed.lower().endswith(old) and len(typed) > len(old):
            self.path.setText(f"{typed[:-len(old)]}.{fmt}")
        self.fmt = fmt

    def _browse(self) -> None:
        # the overwrite question comes at Export, for a typed name too; not twice
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path.text(),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.path.setText(path)

    def export(self) -> None:
        """Start the export in the background; ``export_done`` tells when it is over. Nothing
        starts (and the label says why) without a file name, or when the user keeps the file
        that is there."""
        if self.busy:
            return
        fmt, typed = self.format.currentText(), self.path.text().strip()
        if not typed or Path(typed).is_dir():
            self._refuse("choose a file name" if not typed else
                         f"{typed} is a folder: choose a file name in it")
            return
        path = with_extension(typed, fmt)
        self.path.setText(path)
        there = [p for p in files_written(Path(path), fmt) if p.exists()]
        if there and not self.confirm(
                self, "Replace the file?",
                f"{', '.join(p.name for p in there)} already exist"
                f"{'s' if len(there) == 1 else ''} in {there[0].resolve().parent}. Replace "
                f"{'it' if len(there) == 1 else 'them'}?"):
            self._refuse("the existing file is kept", error=False)
            return
        self.job = ExportJob(self.record, fmt, path)
        self.job.signals.written.connect(self._written)
        self.job.signals.failed.connect(self._failed)
        self._set_busy(True)
        mark_error(self.result_label, False)
        self.result_label.setText(f"Exporting {fmt.upper()} to {path}…")
        self.pool.start(self.job)

    def _refuse(self, why: str, error: bool = True) -> None:
        mark_error(self.result_label, error)
        self.result_label.setText(f"Not exported: {why}.")

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        for widget in (self.export_button, self.format, self.path, self.browse):
            widget.setEnabled(not busy)

    def _written(self, written: list[Path]) -> None:
        self.job = None
        self.written = written
        self._set_busy(False)
        self.result_label.setText("Written: " + ", ".join(str(p) for p in written))
        self.export_done.emit(written)

    def _failed(self, message: str) -> None:
        self.job = None
        self.written = []
        self._set_busy(False)
        mark_error(self.result_label, True)
        self.result_label.setText(message)
        self.export_done.emit([])
