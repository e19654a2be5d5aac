"""Setting up a group: the coach ticks the athletes who train, gives each a strap (the one they
wore last time is filled in) and a plan (one for all, or one each).

The choice is checked with the core's own rule before the dialog closes: a strap given to two
athletes, or an athlete without a strap, keeps the dialog open with the reason shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core.errors import UserError
from zonetrainer.core.group import MAX_ATHLETES, check_assignments


@dataclass(frozen=True, slots=True)
class Chosen:
    name: str
    strap: str
    plan: str


COLUMNS = ("Athlete", "Strap (address or part of its name)", "Plan")


class GroupSetupDialog(QDialog):
    def __init__(self, athletes: list[str], pairing: dict[str, str], plans: list[str],
                 default_plan: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Group session")
        self.table = QTableWidget(len(athletes), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.straps: dict[str, QLineEdit] = {}
        self.plans: dict[str, QComboBox] = {}
        self.ticks: dict[str, QTableWidgetItem] = {}
        for row, name in enumerate(athletes):
            tick = QTableWidgetItem(name)
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            # an athlete with a remembered strap most likely trains with the group again
            tick.setCheckState(Qt.CheckState.Checked if name in pairing
                               else Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, tick)
            strap = QLineEdit(pairing.get(name, ""))
            strap.setPlaceholderText("e.g. C0:FF:EE:00:11:22 or H10")
            self.table.setCellWidget(row, 1, strap)
            plan = QComboBox()
            plan.addItems(plans)
            plan.setCurrentText(default_plan)
            self.table.setCellWidget(row, 2, plan)
            self.ticks[name], self.straps[name], self.plans[name] = tick, strap, plan
        self.table.resizeColumnsToContents()
        self.all_plan = QComboBox()
        self.all_plan.addItems(plans)
        self.all_plan.setCurrentText(default_plan)
        self.all_plan.setToolTip("Set this plan for every athlete")
        self.all_plan.currentTextChanged.connect(self._plan_for_all)
        self.message = QLabel("" if athletes else
                              "No athletes stored yet: add them in the dashboard's Profile "
                              "tab or with 'zonetrainer profile add NAME'.")
        self.message.setWordWrap(True)
        self.message.setObjectName("setupMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open the group")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick who trains; each needs their own strap."))
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("Plan for everyone:"))
        layout.addWidget(self.all_plan)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 520)

    def _plan_for_all(self, plan: str) -> None:
        for combo in self.plans.values():
            combo.setCurrentText(plan)

    def choice(self) -> list[Chosen]:
        """The ticked athletes, checked; raises UserError with the reason."""
        chosen = [Chosen(name, self.straps[name].text().strip(), self.plans[name].currentText())
                  for name, tick in self.ticks.items()
                  if tick.checkState() == Qt.CheckState.Checked]
        if not chosen:
            raise UserError("tick at least one athlete")
        if len(chosen) > MAX_ATHLETES:
            raise UserError(f"{len(chosen)} athletes: a group holds at most {MAX_ATHLETES}")
        for c in chosen:
            if c.strap == "":
                raise UserError(f"{c.name} has no strap: give its address or a part of its "
                                "name (see Session › Choose strap, or 'zonetrainer devices')")
        check_assignments((c.name, c.strap) for c in chosen)
        return chosen

    def accept(self) -> None:
        try:
            self.choice()
        except UserError as exc:
            self.message.setText(str(exc))
            return
        super().accept()


def choose_group(athletes: list[str], pairing: dict[str, str], plans: list[str],
                 default_plan: str) -> list[Chosen] | None:
    """Ask the coach (a modal dialog); None when they cancel."""
    dialog = GroupSetupDialog(athletes, pairing, plans, default_plan)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.choice()
