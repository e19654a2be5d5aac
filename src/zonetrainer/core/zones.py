"""Maximal heart rate, the 5-zone table and the fat-oxidative band, each with its source.

Every formula here is a population average. Individuals differ widely, so every band carries
an uncertainty in bpm that the UI shows next to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from zonetrainer.core.model import Band, ZoneTable

#: Standard error of age-predicted HRmax: about 7-10 bpm (Tanaka, Monahan and Seals 2001).
HRMAX_FORMULA_SD_BPM: Final = 10.0


def hrmax_tanaka(age_years: float) -> float:
    """HRmax = 208 - 0.7 x age (Tanaka, Monahan and Seals 2001, J Am Coll Cardiol 37:153)."""
    return 208.0 - 0.7 * age_years


def hrmax_gellish(age_years: float) -> float:
    """HRmax = 207 - 0.7 x age (Gellish et al. 2007, Med Sci Sports Exerc 39:822)."""
    return 207.0 - 0.7 * age_years


def hrmax_fox(age_years: float) -> float:
    """HRmax = 220 - age (Fox, Naughton and Haskell 1971); the oldest and least accurate."""
    return 220.0 - age_years


HRMAX_FORMULAS: Final[dict[str, tuple[Callable[[float], float], str]]] = {
    "tanaka": (hrmax_tanaka, "Tanaka, Monahan and Seals 2001: 208 - 0.7 x age"),
    "gellish": (hrmax_gellish, "Gellish et al. 2007: 207 - 0.7 x age"),
    "fox": (hrmax_fox, "Fox, Naughton and Haskell 1971: 220 - age"),
}

#: Upper edges of zones 1-4 as fractions of HRmax; zone 5 runs to HRmax. The common
#: 50-60-70-80-90-100 % HRmax five-zone scheme (Edwards 1993, "The Heart Rate Monitor Book").
ZONE_UPPER_FRACTIONS: Final = (0.60, 0.70, 0.80, 0.90, 1.00)

#: Zone 2 as 60-70 % HRmax, the default fat-oxidative band when only age is known.
#: Peak fat oxidation sits near 74 +/- 3 % HRmax in trained cyclists (Achten, Gleeson and
#: Jeukendrup 2002, Med Sci Sports Exerc 34:92), with wide spread between people.
PCT_HRMAX_BAND: Final = (0.60, 0.70)

#: Karvonen: 50-65 % of heart-rate reserve above resting HR (the reserve method of Karvonen,
#: Kentala and Mustala 1957). %HRR tracks %VO2 reserve (Swain and Leutholtz 1997), and peak fat
#: oxidation sits at 48 +/- 1 % VO2max across 300 adults (Venables, Achten and Jeukendrup
#: 2005), higher in trained people: the band spans that spread's middle.
KARVONEN_BAND: Final = (0.50, 0.65)

#: Zone tops on heart-rate reserve when a resting HR is known: zone 2 is the Karvonen band
#: itself, so the band and the zones never contradict each other (a zonetrainer convention);
#: zones 4 and 5 keep the 80-90-100 % edges of Edwards 1993, taken of the reserve.
KARVONEN_ZONE_FRACTIONS: Final = (0.50, 0.65, 0.80, 0.90, 1.00)


def zone_table(hrmax_bpm: float, source: str) -> ZoneTable:
    """Five zones as fractions of HRmax (see ZONE_UPPER_FRACTIONS)."""
    # Whole bpm, rounded as the bands are: zone 2's edges are then the %HRmax band's.
    tops = tuple(float(round(f * hrmax_bpm)) for f in ZONE_UPPER_FRACTIONS)
    return ZoneTable(upper_bpm=tops, hrmax_bpm=hrmax_bpm,  # type: ignore[arg-type]
                     source=f"%HRmax zones (Edwards 1993); HRmax: {source}")


def band_pct_hrmax(hrmax_bpm: float, source: str, hrmax_sd_bpm: float) -> Band:
    low, high = PCT_HRMAX_BAND
    return Band(low_bpm=round(low * hrmax_bpm), high_bpm=round(high * hrmax_bpm),
                method="pct_hrmax",
                source=f"60-70 % HRmax (zone 2; FatMax near 74 +/- 3 % HRmax in trained cyclists, "
                       f"Achten, Gleeson and Jeukendrup 2002); HRmax: {source}",
                uncertainty_bpm=round(max(3.0, 0.65 * hrmax_sd_bpm), 1))


def band_karvonen(hrmax_bpm: float, rest_hr_bpm: float, source: str,
                  hrmax_sd_bpm: float) -> Band:
    low, high = KARVONEN_BAND
    reserve = hrmax_bpm - rest_hr_bpm
    return Band(low_bpm=round(rest_hr_bpm + low * reserve),
                high_bpm=round(rest_hr_bpm + high * reserve), method="karvonen",
                source=f"Karvonen 50-65 % of heart-rate reserve (Karvonen, Kentala and Mustala "
                       f"1957), zone 2 on reserve; HRmax: {source}",
                uncertainty_bpm=round(max(3.0, 0.6 * hrmax_sd_bpm), 1))


def band_maf(age_years: float) -> Band:
    """Maffetone's MAF: 180 - age, the band's top; ten beats below, its bottom (Maffetone 2010)."""
    top = 180.0 - age_years
    return Band(low_bpm=top - 10, high_bpm=top, method="maf",
                source="MAF 180 - age (Maffetone 2010, 'The Big Book of Endurance Training')",
                uncertainty_bpm=10.0)


def band_aet(aet_bpm: float, source: str, uncertainty_bpm: float) -> Band:
    """[AeT - 10, AeT] from a measured aerobic threshold (DFA alpha1 = 0.75: Rogers et al. 2021)."""
    return Band(low_bpm=aet_bpm - 10, high_bpm=aet_bpm, method="aet_dfa", source=source,
                uncertainty_bpm=uncertainty_bpm)


#: Maffetone's adjustments of 180 - age (Maffetone 2010): -10 recovering from major illness or
#: on regular medication, -5 injured, regressing or often ill, 0 training consistently, +5
#: training 2+ years without problems and improving.
MAF_ADJUSTMENTS_BPM: Final = (-10.0, -5.0, 0.0, 5.0)

#: The band's edges are as sure as the lab test behind them. 3 bpm is this project's
#: assumption for the day-to-day spread of the heart rate at a lab threshold (it varies with
#: the protocol, the day and the sport), not a figure from one study.
LAB_UNCERTAINTY_BPM: Final = 3.0


def band_maf_adjusted(age_years: float, adjustment_bpm: float) -> Band:
    """MAF with Maffetone's adjustment for health and training history (see above)."""
    if adjustment_bpm not in MAF_ADJUSTMENTS_BPM:
        raise ValueError(f"MAF adjustment: {adjustment_bpm:g} bpm; use one of "
                         f"{', '.join(f'{a:+g}' for a in MAF_ADJUSTMENTS_BPM)}")
    top = 180.0 - age_years + adjustment_bpm
    shift = f" {adjustment_bpm:+g}" if adjustment_bpm else ""
    return Band(low_bpm=top - 10, high_bpm=top, method="maf",
                source=f"MAF 180 - age{shift} (Maffetone 2010, 'The Big Book of Endurance "
                       "Training')", uncertainty_bpm=10.0)


