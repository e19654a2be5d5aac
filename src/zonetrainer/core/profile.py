"""Athlete profiles: validated values, and the band and zones that follow from them.

A profile travels as JSON (:meth:`Profile.to_json` / :meth:`Profile.from_json`): the store
keeps it per athlete and a session keeps a snapshot. Age may be given as a birth year; the
core reads no clock, so whoever knows today's date turns it into an age (:meth:`Profile.aged`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any, Final

from zonetrainer.core import zones
from zonetrainer.core.errors import UserError
from zonetrainer.core.model import Band, ZoneTable
from zonetrainer.core.plan_effort import PlanEffort, parse_effort

BAND_METHODS: Final = ("auto", "pct_hrmax", "karvonen", "maf", "aet_dfa", "lab", "custom")
#: How the five zones are laid out: "auto" follows the band (heart-rate reserve when the band
#: is Karvonen's, else %HRmax).
ZONE_MODELS: Final = ("auto", "pct_hrmax", "karvonen")

#: The narrowest band a session can hold: readings scatter by their noise (SD 1.5-3 bpm,
#: DESIGN.md) and the loop keeps up to 1.5 bpm inside each edge. (The shipped methods give
#: 10-18 bpm wide bands.)
MIN_BAND_WIDTH_BPM: Final = 5.0

#: The least room between the band's top and the safety ceiling: the 5 bpm a forced rest needs
#: to end (zonetrainer.core.engine._blocks.SAFETY_RELEASE_BPM). Nearer, the ceiling would force
#: rests while HR is still in the band.
CEILING_ABOVE_BAND_BPM: Final = 5.0


class ProfileError(UserError, ValueError):
    """An impossible profile value. ``str()`` is one line naming the field and the problem."""


@dataclass(frozen=True, slots=True)
class Profile:
    name: str = "Athlete"
    age_years: float = 40.0
    rest_hr_bpm: float | None = None
    measured_hrmax_bpm: float | None = None
    hrmax_formula: str = "tanaka"
    band_method: str = "auto"
    aet_bpm: float | None = None  # measured aerobic threshold (ramp with DFA alpha1, or lab)
    aet_source: str = ""
    custom_band_bpm: tuple[float, float] | None = None
    safety_max_bpm: float | None = None  # None: 95 % of HRmax
    birth_year: int | None = None  # kept so the age can be brought up to date (see aged)
    lab_lt1_bpm: float | None = None  # first lactate / ventilatory threshold from a lab test
    lab_lt2_bpm: float | None = None  # second threshold from a lab test (shown, not used)
    maf_adjustment_bpm: float = 0.0  # Maffetone's -10 / -5 / 0 / +5 (zones.MAF_ADJUSTMENTS_BPM)
    zone_model: str = "auto"
    #: The ramp's own uncertainty of aet_bpm (threshold.ramp_uncertainty); None: the default.
    aet_uncertainty_bpm: float | None = None
    #: The athlete's usual work and rest effort on their machine, (work, rest, unit) with unit
    #: "km/h" or "W": an intervals block that names no effort starts the loop's lever there.
    usual_effort: tuple[float, float, str] | None = None

    def __post_init__(self) -> None:
        validate(self)

    @classmethod
    def with_birth_year(cls, birth_year: int, today: date, **values: Any) -> Profile:
        """A profile whose age follows from ``birth_year`` on ``today``."""
        return cls(birth_year=birth_year, age_years=age_from_birth_year(birth_year, today),
                   **values)

    def aged(self, today: date) -> Profile:
        """This profile with its age brought up to ``today`` from its birth year, if it has one."""
        if self.birth_year is None:
            return self
        return replace(self, age_years=age_from_birth_year(self.birth_year, today))

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str, today: date | None = None) -> Profile:
        """A validated profile from JSON. Unknown keys are an error (a typo must not pass
        silently); a value of the wrong type names its field. With ``today``, the age is
        brought up to date from the birth year."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ProfileError(f"profile: not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise ProfileError("profile: JSON must be an object of fields")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ProfileError(f"profile: unknown field(s) {', '.join(unknown)}; known: "
                               f"{', '.join(sorted(known))}")
        for key in ("custom_band_bpm", "usual_effort"):
            if isinstance(data.get(key), list):
                data[key] = tuple(data[key])
        profile = cls(**data)
        return profile.aged(today) if today is not None else profile

    @property
    def hrmax_bpm(self) -> float:
        if self.measured_hrmax_bpm is not None:
            return self.measured_hrmax_bpm
        formula, _ = zones.HRMAX_FORMULAS[self.hrmax_formula]
        return round(formula(self.age_years), 1)

    @property
    def hrmax_source(self) -> str:
        if self.measured_hrmax_bpm is not None:
            return "measured"
        return zones.HRMAX_FORMULAS[self.hrmax_formula][1]

    @property
    def hrmax_sd_bpm(self) -> float:
        return 3.0 if self.measured_hrmax_bpm is not None else zones.HRMAX_FORMULA_SD_BPM

    @property
    def safety_ceiling_bpm(self) -> float:
        """Above this the session forces rest. Default 95 % of HRmax, a conservative ceiling."""
        if self.safety_max_bpm is not None:
            return self.safety_max_bpm
        return round(0.95 * self.hrmax_bpm)

    def zones(self) -> ZoneTable:
        """Five zones: on heart-rate reserve (Karvonen) or on %HRmax, see ZONE_MODELS."""
        model = self.zone_model
        if model == "auto":
            model = "karvonen" if self._band_method() == "karvonen" else "pct_hrmax"
        if model == "karvonen":
            if self.rest_hr_bpm is None:
                raise ProfileError("zone model 'karvonen' needs a resting heart rate")
            return zones.zone_table_karvonen(self.hrmax_bpm, self.rest_hr_bpm, self.hrmax_source)
        return zones.zone_table(self.hrmax_bpm, self.hrmax_source)

    def _band_method(self) -> str:
        """The method ``auto`` resolves to: a band set by hand, else the best that is known of
        this athlete (DESIGN.md: a measured threshold first, then resting HR for Karvonen, then
        %HRmax)."""
        if self.band_method != "auto":
            return self.band_method
        if self.custom_band_bpm is not None:
            return "custom"
        if self.lab_lt1_bpm is not None:
            return "lab"
        if self.aet_bpm is not None:
            return "aet_dfa"
        if self.rest_hr_bpm is not None:
            return "karvonen"
        return "pct_hrmax"

    def band(self) -> Band:
        """The fat-oxidative band by the chosen method; ``auto`` takes the best that is known."""
        method = self._band_method()
        if method == "lab" and self.lab_lt1_bpm is not None:
            return zones.band_lab(self.lab_lt1_bpm)
        if method in ("aet_dfa", "lab"):
            if self.aet_bpm is None:
                raise ProfileError(f"band method '{method}' needs an aerobic threshold (bpm)")
            source = self.aet_source or (
                "aerobic threshold at DFA alpha1 = 0.75 (Rogers et al. 2021)"
                if method == "aet_dfa" else "lab-measured aerobic threshold")
            default = 5.0 if method == "aet_dfa" else 3.0
            uncertainty = self.aet_uncertainty_bpm if method == "aet_dfa" else None
            return zones.band_aet(self.aet_bpm, source, uncertainty or default)
        if method == "karvonen":
            if self.rest_hr_bpm is None:
                raise ProfileError("band method 'karvonen' needs a resting heart rate")
            return zones.band_karvonen(self.hrmax_bpm, self.rest_hr_bpm, self.hrmax_source,
                                       self.hrmax_sd_bpm)
        if method == "maf":
            return zones.band_maf_adjusted(self.age_years, self.maf_adjustment_bpm)
        if method == "custom":
            if self.custom_band_bpm is None:
                raise ProfileError("band method 'custom' needs a custom band (low and high, bpm)")
            low, high = self.custom_band_bpm
            return Band(low, high, "custom", "set by the user", 0.0)
        return zones.band_pct_hrmax(self.hrmax_bpm, self.hrmax_source, self.hrmax_sd_bpm)


