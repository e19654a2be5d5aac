"""The plan picker: the shipped plans (or any TOML file), a description, a preview chart."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core.errors import UserError
from zonetrainer.core.plan import SHIPPED_DIR, Plan, load_plan, shipped_plans
from zonetrainer.ui import text
from zonetrainer.ui.theme import PLOT_COLOURS, ThemeName

log = logging.getLogger(__name__)

#: The plan offered first: the flagship interval session.
DEFAULT_PLAN = "fatmax-intervals"

#: Relative effort of each part of a plan, for the preview only (0 rest .. 1 work).
EFFORT = {"warmup": 0.45, "work": 1.0, "rest": 0.2, "steady": 0.8, "cooldown": 0.35}


def plan_profile(plan: Plan) -> tuple[np.ndarray, np.ndarray, list[tuple[float, str]]]:
    """Step outline of a plan: x (min), effort (0..1) and where each block starts, with its kind."""
    xs: list[float] = [0.0]
    ys: list[float] = []
    starts: list[tuple[float, str]] = []
    t = 0.0

    def step(length_s: float, effort: float) -> None:
        nonlocal t
        t += length_s
        xs.append(t / 60.0)
        ys.append(effort)

    for block in plan.blocks:
        starts.append((t / 60.0, block.kind))
        if block.kind == "intervals":
            for _ in range(block.repeats):
                step(block.work_s, EFFORT["work"])
                if block.rest_s:
                    step(block.rest_s, EFFORT["rest"])
        elif block.kind == "ramp":
            for n in range(block.steps):
                step(block.step_s, 0.3 + 0.7 * n / max(1, block.steps - 1))
        else:
            step(block.duration_s, EFFORT[block.kind])
    return np.array(xs), np.array(ys), starts


class PlanPicker(QWidget):
    plan_chosen = Signal(object)  # Plan

    def __init__(self, directory: Path = SHIPPED_DIR, theme: ThemeName = "light",
                 selected: str | None = None) -> None:
        super().__init__()
        self.plans = QListWidget()
        # a long plan name wraps onto more lines, never "…"; its whole name in the tooltip too
        self.plans.setWordWrap(True)
        self.plans.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.title = QLabel()
        self.title.setObjectName("planTitle")
        self.title.setWordWrap(True)  # a long title wraps: it never widens the window
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.error = QLabel()
        self.error.setProperty("class", "error")
        self.error.setWordWrap(True)
        colours = PLOT_COLOURS[theme]
        self.chart = pg.PlotWidget(background=colours["background"])
        item = self.chart.getPlotItem()
        item.setLabel("bottom", "min")
        item.setLabel("left", "effort")
        item.setMouseEnabled(x=False, y=False)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.getAxis("left").setTicks([[(0.2, "rest"), (1.0, "work")]])
        self.outline = self.chart.plot([], [], stepMode="center", fillLevel=0,
                                       brush=pg.mkBrush(colours["work"][:7] + "80"),
                                       pen=pg.mkPen(colours["foreground"], width=2))
        self.open_button = QPushButton("Open plan file…")
        self.open_button.clicked.connect(self._open_file)
        self.plan: Plan | None = None
        for name, path in shipped_plans(directory).items():
            entry = QListWidgetItem(name)
            entry.setData(Qt.ItemDataRole.UserRole, str(path))
            entry.setToolTip(name)
            self.plans.addItem(entry)
        self.plans.currentItemChanged.connect(self._selected)
        left = QVBoxLayout()
        left.addWidget(self.plans, 1)
        left.addWidget(self.open_button)
        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.description)
        right.addWidget(self.chart, 1)
        right.addWidget(self.error)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 3)
        self.select(selected or DEFAULT_PLAN)

    def select(self, name: str | None) -> None:
        for i in range(self.plans.count()):
            if self.plans.item(i).text() == name:
                self.plans.setCurrentRow(i)
                return
        if self.plans.count():
            self.plans.setCurrentRow(0)

    def _selected(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_plan(item.data(Qt.ItemDataRole.UserRole))

    def _open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a plan", "", "Plans (*.toml)")
        if path:
            self.show_plan(path)

    def show_plan(self, path: str) -> None:
        try:
            plan = load_plan(path)
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        self.plan = plan
        self.title.setText(f"<b>{plan.title}</b> · {plan.sport} · "
                           f"{text.clock_text(plan.planned_s)} planned (nominal lengths: the "
                           "zone-control loop adapts each work and rest)")
        self.description.setText(plan.description)
        xs, ys, _starts = plan_profile(plan)
        self.outline.setData(xs, ys)
        self.chart.setXRange(0, float(xs[-1]), padding=0.01)
        self.chart.setYRange(0, 1.1, padding=0)
        self.plan_chosen.emit(plan)
