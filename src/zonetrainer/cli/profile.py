"""``zonetrainer profile add|list|show|edit|delete`` and ``zonetrainer ramp-result``.

Profiles live in the database (one per athlete name, as JSON). ``ramp-result`` reads a stored
ramp session, estimates the aerobic threshold from its DFA alpha1 (stored readings, or
recomputed from its RR) and with ``--apply NAME`` sets that athlete's band from it.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import replace
from datetime import date
from typing import Any

from zonetrainer.cli.db import confirm, number_arg, open_store, printable
from zonetrainer.core import zones
from zonetrainer.core.errors import UserError
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import BAND_METHODS, ZONE_MODELS, Profile
from zonetrainer.core.store import Store
from zonetrainer.core.threshold import (
    EXTRA_KEY,
    ThresholdResult,
    analyse_record,
    finding,
    profile_with_threshold,
    uncertainty_words,
)

#: Command-line option -> Profile field, for add and edit.
_OPTIONS: dict[str, str] = {
    "age": "age_years", "birth_year": "birth_year", "rest_hr": "rest_hr_bpm",
    "hrmax": "measured_hrmax_bpm", "formula": "hrmax_formula", "band": "band_method",
    "aet": "aet_bpm", "lab_lt1": "lab_lt1_bpm", "lab_lt2": "lab_lt2_bpm",
    "maf_adjust": "maf_adjustment_bpm", "custom_band": "custom_band_bpm",
    "zones": "zone_model", "safety_max": "safety_max_bpm",
}


def register(sub: Any) -> None:
    parser = sub.add_parser("profile", help="athlete profiles: add, list, show, edit, delete")
    psub = parser.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    add = psub.add_parser("add", help="store a new athlete profile")
    add.add_argument("name")
    _value_options(add)
    add.set_defaults(func=_add)
    ls = psub.add_parser("list", help="stored profiles with their bands")
    ls.set_defaults(func=_list)
    show = psub.add_parser("show", help="a profile, its band and zones, with their sources")
    show.add_argument("name")
    show.set_defaults(func=_show)
    edit = psub.add_parser("edit", help="change values of a stored profile")
    edit.add_argument("name")
    _value_options(edit)
    edit.set_defaults(func=_edit)
    rm = psub.add_parser("delete", help="delete a stored profile")
    rm.add_argument("name")
    rm.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    rm.set_defaults(func=_delete)
    ramp = sub.add_parser("ramp-result", help="the aerobic threshold found by a ramp session")
    ramp.add_argument("id", type=int, help="the ramp session's id (see: zonetrainer sessions list)")
    ramp.add_argument("--apply", metavar="NAME",
                      help="set this athlete's band from the threshold ([AeT - 10, AeT]); "
                           "another athlete's ramp is applied only after a question")
    ramp.add_argument("--yes", action="store_true",
                      help="apply another athlete's ramp, or a ramp cut short, without asking")
    ramp.set_defaults(func=_ramp_result)


def _value_options(parser: argparse.ArgumentParser) -> None:
    number = _number
    parser.add_argument("--age", type=number, metavar="YEARS")
    parser.add_argument("--birth-year", type=int, metavar="YEAR", help="instead of --age")
    parser.add_argument("--rest-hr", type=number, metavar="BPM", help="resting heart rate")
    parser.add_argument("--hrmax", type=number, metavar="BPM", help="measured maximal HR")
    parser.add_argument("--formula", metavar="NAME",
                        help=f"HRmax formula when not measured: {', '.join(zones.HRMAX_FORMULAS)}"
                             " (default tanaka)")
    parser.add_argument("--band", metavar="METHOD",
                        help=f"how the band is set: {', '.join(BAND_METHODS)} (default auto)")
    parser.add_argument("--aet", type=number, metavar="BPM",
                        help="aerobic threshold HR from a ramp (DFA alpha1 = 0.75)")
    parser.add_argument("--lab-lt1", type=number, metavar="BPM", help="lab first threshold HR")
    parser.add_argument("--lab-lt2", type=number, metavar="BPM", help="lab second threshold HR")
    parser.add_argument("--maf-adjust", type=number, metavar="BPM",
                        help="Maffetone's adjustment: -10, -5, 0 or 5")
    parser.add_argument("--custom-band", type=number, nargs=2, metavar=("LOW", "HIGH"))
    parser.add_argument("--zones", metavar="MODEL", help=f"zone model: {', '.join(ZONE_MODELS)}")
    parser.add_argument("--safety-max", type=number, metavar="BPM",
                        help="force rest above this HR (default 95 %% of HRmax)")
    parser.add_argument("--usual-effort", nargs=3, metavar=("WORK", "REST", "UNIT"),
                        help="usual work and rest effort on your machine, e.g. 10 5 km/h or "
                             "180 90 W: a plan that names no effort starts there")


_number = number_arg(math.isfinite, "a finite number is needed")


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for option, field in _OPTIONS.items():
        value = getattr(args, option)
        if value is not None:
            changes[field] = tuple(value) if field == "custom_band_bpm" else value
    if getattr(args, "usual_effort", None) is not None:
        work, rest, unit = args.usual_effort
        try:
            changes["usual_effort"] = (_number(work), _number(rest), unit)
        except argparse.ArgumentTypeError as exc:
            raise UserError(f"--usual-effort: {exc}") from None
    if "birth_year" in changes:
        if "age_years" in changes:
            raise UserError("give --age or --birth-year, not both")
        changes["age_years"] = float(date.today().year - changes["birth_year"])
    elif "age_years" in changes:
        changes["birth_year"] = None
    return changes


def _profiles(store: Store) -> dict[str, Profile]:
    today = date.today()
    return {name: Profile.from_json(text, today=today) for name, text in store.athletes()}


def _checked(profile: Profile) -> Profile:
    profile.band()  # a method without its input (karvonen without resting HR) fails here
    profile.zones()
    return profile


def _add(args: argparse.Namespace) -> int:
    profile = _checked(Profile(name=args.name, **_changes(args)))
    store = open_store(args)
    try:
        if args.name in dict(store.athletes()):
            raise UserError(f"a profile named '{args.name}' exists; use: zonetrainer profile "
                            f"edit {args.name} ...")
        store.save_athlete(profile.name, profile.to_json())
    finally:
        store.close()
    print(f"saved profile '{printable(profile.name)}'")
    print(_describe(profile))
    return 0


def _get(profiles: dict[str, Profile], name: str) -> Profile:
    if name not in profiles:
        known = ", ".join(sorted(profiles)) or "none stored"
        raise UserError(f"no profile named '{name}' (known: {known})")
    return profiles[name]


def _list(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        profiles = _profiles(store)
    finally:
        store.close()
    if not profiles:
        print("no profiles stored yet; add one: zonetrainer profile add NAME --age 40")
        return 0
    for profile in profiles.values():
        band = profile.band()
        print(f"{printable(profile.name):<20} age {profile.age_years:>3.0f}  band "
              f"{band.low_bpm:.0f}-{band.high_bpm:.0f} bpm (+/- {band.uncertainty_bpm:.0f}, "
              f"{band.method})")
    return 0


def _describe(profile: Profile) -> str:
    born = f" (born {profile.birth_year})" if profile.birth_year is not None else ""
    rest = f"{profile.rest_hr_bpm:g} bpm" if profile.rest_hr_bpm is not None else "not set"
    table = profile.zones()
    lows = (0.0, *table.upper_bpm[:4])
    zone_lines = [f"  zone {i + 1}: {lo:.0f}-{hi:.0f} bpm"
                  for i, (lo, hi) in enumerate(zip(lows, table.upper_bpm, strict=True))]
    lines = [f"{printable(profile.name)}: age {profile.age_years:g}{born}, resting HR {rest}, "
             f"HRmax {profile.hrmax_bpm:g} bpm ({profile.hrmax_source})",
             zones.describe_band(profile.band()),
             f"Zones ({table.source}):", *zone_lines,
             f"Safety ceiling: {profile.safety_ceiling_bpm:g} bpm.",
             *([f"Usual effort: work {profile.usual_effort[0]:g}, rest "
                f"{profile.usual_effort[1]:g} {profile.usual_effort[2]}."]
               if profile.usual_effort is not None else []),
             "Fat loss is whole-body: no band burns fat in one region."]
    if profile.lab_lt2_bpm is not None:
        lines.insert(2, f"Lab second threshold: {profile.lab_lt2_bpm:g} bpm.")
    return "\n".join(lines)


def _show(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        profile = _get(_profiles(store), args.name)
    finally:
        store.close()
    print(_describe(profile))
    return 0


def _edit(args: argparse.Namespace) -> int:
    changes = _changes(args)
    if not changes:
        raise UserError("nothing to change: give at least one option, e.g. --rest-hr 55")
    if "aet_bpm" in changes:  # a threshold typed by hand is not the ramp's: its default spread
        changes["aet_uncertainty_bpm"] = None
    store = open_store(args)
    try:
        profile = _checked(replace(_get(_profiles(store), args.name), **changes))
        store.save_athlete(profile.name, profile.to_json())
    finally:
        store.close()
    print(f"updated profile '{printable(profile.name)}'")
    print(_describe(profile))
    return 0


def _delete(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        _get(_profiles(store), args.name)
        if not args.yes and not confirm(f"delete profile '{args.name}'?"):
            raise UserError(f"profile '{args.name}' not deleted (confirm, or add --yes)")
        store.delete_athlete(args.name)
    finally:
        store.close()
    print(f"deleted profile '{printable(args.name)}'")
    return 0


def _require_ramp(record: SessionRecord) -> None:
    """A session of a known plan without a ramp block is no ramp test: its alpha1 would give a
    wrong threshold. Imports (any plan name we do not ship) may be ramps done elsewhere."""
    if EXTRA_KEY in record.extra:
        return
    try:
        plan = load_plan(record.header.plan_name)
    except UserError:
        return
    if not any(block.kind == "ramp" for block in plan.blocks):
        raise UserError(f"session {record.session_id} ran '{plan.name}', which has no ramp "
                        "block: the aerobic threshold comes from a ramp test "
                        "(zonetrainer run --plan aerobic-threshold-ramp)")


def _ramp_result(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        record = store.load(args.id)
        _require_ramp(record)
        result = analyse_record(record)
        store.set_extra(args.id, EXTRA_KEY, result.to_json())
        print(threshold_text(result))
        if args.apply is None:
            if result.ok:
                print(f"To set a band from it: zonetrainer ramp-result {args.id} --apply NAME")
            return 0 if result.ok else 1
        if not result.ok:
            raise UserError(f"no threshold to apply: {result.statement}")
        owner = record.header.athlete_name
        if owner != args.apply and not args.yes and not confirm(
                f"session {args.id} is {owner}'s ramp, not {args.apply}'s: apply it to "
                f"{args.apply} anyway?"):
            raise UserError(f"not applied: session {args.id} is {owner}'s ramp, not "
                            f"{args.apply}'s (confirm, or add --yes)")
        if result.cut_short and not args.yes and not confirm(
                f"session {args.id}'s ramp was cut short, so a band from it may be several "
                f"bpm off (a whole ramp gives a better one): apply it anyway?"):
            raise UserError(f"not applied: session {args.id}'s ramp was cut short (confirm, "
                            "or add --yes)")
        updated = profile_with_threshold(_get(_profiles(store), args.apply), result,
                                         f"ramp session {args.id}")
        store.save_athlete(updated.name, _checked(updated).to_json())
    finally:
        store.close()
    print(f"profile '{updated.name}' now uses it:")
    print(zones.describe_band(updated.band()))
    return 0


def threshold_text(result: ThresholdResult) -> str:
    """The HR at alpha1 = 0.75 with its uncertainty and fit, or why there is none."""
    cut = f"\n  {result.cut_short}" if result.cut_short else ""
    if not result.ok:
        return f"No aerobic threshold from this session. {result.statement}{cut}"
    return (f"Aerobic threshold: {result.aet_hr_bpm:.0f} {uncertainty_words(result, '+/-')}"
            f"{cut}\n  {finding(result)}\n  fit: slope {result.slope_per_bpm} per bpm, R^2 "
            f"{result.r2}, {result.readings_used} of {result.readings_usable} usable readings "
            f"({result.readings_total} in all), HR {result.hr_range_bpm}"
            f"\n  method: {result.method}")