def age_from_birth_year(birth_year: int, today: date) -> float:
    """Age in whole years on ``today`` for someone born in ``birth_year`` (mid-year assumed:
    without a birthday the error is at most a year, well inside the formulas' own error)."""
    return float(today.year - birth_year)


_NUMBERS: Final = ("age_years", "rest_hr_bpm", "measured_hrmax_bpm", "aet_bpm",
                   "aet_uncertainty_bpm",
                   "safety_max_bpm", "lab_lt1_bpm", "lab_lt2_bpm", "maf_adjustment_bpm")
_TEXTS: Final = ("name", "hrmax_formula", "band_method", "aet_source", "zone_model")


def _check_types(p: Profile) -> None:
    for name in _NUMBERS:
        value = getattr(p, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or value != value):
            raise ProfileError(f"{name.replace('_', ' ')}: must be a number, not {value!r}")
    for name in _TEXTS:
        if not isinstance(getattr(p, name), str):
            raise ProfileError(f"{name.replace('_', ' ')}: must be text, "
                               f"not {getattr(p, name)!r}")
    if p.birth_year is not None and (isinstance(p.birth_year, bool)
                                     or not isinstance(p.birth_year, int)):
        raise ProfileError(f"birth year: must be a whole year, not {p.birth_year!r}")
    band = p.custom_band_bpm
    if band is not None and not (isinstance(band, tuple) and len(band) == 2 and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in band)):
        raise ProfileError(f"custom band: must be two numbers (low, high), not {band!r}")
    if p.usual_effort is not None:
        usual_plan_effort(p)  # the plan's own rules: units, ranges, work above rest


