"""Sessions a crash left behind: one dialog at start-up to keep or discard each of them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.ui import text


def listing_text(listing: Any, recorded_s: float | None) -> str:
    """``2026-11-23 18:04 · fatmax-intervals · Ann · 12:31 recorded``."""
    recorded = ("nothing recorded" if recorded_s is None
                else f"{text.clock_text(recorded_s)} recorded")
    return (f"{listing.started_at.astimezone():%Y-%m-%d %H:%M} · {listing.plan_name} · "
            f"{listing.athlete_name} · {recorded}")


class RecoveryDialog(QDialog):
    """Each interrupted session is ticked to be kept; the main button says what will happen."""

    decided = Signal(object)  # list of (session_id, keep)

    def __init__(self, listings: list[Any], recorded_s: dict[int, float | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sessions left unfinished")
        count = len(listings)
        intro = QLabel(
            f"zonetrainer stopped during {count} session{'s' if count != 1 else ''} (a crash, "
            "a kill or a power cut). What was recorded up to then can be kept as an "
            "interrupted session, or discarded. Untick a session to discard it.")
        intro.setWordWrap(True)
        self.sessions = QListWidget()
        self._texts: dict[int, str] = {}
        for listing in listings:
            self._texts[listing.id] = listing_text(listing, recorded_s.get(listing.id))
            item = QListWidgetItem()
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setData(Qt.ItemDataRole.UserRole, listing.id)
            item.setCheckState(Qt.CheckState.Checked)
            self.sessions.addItem(item)
        self.sessions.itemChanged.connect(lambda _item: self._label())
        self.apply_button = QPushButton()
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self._apply)
        self.later_button = QPushButton("Ask me next time")
        self.later_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.sessions, 1)
        layout.addLayout(buttons)
        self._label()
        self.resize(620, 300)

    def choices(self) -> list[tuple[int, bool]]:
        return [(int(item.data(Qt.ItemDataRole.UserRole)),
                 item.checkState() == Qt.CheckState.Checked)
                for item in (self.sessions.item(i) for i in range(self.sessions.count()))]

    def set_keep(self, session_id: int, keep: bool) -> None:
        for i in range(self.sessions.count()):
            item = self.sessions.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == session_id:
                item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)

    def _label(self) -> None:
        with QSignalBlocker(self.sessions):  # a tick box alone is easy to misread: say it
            for i in range(self.sessions.count()):
                item = self.sessions.item(i)
                kept = item.checkState() == Qt.CheckState.Checked
                text = self._texts[int(item.data(Qt.ItemDataRole.UserRole))]
                item.setText(f"{'Keep' if kept else 'Discard'}: {text}")
        keep = sum(k for _, k in self.choices())
        drop = len(self.choices()) - keep
        self.apply_button.setText("Keep all" if not drop else "Discard all" if not keep
                                  else f"Keep {keep}, discard {drop}")

    def _apply(self) -> None:
        self.decided.emit(self.choices())
        self.accept()
