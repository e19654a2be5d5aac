"""The profile editor: validated fields, and the band that follows from them shown live.

Every field is free text so that a wrong value can be typed and refused with the core's own
message (:class:`ProfileError`), instead of being silently clamped by a spin box.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core import zones
from zonetrainer.core.profile import BAND_METHODS, Profile, ProfileError
from zonetrainer.ui import text


def profile_to_json(profile: Profile) -> str:
    return json.dumps(asdict(profile), sort_keys=True)


def profile_from_json(raw: str) -> Profile:
    """A profile from JSON; unknown keys are ignored, a bad value raises ProfileError."""
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ProfileError(f"profile: not valid JSON ({exc})") from None
    known = {f.name for f in fields(Profile)}
    values = {k: v for k, v in data.items() if k in known} if isinstance(data, dict) else {}
    if isinstance(values.get("custom_band_bpm"), list):
        values["custom_band_bpm"] = tuple(values["custom_band_bpm"])
    try:
        return Profile(**values)
    except TypeError as exc:
        raise ProfileError(f"profile: {exc}") from None


def _number(label: str, raw: str, optional: bool = True) -> float | None:
    raw = raw.strip().replace(",", ".")
    if not raw:
        if optional:
            return None
        raise ProfileError(f"{label}: must be given")
    try:
        return float(raw)
    except ValueError:
        raise ProfileError(f"{label}: {raw!r} is not a number") from None


class ProfileEditor(QWidget):
    profile_saved = Signal(object)  # Profile

    def __init__(self, profile: Profile | None = None) -> None:
        super().__init__()
        self.name = QLineEdit()
        self.age = QLineEdit()
        self.rest_hr = QLineEdit()
        self.rest_hr.setPlaceholderText("optional: enables Karvonen")
        self.hrmax = QLineEdit()
        self.hrmax.setPlaceholderText("optional: measured HRmax beats any formula")
        self.formula = QComboBox()
        self.formula.addItems(list(zones.HRMAX_FORMULAS))
        self.method = QComboBox()
        self.method.addItems(list(BAND_METHODS))
        self.aet = QLineEdit()
        self.aet.setPlaceholderText("optional: HR at your aerobic threshold (ramp test)")
        self.custom_low = QLineEdit()
        self.custom_high = QLineEdit()
        self.safety = QLineEdit()
        self.safety.setPlaceholderText("optional: default 95 % of HRmax")
        self.error_label = QLabel()
        self.error_label.setObjectName("profileError")
        self.error_label.setProperty("class", "error")
        self.error_label.setWordWrap(True)
        self.band_label = QLabel()
        self.band_label.setObjectName("profileBand")
        self.band_label.setWordWrap(True)
        self.save_button = QPushButton("Save profile")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        for label, widget in (("Name", self.name), ("Age (years)", self.age),
                              ("Resting HR (bpm)", self.rest_hr),
                              ("Measured HRmax (bpm)", self.hrmax),
                              ("HRmax formula", self.formula), ("Band method", self.method),
                              ("Aerobic threshold (bpm)", self.aet),
                              ("Custom band low (bpm)", self.custom_low),
                              ("Custom band high (bpm)", self.custom_high),
                              ("Safety ceiling (bpm)", self.safety)):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.band_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.save_button)
        layout.addStretch(1)
        for edit in (self.name, self.age, self.rest_hr, self.hrmax, self.aet, self.custom_low,
                     self.custom_high, self.safety):
            edit.textChanged.connect(self.refresh)
        self.formula.currentTextChanged.connect(self.refresh)
        self.method.currentTextChanged.connect(self.refresh)
        self.profile: Profile | None = None
        self.show_profile(profile or Profile())

    def show_profile(self, profile: Profile) -> None:
        def fmt(value: float | None) -> str:
            return "" if value is None else f"{value:g}"
        self.name.setText(profile.name)
        self.age.setText(fmt(profile.age_years))
        self.rest_hr.setText(fmt(profile.rest_hr_bpm))
        self.hrmax.setText(fmt(profile.measured_hrmax_bpm))
        self.formula.setCurrentText(profile.hrmax_formula)
        self.method.setCurrentText(profile.band_method)
        self.aet.setText(fmt(profile.aet_bpm))
        low, high = profile.custom_band_bpm or (None, None)
        self.custom_low.setText(fmt(low))
        self.custom_high.setText(fmt(high))
        self.safety.setText(fmt(profile.safety_max_bpm))
        self.refresh()

    def read(self) -> Profile:
        """The profile the fields describe, or ProfileError naming the first bad field."""
        low = _number("custom band low", self.custom_low.text())
        high = _number("custom band high", self.custom_high.text())
        if (low is None) != (high is None):
            raise ProfileError("custom band: give both its low and its high edge, or neither")
        profile = Profile(
            name=self.name.text().strip(),
            age_years=_number("age", self.age.text(), optional=False) or 0.0,
            rest_hr_bpm=_number("resting HR", self.rest_hr.text()),
            measured_hrmax_bpm=_number("measured HRmax", self.hrmax.text()),
            hrmax_formula=self.formula.currentText(), band_method=self.method.currentText(),
            aet_bpm=_number("aerobic threshold", self.aet.text()),
            custom_band_bpm=(low, high) if low is not None and high is not None else None,
            safety_max_bpm=_number("safety ceiling", self.safety.text()))
        profile.band()  # a method that lacks its input (karvonen without resting HR) fails here
        return profile

    def refresh(self) -> None:
        try:
            profile = self.read()
        except ProfileError as exc:
            self.profile = None
            self.error_label.setText(str(exc))
            self.band_label.setText("")
            self.save_button.setEnabled(False)
            return
        self.profile = profile
        band = profile.band()
        self.error_label.setText("")
        self.band_label.setText(
            f"{text.band_text(band)}\nHRmax {profile.hrmax_bpm:g} bpm ({profile.hrmax_source}); "
            f"safety ceiling {profile.safety_ceiling_bpm:g} bpm.\n"
            "Formulas are population averages: trust a measured threshold more.")
        self.save_button.setEnabled(True)

    def save(self) -> None:
        if self.profile is not None:
            self.profile_saved.emit(self.profile)
