"""Athlete profiles: validated values, and the band and zones that follow from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from zonetrainer.core import zones
from zonetrainer.core.errors import UserError
from zonetrainer.core.model import Band, ZoneTable

BAND_METHODS: Final = ("auto", "pct_hrmax", "karvonen", "maf", "aet_dfa", "lab", "custom")


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

    def __post_init__(self) -> None:
        validate(self)

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
        return zones.zone_table(self.hrmax_bpm, self.hrmax_source)

    def band(self) -> Band:
        """The fat-oxidative band by the chosen method; ``auto`` takes the best that is known."""
        method = self.band_method
        if method == "auto":
            if self.aet_bpm is not None:
                method = "aet_dfa"
            elif self.rest_hr_bpm is not None:
                method = "karvonen"
            else:
                method = "pct_hrmax"
        if method in ("aet_dfa", "lab"):
            if self.aet_bpm is None:
                raise ProfileError(f"band method '{method}' needs an aerobic threshold (aet_bpm)")
            source = self.aet_source or (
                "aerobic threshold at DFA alpha1 = 0.75 (Rogers et al. 2021)"
                if method == "aet_dfa" else "lab-measured aerobic threshold")
            return zones.band_aet(self.aet_bpm, source, 5.0 if method == "aet_dfa" else 3.0)
        if method == "karvonen":
            if self.rest_hr_bpm is None:
                raise ProfileError("band method 'karvonen' needs a resting heart rate")
            return zones.band_karvonen(self.hrmax_bpm, self.rest_hr_bpm, self.hrmax_source,
                                       self.hrmax_sd_bpm)
        if method == "maf":
            return zones.band_maf(self.age_years)
        if method == "custom":
            if self.custom_band_bpm is None:
                raise ProfileError("band method 'custom' needs custom_band_bpm (low, high)")
            low, high = self.custom_band_bpm
            return Band(low, high, "custom", "set by the user", 0.0)
        return zones.band_pct_hrmax(self.hrmax_bpm, self.hrmax_source, self.hrmax_sd_bpm)


def validate(p: Profile) -> None:
    """Raise ProfileError for any value no human being could have."""
    if not p.name.strip():
        raise ProfileError("name: must not be empty")
    if not 10 <= p.age_years <= 100:
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
    if p.aet_bpm is not None and not 60 <= p.aet_bpm < hrmax:
        raise ProfileError(f"aerobic threshold: {p.aet_bpm:g} bpm must lie between 60 bpm and "
                           f"HRmax ({hrmax:g} bpm)")
    if p.custom_band_bpm is not None:
        low, high = p.custom_band_bpm
        if not 40 <= low < high <= hrmax:
            raise ProfileError(f"custom band: {low:g}-{high:g} bpm must be increasing and lie "
                               f"between 40 bpm and HRmax ({hrmax:g} bpm)")
    if p.safety_max_bpm is not None and not 100 <= p.safety_max_bpm <= 230:
        raise ProfileError(f"safety ceiling: {p.safety_max_bpm:g} bpm is impossible; use 100-230")
