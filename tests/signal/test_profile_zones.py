"""Profiles: every band method and zone model, JSON, birth year, and a clear error per bad value."""

from __future__ import annotations

from datetime import date

import pytest

from zonetrainer.core import zones
from zonetrainer.core.profile import Profile, ProfileError


def test_every_band_method_gives_numbers_with_their_source() -> None:
    base = dict(name="Ann", age_years=40.0, rest_hr_bpm=60.0)
    cases = {
        # Tanaka: 208 - 0.7 x 40 = 180; 60-70 % -> 108-126.
        "pct_hrmax": (Profile(**base, band_method="pct_hrmax"), 108, 126, "Tanaka"),
        # Karvonen: 60 + 0.5 x 120 = 120, 60 + 0.65 x 120 = 138.
        "karvonen": (Profile(**base, band_method="karvonen"), 120, 138, "Karvonen"),
        # MAF: 180 - 40 = 140, +5 for a consistently improving athlete.
        "maf": (Profile(**base, band_method="maf", maf_adjustment_bpm=5.0), 135, 145,
                "Maffetone"),
        "aet_dfa": (Profile(**base, band_method="aet_dfa", aet_bpm=142.0), 132, 142,
                    "Rogers"),
        "lab": (Profile(**base, band_method="lab", lab_lt1_bpm=150.0, lab_lt2_bpm=170.0),
                140, 150, "lab"),
        "custom": (Profile(**base, band_method="custom", custom_band_bpm=(118.0, 131.0)),
                   118, 131, "user"),
    }
    for method, (profile, low, high, cited) in cases.items():
        band = profile.band()
        assert (band.low_bpm, band.high_bpm) == (low, high), method
        assert band.method == method and cited in band.source
        text = zones.describe_band(band)
        assert f"{low}-{high} bpm" in text and cited in text


def test_hrmax_formulas_and_measured() -> None:
    assert Profile(age_years=40.0, hrmax_formula="gellish").hrmax_bpm == 179.0
    assert Profile(age_years=40.0, hrmax_formula="fox").hrmax_bpm == 180.0
    assert Profile(age_years=40.0, hrmax_formula="tanaka").hrmax_bpm == 180.0
    measured = Profile(age_years=40.0, measured_hrmax_bpm=192.0)
    assert measured.hrmax_bpm == 192.0 and measured.hrmax_source == "measured"
    assert measured.band().uncertainty_bpm < Profile(age_years=40.0).band().uncertainty_bpm


def test_auto_takes_the_best_that_is_known() -> None:
    assert Profile().band().method == "pct_hrmax"
    assert Profile(rest_hr_bpm=55.0).band().method == "karvonen"
    assert Profile(rest_hr_bpm=55.0, aet_bpm=140.0).band().method == "aet_dfa"
    assert Profile(rest_hr_bpm=55.0, aet_bpm=140.0, lab_lt1_bpm=138.0).band().method == "lab"


def test_zone_table_follows_the_band_model() -> None:
    plain = Profile(age_years=40.0).zones()
    assert plain.upper_bpm == (108.0, 126.0, 144.0, 162.0, 180.0) and "Edwards" in plain.source
    reserve = Profile(age_years=40.0, rest_hr_bpm=60.0).zones()
    assert reserve.upper_bpm == (120.0, 138.0, 156.0, 168.0, 180.0)  # zone 2 = the band
    assert "Karvonen" in reserve.source
    forced = Profile(age_years=40.0, rest_hr_bpm=60.0, zone_model="pct_hrmax").zones()
    assert forced.upper_bpm == plain.upper_bpm
    with pytest.raises(ProfileError, match="zone model 'karvonen' needs a resting"):
        Profile(zone_model="karvonen").zones()


def test_birth_year_instead_of_age() -> None:
    p = Profile.with_birth_year(1986, date(2026, 6, 1), name="Bo")
    assert p.age_years == 40.0 and p.birth_year == 1986
    assert p.aged(date(2031, 1, 1)).age_years == 45.0
    assert Profile(age_years=33.0).aged(date(2031, 1, 1)).age_years == 33.0


