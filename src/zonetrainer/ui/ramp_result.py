"""What a ramp session ends with: the aerobic threshold it found, with its fit and its one
uncertainty (the band's), and an offer to set the athlete's band from it; or, in plain words,
why there is no estimate. A ramp cut short (or with skipped steps) says so first."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core import zones
from zonetrainer.core.threshold import ThresholdResult, finding
from zonetrainer.ui import text
from zonetrainer.ui.theme import mark_error

#: Said with every estimate (README, "DFA alpha1 and the ramp test"). The ± above says how
#: closely this ramp's readings place α1 = 0.75; how well that marks a person's threshold is
#: another question, so the spread between people is said apart from it.
CAVEAT = ("The ± figure says how closely this ramp places α1 = 0.75. How well α1 = 0.75 marks "
          "your first ventilatory threshold is another matter: in people the two matched on "
          "average, with several bpm of individual spread (Rogers et al. 2021). Treat the "
          "result as an estimate.")


class RampResultDialog(QDialog):
    """Non-modal: the athlete may look at the session meanwhile."""

    apply_requested = Signal()

    def __init__(self, result: ThresholdResult, athlete: str, session_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.threshold = result
        where = f"session {session_id}" if session_id is not None else "this session"
        self.setWindowTitle(f"Ramp test: {where}")
        self.headline = QLabel(_headline_html(text.threshold_headline(result)))
        self.headline.setObjectName("rampHeadline")
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setWordWrap(True)
        # Empty (and hidden) when the ramp ran as planned.
        self.cut_short = QLabel(result.cut_short)
        self.cut_short.setObjectName("rampCutShort")
        self.cut_short.setWordWrap(True)
        self.cut_short.setVisible(bool(result.cut_short))
        mark_error(self.cut_short, bool(result.cut_short))
        self.statement = QLabel(finding(result) if result.ok else
                                f"Why: {result.statement}")
        self.statement.setWordWrap(True)
        self.details = QLabel(text.threshold_details(result))
        self.details.setWordWrap(True)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.apply_button = QPushButton()
        self.apply_button.clicked.connect(self.apply_requested)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)
        if result.ok:
            band = result.band()
            anyway = " anyway…" if result.cut_short else ""
            self.apply_button.setText(f"Set {athlete}'s band to {band.low_bpm:.0f}–"
                                      f"{band.high_bpm:.0f} bpm{anyway}")
            self.apply_button.setToolTip(zones.describe_band(band))
            note = QLabel(CAVEAT)
        else:
            self.apply_button.setText("Set the band from it")
            self.apply_button.setEnabled(False)
            self.apply_button.setToolTip("There is no estimate to set a band from.")
            note = QLabel("The band stays as it was. A ramp needs RR data from the strap, "
                          "should start easy and end clearly hard, and runs to its last step.")
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        for widget in (self.headline, self.cut_short, self.statement, self.details, note,
                       self.outcome):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        # Tall enough for every wrapped line (a cut-short ramp says more).
        self.resize(680, max(320, layout.totalHeightForWidth(680)))

    def show_applied(self, message: str) -> None:
        mark_error(self.outcome, False)
        self.outcome.setText(message)
        self.apply_button.setEnabled(False)

    def show_error(self, message: str) -> None:
        mark_error(self.outcome, True)
        self.outcome.setText(message)


def _headline_html(headline: str) -> str:
    """The headline with what its ± is in smaller, plain type: the figure stays the big part."""
    figure, paren, meaning = headline.partition(" (")
    # non-breaking spaces: the meaning moves to the next line whole, never split
    meaning = html.escape(meaning).replace(" ", "&nbsp;")
    small = (f' <span style="font-size: 12pt; font-weight: 400;">({meaning}</span>'
             if paren else "")
    return html.escape(figure) + small