def band_lab(lt1_bpm: float, source: str = "") -> Band:
    """[LT1 - 10, LT1] from a lab-measured first lactate or ventilatory threshold."""
    return Band(low_bpm=lt1_bpm - 10, high_bpm=lt1_bpm, method="lab",
                source=source or "lab-measured first threshold (LT1/VT1): band = LT1 - 10 .. LT1",
                uncertainty_bpm=LAB_UNCERTAINTY_BPM)


def zone_table_karvonen(hrmax_bpm: float, rest_hr_bpm: float, source: str) -> ZoneTable:
    """Five zones on heart-rate reserve, used whenever a resting HR is known (see
    KARVONEN_ZONE_FRACTIONS): zone 2 is the Karvonen band."""
    reserve = hrmax_bpm - rest_hr_bpm
    tops = tuple(float(round(rest_hr_bpm + f * reserve)) for f in KARVONEN_ZONE_FRACTIONS)
    return ZoneTable(upper_bpm=tops, hrmax_bpm=hrmax_bpm,  # type: ignore[arg-type]
                     source=f"%HR-reserve zones: zone 2 the Karvonen band, 80-90 % as "
                            f"Edwards 1993; HRmax: {source}")


_METHOD_WORDS: Final = {
    "pct_hrmax": "a share of maximal heart rate",
    "karvonen": "a share of heart-rate reserve (Karvonen)",
    "maf": "Maffetone's MAF formula",
    "aet_dfa": "your aerobic threshold measured in a ramp (DFA alpha1 = 0.75)",
    "lab": "your lab-measured first threshold",
    "custom": "numbers you set yourself",
}


def describe_band(band: Band) -> str:
    """The band in words, for the UI and the CLI: numbers, how it was set, its source and how
    sure it is. Never promises local fat loss: fat loss is whole-body."""
    how = _METHOD_WORDS.get(band.method, band.method)
    text = (f"Your fat-oxidation band is {band.low_bpm:.0f}-{band.high_bpm:.0f} bpm, set from "
            f"{how}. Source: {band.source}.")
    if band.uncertainty_bpm > 0:
        text += (f" Its edges are uncertain by about +/- {band.uncertainty_bpm:.0f} bpm for you"
                 + (" (formulas are population averages; a measured threshold is better)."
                    if band.method in ("pct_hrmax", "karvonen", "maf") else "."))
    return text