def usual_plan_effort(p: Profile) -> PlanEffort | None:
    """The profile's usual effort as a plan block's effort (None when it has none)."""
    effort = p.usual_effort
    if effort is None:
        return None
    if not (isinstance(effort, tuple) and len(effort) == 3):
        raise ProfileError(f"usual effort: must be (work, rest, unit), not {effort!r}")
    work, rest, unit = effort
    return parse_effort({"work": work, "rest": rest, "unit": unit},
                        lambda message: ProfileError(f"usual effort: {message}"))


def validate(p: Profile) -> None:
    """Raise ProfileError for any value no human being could have."""
    _check_types(p)
    if p.birth_year is not None and not 1900 <= p.birth_year <= 2100:
        raise ProfileError(f"birth year: {p.birth_year} is impossible; use a year like 1985")
    if p.zone_model not in ZONE_MODELS:
        raise ProfileError(f"zone model: {p.zone_model!r} is unknown; use one of "
                           f"{', '.join(ZONE_MODELS)}")
    if p.maf_adjustment_bpm not in zones.MAF_ADJUSTMENTS_BPM:
        raise ProfileError(f"MAF adjustment: {p.maf_adjustment_bpm:g} bpm; use one of "
                           f"{', '.join(f'{a:+g}' for a in zones.MAF_ADJUSTMENTS_BPM)}")
    if not p.name.strip():
        raise ProfileError("name: must not be empty")
    if not 10 <= p.age_years <= 100:
        if p.birth_year is not None:  # the user typed a year: speak of the year
            raise ProfileError(f"birth year: {p.birth_year} gives an age of {p.age_years:g} "
                               "years; use a year that gives 10-100")
        raise ProfileError(f"age: {p.age_years:g} years is impossible; use 10-100")
    if p.hrmax_formula not in zones.HRMAX_FORMULAS:
        raise ProfileError(f"hrmax formula: {p.hrmax_formula!r} is unknown; use one of "
                           f"{', '.join(zones.HRMAX_FORMULAS)}")
    if p.band_method not in BAND_METHODS:
        raise ProfileError(f"band method: {p.band_method!r} is unknown; use one of "
                           f"{', '.join(BAND_METHODS)}")
    if p.measured_hrmax_bpm is not None and not 100 <= p.measured_hrmax_bpm <= 230:
        raise ProfileError(f"measured HRmax: {p.measured_hrmax_bpm:g} bpm is impossible; "
                           "use 100-230")
    hrmax = p.hrmax_bpm
    if p.rest_hr_bpm is not None:
        if not 25 <= p.rest_hr_bpm <= 120:
            raise ProfileError(f"resting HR: {p.rest_hr_bpm:g} bpm is impossible; use 25-120")
        if p.rest_hr_bpm >= hrmax - 20:
            raise ProfileError(f"resting HR: {p.rest_hr_bpm:g} bpm is not below HRmax "
                               f"({hrmax:g} bpm) by at least 20 bpm")
    if p.aet_uncertainty_bpm is not None and not 0 < p.aet_uncertainty_bpm <= 30:
        raise ProfileError(f"aerobic threshold uncertainty: {p.aet_uncertainty_bpm:g} bpm; "
                           "use more than 0 and at most 30")
    if p.aet_bpm is not None and not 60 <= p.aet_bpm < hrmax:
        raise ProfileError(f"aerobic threshold: {p.aet_bpm:g} bpm must lie between 60 bpm and "
                           f"HRmax ({hrmax:g} bpm)")
    if p.custom_band_bpm is not None:
        low, high = p.custom_band_bpm
        if not 40 <= low < high <= hrmax:
            raise ProfileError(f"custom band: {low:g}-{high:g} bpm must be increasing and lie "
                               f"between 40 bpm and HRmax ({hrmax:g} bpm)")
        if high - low < MIN_BAND_WIDTH_BPM:
            raise ProfileError(f"custom band: {low:g}-{high:g} bpm is narrower than "
                               f"{MIN_BAND_WIDTH_BPM:g} bpm, which no heart rate can be held in")
    for label, value in (("lab LT1", p.lab_lt1_bpm), ("lab LT2", p.lab_lt2_bpm)):
        if value is not None and not 60 <= value < hrmax:
            raise ProfileError(f"{label}: {value:g} bpm must lie between 60 bpm and HRmax "
                               f"({hrmax:g} bpm)")
    if (p.lab_lt1_bpm is not None and p.lab_lt2_bpm is not None
            and not p.lab_lt1_bpm < p.lab_lt2_bpm):
        raise ProfileError(f"lab thresholds: LT1 ({p.lab_lt1_bpm:g} bpm) must be below LT2 "
                           f"({p.lab_lt2_bpm:g} bpm)")
    if p.safety_max_bpm is not None and not 100 <= p.safety_max_bpm <= 230:
        raise ProfileError(f"safety ceiling: {p.safety_max_bpm:g} bpm is impossible; use 100-230")
    _check_ceiling_above_band(p)


def _check_ceiling_above_band(p: Profile) -> None:
    """The safety ceiling must leave room above the band, or every session would stop at the
    first interval block (the loop cannot hold a band it must force rests inside)."""
    try:
        top = p.band().high_bpm
    except ProfileError:
        return  # a method without its data: that error comes, in its own words, when used
    ceiling = p.safety_ceiling_bpm
    if ceiling >= top + CEILING_ABOVE_BAND_BPM:
        return
    which = (f"safety ceiling: {ceiling:g} bpm" if p.safety_max_bpm is not None
             else f"the default safety ceiling ({ceiling:g} bpm, 95 % of HRmax)")
    raise ProfileError(f"{which} must be at least {CEILING_ABOVE_BAND_BPM:g} bpm above the "
                       f"band's top ({top:g} bpm): raise it, or lower the band")