def test_json_round_trip_and_bad_json() -> None:
    p = Profile(name="Cy", age_years=52.0, rest_hr_bpm=58.0, birth_year=1974,
                custom_band_bpm=(110.0, 125.0), band_method="custom", lab_lt1_bpm=130.0)
    assert Profile.from_json(p.to_json()) == p
    assert Profile.from_json(p.to_json(), today=date(2030, 3, 1)).age_years == 56.0
    with pytest.raises(ProfileError, match="not valid JSON"):
        Profile.from_json("{name: 1")
    with pytest.raises(ProfileError, match=r"unknown field.*agee"):
        Profile.from_json('{"agee": 40}')
    with pytest.raises(ProfileError, match="age years: must be a number"):
        Profile.from_json('{"age_years": "forty"}')
    with pytest.raises(ProfileError, match="must be an object"):
        Profile.from_json("[1, 2]")


@pytest.mark.parametrize(("values", "message"), [
    ({"name": "  "}, "name: must not be empty"),
    ({"age_years": 500.0}, "age: 500 years is impossible"),
    ({"rest_hr_bpm": 200.0}, "resting HR: 200 bpm is impossible"),
    ({"rest_hr_bpm": 100.0, "measured_hrmax_bpm": 110.0}, "not below HRmax"),
    ({"measured_hrmax_bpm": 300.0}, "measured HRmax: 300 bpm is impossible"),
    ({"hrmax_formula": "astrology"}, "hrmax formula: 'astrology' is unknown"),
    ({"band_method": "vibes"}, "band method: 'vibes' is unknown"),
    ({"zone_model": "tri"}, "zone model: 'tri' is unknown"),
    ({"aet_bpm": 250.0}, "aerobic threshold: 250 bpm must lie between"),
    ({"lab_lt1_bpm": 30.0}, "lab LT1: 30 bpm must lie between"),
    ({"lab_lt1_bpm": 160.0, "lab_lt2_bpm": 150.0}, "LT1 .* must be below LT2"),
    ({"custom_band_bpm": (140.0, 120.0)}, "custom band: 140-120 bpm must be increasing"),
    ({"custom_band_bpm": (1.0, 2.0, 3.0)}, "custom band: must be two numbers"),
    ({"custom_band_bpm": (120.0, 123.0)}, "custom band: 120-123 bpm is narrower than 5 bpm"),
    ({"maf_adjustment_bpm": 7.0}, "MAF adjustment: 7 bpm"),
    ({"birth_year": 1066}, "birth year: 1066 is impossible"),
    ({"birth_year": 1985.5}, "birth year: must be a whole year"),
    ({"safety_max_bpm": 20.0}, "safety ceiling: 20 bpm is impossible"),
    # age 40 (default): band 60-70 % of HRmax 180 = 108-126 bpm
    ({"safety_max_bpm": 110.0}, r"safety ceiling: 110 bpm must be at least 5 bpm above the "
                                r"band's top \(126 bpm\)"),
    ({"safety_max_bpm": 130.0}, "must be at least 5 bpm above"),
    ({"band_method": "custom", "custom_band_bpm": (160.0, 175.0)},
     r"the default safety ceiling \(171 bpm, 95 % of HRmax\) must be at least 5 bpm above"),
    ({"rest_hr_bpm": True}, "rest hr bpm: must be a number"),
])
def test_every_bad_value_has_a_clear_message(values: dict[str, object], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        Profile(**values)  # type: ignore[arg-type]


def test_an_impossible_age_from_a_birth_year_speaks_of_the_year() -> None:
    with pytest.raises(ProfileError, match="birth year: 2020 gives an age of 6 years; use a "
                                           "year that gives 10-100"):
        Profile.with_birth_year(2020, date(2026, 11, 23))


def test_a_band_set_by_hand_is_what_auto_takes() -> None:
    band = Profile(custom_band_bpm=(115.0, 130.0), rest_hr_bpm=55.0).band()
    assert (band.low_bpm, band.high_bpm, band.method) == (115.0, 130.0, "custom")


def test_a_ceiling_just_far_enough_above_the_band_is_accepted() -> None:
    top = Profile().band().high_bpm
    assert Profile(safety_max_bpm=top + 5.0).safety_ceiling_bpm == top + 5.0
    # a method still without its data is judged when its band is asked for, not before
    assert Profile(band_method="aet_dfa", safety_max_bpm=110.0).safety_max_bpm == 110.0


def test_a_method_without_its_input_says_what_is_missing() -> None:
    with pytest.raises(ProfileError, match="needs a resting heart rate"):
        Profile(band_method="karvonen").band()
    with pytest.raises(ProfileError, match="needs an aerobic threshold"):
        Profile(band_method="aet_dfa").band()
    with pytest.raises(ProfileError, match="needs a custom band"):
        Profile(band_method="custom").band()
