"""The profile editor: an athlete chooser, validated fields, and the band shown live.

Every numeric field is free text so that a wrong value can be typed and refused with the
core's own message (:class:`ProfileError`) instead of being silently clamped by a spin box.
The editor only displays and emits intents (choose, save, delete); the main window talks to
the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zonetrainer.core import zones
from zonetrainer.core.plan_effort import EFFORT_RANGES
from zonetrainer.core.profile import BAND_METHODS, ZONE_MODELS, Profile, ProfileError

#: Maffetone's adjustments, as the combo box shows them (zones.MAF_ADJUSTMENTS_BPM).
MAF_TEXTS = {f"{a:+g}" if a else "0": a for a in zones.MAF_ADJUSTMENTS_BPM}


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


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def band_details(profile: Profile) -> str:
    """The band in words with its source and uncertainty, then HRmax, ceiling and zones."""
    table = profile.zones()
    edges = [0.0, *table.upper_bpm]
    zone_text = f"Z1 below {edges[1]:.0f}, " + ", ".join(
        f"Z{i + 1} {edges[i]:.0f}–{edges[i + 1]:.0f}" for i in range(1, 5))
    return (f"{zones.describe_band(profile.band())}\n\n"
            f"HRmax {profile.hrmax_bpm:g} bpm ({profile.hrmax_source}); safety ceiling "
            f"{profile.safety_ceiling_bpm:g} bpm.\nZones (bpm): {zone_text}.\n{table.source}.")


class ProfileEditor(QWidget):
    athlete_chosen = Signal(str)
    new_requested = Signal()
    profile_saved = Signal(object)  # Profile
    delete_requested = Signal(str)

    def __init__(self, profile: Profile | None = None, athletes: list[str] | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.today = today
        self.chooser = QComboBox()
        self.chooser.setObjectName("athleteChooser")
        self.chooser.setMinimumWidth(220)
        self.chooser.textActivated.connect(self.athlete_chosen)
        self.new_button = QPushButton("New")
        self.new_button.setToolTip("Start a new athlete's profile")
        self.new_button.clicked.connect(self.new_requested)
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self._delete)
        self.name = QLineEdit()
        self.age = QLineEdit()
        self.birth_year = QLineEdit()
        self.birth_year.setPlaceholderText("instead of the age: kept up to date")
        self.rest_hr = QLineEdit()
        self.rest_hr.setPlaceholderText("optional: enables Karvonen")
        self.hrmax = QLineEdit()
        self.hrmax.setPlaceholderText("optional: a measured HRmax beats any formula")
        self.formula = QComboBox()
        self.formula.addItems(list(zones.HRMAX_FORMULAS))
        self.safety = QLineEdit()
        self.safety.setPlaceholderText("optional: default 95 % of HRmax")
        self.method = QComboBox()
        self.method.addItems(list(BAND_METHODS))
        self.zone_model = QComboBox()
        self.zone_model.addItems(list(ZONE_MODELS))
        self.maf = QComboBox()
        self.maf.addItems(list(MAF_TEXTS))
        self.maf.setToolTip("Maffetone 2010: -10 recovering from illness or on medication, -5 "
                            "injured or often ill, 0 training consistently, +5 two years of "
                            "progress without problems")
        self.aet = QLineEdit()
        self.aet.setPlaceholderText("optional: from a ramp test (DFA α1 = 0.75)")
        self.lab_lt1 = QLineEdit()
        self.lab_lt1.setPlaceholderText("optional: first lactate / ventilatory threshold")
        self.lab_lt2 = QLineEdit()
        self.lab_lt2.setPlaceholderText("optional: shown, not used for the band")
        self.custom_low = QLineEdit()
        self.custom_high = QLineEdit()
        # the usual effort on the athlete's machine: where a block naming no effort starts
        self.usual_work = QLineEdit()
        self.usual_work.setPlaceholderText("optional: e.g. 10 (km/h) or 180 (W)")
        self.usual_rest = QLineEdit()
        self.usual_rest.setPlaceholderText("optional: e.g. 5 (km/h) or 90 (W)")
        self.usual_unit = QComboBox()
        self.usual_unit.addItems(list(EFFORT_RANGES))
        self.usual_unit.setToolTip("km/h: a treadmill's belt; W: a trainer's or rower's power")
        self.error_label = QLabel()
        self.error_label.setObjectName("profileError")
        self.error_label.setProperty("class", "error")
        self.error_label.setWordWrap(True)
        self.band_label = QLabel()
        self.band_label.setObjectName("profileBand")
        self.band_label.setWordWrap(True)
        self.unsaved_label = QLabel()
        self._layout()
        for edit in (self.name, self.age, self.birth_year, self.rest_hr, self.hrmax, self.aet,
                     self.lab_lt1, self.lab_lt2, self.custom_low, self.custom_high, self.safety,
                     self.usual_work, self.usual_rest):
            edit.textChanged.connect(self.refresh)
        for combo in (self.formula, self.method, self.zone_model, self.maf, self.usual_unit):
            combo.currentTextChanged.connect(self.refresh)
        self.profile: Profile | None = None
        self.loaded = profile or Profile()
        self.set_athletes(athletes or [], self.loaded.name)
        self.show_profile(self.loaded)

    def _layout(self) -> None:
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("Athlete"))
        chooser.addWidget(self.chooser, 1)
        for button in (self.new_button, self.save_button, self.delete_button):
            chooser.addWidget(button)
        person = QFormLayout()
        for label, widget in (("Name", self.name), ("Age (years)", self.age),
                              ("or birth year", self.birth_year),
                              ("Resting HR (bpm)", self.rest_hr),
                              ("Measured HRmax (bpm)", self.hrmax),
                              ("HRmax formula", self.formula),
                              ("Safety ceiling (bpm)", self.safety)):
            person.addRow(label, widget)
        effort = QFormLayout()
        for label, widget in (("Usual work effort", self.usual_work),
                              ("Usual rest effort", self.usual_rest),
                              ("Effort unit", self.usual_unit)):
            effort.addRow(label, widget)
        note = QLabel("Where an intervals block that names no effort starts the machine; the "
                      "loop then sets the work effort from your heart rate.")
        note.setWordWrap(True)
        effort.addRow(note)
        band = QFormLayout()
        for label, widget in (("Band method", self.method), ("Zone model", self.zone_model),
                              ("MAF adjustment (bpm)", self.maf),
                              ("Aerobic threshold (bpm)", self.aet),
                              ("Lab LT1 (bpm)", self.lab_lt1), ("Lab LT2 (bpm)", self.lab_lt2),
                              ("Custom band low (bpm)", self.custom_low),
                              ("Custom band high (bpm)", self.custom_high)):
            band.addRow(label, widget)
        boxes = QHBoxLayout()
        for title, form in (("Athlete", person), ("Band and zones", band),
                            ("Usual effort on your machine", effort)):
            box = QGroupBox(title)
            box.setLayout(form)
            boxes.addWidget(box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addLayout(boxes)
        layout.addWidget(self.error_label)
        layout.addWidget(self.band_label)
        layout.addWidget(self.unsaved_label)
        layout.addStretch(1)

    # display ----------------------------------------------------------------------------------
    def set_athletes(self, names: list[str], current: str | None) -> None:
        """The saved athletes in the chooser, ``current`` selected (no signal emitted)."""
        with QSignalBlocker(self.chooser):
            self.chooser.clear()
            self.chooser.addItems(names)
            self.chooser.setCurrentIndex(names.index(current) if current in names else -1)
        self.delete_button.setEnabled(bool(names) and current in names)

    def show_profile(self, profile: Profile) -> None:
        """Fill the fields from ``profile`` (a birth year is shown instead of its age)."""
        self.loaded = profile
        self.name.setText(profile.name)
        self.age.setText("" if profile.birth_year is not None else _fmt(profile.age_years))
        self.birth_year.setText("" if profile.birth_year is None else str(profile.birth_year))
        self.rest_hr.setText(_fmt(profile.rest_hr_bpm))
        self.hrmax.setText(_fmt(profile.measured_hrmax_bpm))
        self.formula.setCurrentText(profile.hrmax_formula)
        self.safety.setText(_fmt(profile.safety_max_bpm))
        self.method.setCurrentText(profile.band_method)
        self.zone_model.setCurrentText(profile.zone_model)
        self.maf.setCurrentText(next(k for k, v in MAF_TEXTS.items()
                                     if v == profile.maf_adjustment_bpm))
        self.aet.setText(_fmt(profile.aet_bpm))
        self.lab_lt1.setText(_fmt(profile.lab_lt1_bpm))
        self.lab_lt2.setText(_fmt(profile.lab_lt2_bpm))
        low, high = profile.custom_band_bpm or (None, None)
        self.custom_low.setText(_fmt(low))
        self.custom_high.setText(_fmt(high))
        work, rest, unit = profile.usual_effort or (None, None, "")
        self.usual_work.setText(_fmt(work))
        self.usual_rest.setText(_fmt(rest))
        if unit:
            self.usual_unit.setCurrentText(unit)
        self.refresh()

    def _age(self) -> dict[str, float | int | None]:
        age, born = self.age.text().strip(), self.birth_year.text().strip()
        if age and born:
            raise ProfileError("age: give an age or a birth year, not both")
        if not born:
            return {"age_years": _number("age", age, optional=False), "birth_year": None}
        year = _number("birth year", born)
        if year is None or year != int(year):
            raise ProfileError(f"birth year: {born!r} is not a whole year; use a year like 1985")
        return {"age_years": float(self.today().year - int(year)), "birth_year": int(year)}

    def _usual_effort(self) -> tuple[float, float, str] | None:
        """(work, rest, unit) from the effort fields, None when both are empty; the Profile
        checks it by the plan's own rules (ranges per unit, work above rest)."""
        work = _number("usual effort: work", self.usual_work.text())
        rest = _number("usual effort: rest", self.usual_rest.text())
        if work is None and rest is None:
            return None
        if work is None or rest is None:
            raise ProfileError("usual effort: give both its work and its rest effort, or "
                               "neither")
        return (work, rest, self.usual_unit.currentText())

    def read(self) -> Profile:
        """The profile the fields describe, or ProfileError naming the first bad field."""
        low = _number("custom band low", self.custom_low.text())
        high = _number("custom band high", self.custom_high.text())
        if (low is None) != (high is None):
            raise ProfileError("custom band: give both its low and its high edge, or neither")
        aet = _number("aerobic threshold", self.aet.text())
        # A threshold kept from the ramp keeps its source; one typed by hand has the default.
        aet_source = self.loaded.aet_source if aet == self.loaded.aet_bpm else ""
        age = self._age()
        profile = Profile(
            name=self.name.text().strip(), age_years=float(age["age_years"] or 0.0),
            birth_year=age["birth_year"],  # type: ignore[arg-type]
            rest_hr_bpm=_number("resting HR", self.rest_hr.text()),
            measured_hrmax_bpm=_number("measured HRmax", self.hrmax.text()),
            hrmax_formula=self.formula.currentText(),
            safety_max_bpm=_number("safety ceiling", self.safety.text()),
            band_method=self.method.currentText(), zone_model=self.zone_model.currentText(),
            maf_adjustment_bpm=MAF_TEXTS[self.maf.currentText()],
            aet_bpm=aet, aet_source=aet_source,
            aet_uncertainty_bpm=(self.loaded.aet_uncertainty_bpm if aet == self.loaded.aet_bpm
                                 else None),
            lab_lt1_bpm=_number("lab LT1", self.lab_lt1.text()),
            lab_lt2_bpm=_number("lab LT2", self.lab_lt2.text()),
            custom_band_bpm=(low, high) if low is not None and high is not None else None,
            usual_effort=self._usual_effort())
        profile.band()  # a method that lacks its input (karvonen without resting HR) fails here
        profile.zones()
        return profile

    def _fields_of(self, message: str) -> list[QWidget]:
        """The fields an error message is about, by the label it begins with."""
        by_label: list[tuple[str, list[QWidget]]] = [
            ("age: give an age or a birth year", [self.age, self.birth_year]),
            ("name", [self.name]), ("age", [self.age]), ("birth year", [self.birth_year]),
            ("resting HR", [self.rest_hr]), ("measured HRmax", [self.hrmax]),
            ("safety ceiling", [self.safety]), ("the default safety ceiling", [self.safety]),
            ("aerobic threshold", [self.aet]), ("lab LT1", [self.lab_lt1]),
            ("lab LT2", [self.lab_lt2]), ("lab thresholds", [self.lab_lt1, self.lab_lt2]),
            ("custom band", [self.custom_low, self.custom_high]),
            ("band method", [self.method]),
            ("usual effort: work (", [self.usual_work, self.usual_rest]),  # work above rest
            ("usual effort: work", [self.usual_work]), ("usual effort: rest", [self.usual_rest]),
            ("usual effort", [self.usual_work, self.usual_rest])]
        for label, fields in by_label:
            if message.startswith(label) and (label.endswith("(") or
                                              message[len(label):len(label) + 1] in ": ,"):
                return fields
        return []

    def _mark(self, bad: list[QWidget]) -> None:
        """Outline the fields in error (the style sheets draw [invalid="true"])."""
        for field in (self.name, self.age, self.birth_year, self.rest_hr, self.hrmax,
                      self.safety, self.aet, self.lab_lt1, self.lab_lt2, self.custom_low,
                      self.custom_high, self.method, self.usual_work, self.usual_rest):
            invalid = field in bad
            if bool(field.property("invalid")) != invalid:
                field.setProperty("invalid", invalid)
                field.style().unpolish(field)
                field.style().polish(field)

    def refresh(self) -> None:
        try:
            profile = self.read()
        except ProfileError as exc:
            self.profile = None
            self._mark(self._fields_of(str(exc)))
            self.error_label.setText(str(exc))
            self.band_label.setText("")
            self.save_button.setEnabled(False)
            self.unsaved_label.setText("")
            return
        self.profile = profile
        self._mark([])
        self.error_label.setText("")
        self.band_label.setText(band_details(profile))
        self.save_button.setEnabled(True)
        # a birth year's age follows the calendar: only a change of the year itself counts
        loaded = (self.loaded if profile.birth_year is None
                  else replace(self.loaded, age_years=profile.age_years))
        same = profile == loaded
        self.unsaved_label.setText("" if same else "Unsaved changes: Save keeps them.")

    @property
    def unsaved(self) -> bool:
        """The fields differ from the profile last shown or saved (or do not form one)."""
        return self.profile is None or bool(self.unsaved_label.text())

    def reselect(self) -> None:
        """Point the chooser back at the athlete shown (after a refused change)."""
        names = [self.chooser.itemText(i) for i in range(self.chooser.count())]
        self.set_athletes(names, self.loaded.name if self.loaded.name in names else None)

    # intents ----------------------------------------------------------------------------------
    def new_athlete(self) -> None:
        """Empty fields for a new athlete: the name must be typed before Save."""
        self.set_athletes([self.chooser.itemText(i) for i in range(self.chooser.count())],
                          None)
        self.show_profile(Profile())
        self.name.clear()
        self.name.setFocus()

    def save(self) -> None:
        if self.profile is not None:
            self.profile_saved.emit(self.profile)

    def _delete(self) -> None:
        name = self.chooser.currentText()
        if name:
            self.delete_requested.emit(name)
