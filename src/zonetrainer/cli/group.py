"""``zonetrainer group``: several athletes at once (coach mode), each with their own strap, band,
plan, loop and stored session.

``--athlete Ann=STRAP`` (repeated) pairs a stored athlete with a strap (an address or a part of
its name; remembered, so ``--athlete Ann`` alone uses Ann's last strap); ``--simulate N`` runs N
simulated athletes with different seeds, creating their profiles ("Sim Ann", "Sim Bob", ...).
Everything the user typed is checked before the database opens or a strap is asked.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final

from zonetrainer.cli.dashboard import no_display_reason
from zonetrainer.cli.db import whole_arg
from zonetrainer.cli.group_text import GroupLines, member_result
from zonetrainer.cli.run import (
    DEFAULT_PLAN,
    profile_from_json,
    seed_arg,
    simulated_source,
    speed_arg,
)
from zonetrainer.core.clock import Clock, ScaledClock, VirtualClock
from zonetrainer.core.control import recall
from zonetrainer.core.errors import UserError
from zonetrainer.core.group import MAX_ATHLETES, GroupError, GroupSession, check_assignments
from zonetrainer.core.pairing import PairingFile
from zonetrainer.core.plan import Plan, load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.recorder import MemoryRecorder, Recorder
from zonetrainer.core.runner import SessionRunner, runner_for
from zonetrainer.core.sources.base import HeartRateSource
from zonetrainer.core.store import Store

#: Names of simulated athletes: distinct, short enough for a tile read across a room, and
#: marked "Sim" so a demo never lands in a real athlete's history.
SIM_NAMES: Final = ("Ann", "Bob", "Cleo", "Dev", "Eva", "Finn", "Gia", "Hugo", "Ines", "Jon",
                    "Kira", "Leo", "Mia", "Nils", "Olga", "Per", "Quinn", "Rosa", "Sam", "Tess",
                    "Uma", "Vic", "Wen", "Xavi", "Yara", "Zoe", "Abe", "Bea", "Cal", "Dora")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "group", help="several athletes at once, each with their own strap, band and session",
        description="Coach mode: one session per athlete, each with their own strap, band, "
                    "zone-control loop and stored session.")
    parser.add_argument("--athlete", action="append", default=[], metavar="NAME[=STRAP]",
                        help="a stored athlete and their strap (address or part of its name); "
                             "without =STRAP the strap they wore last time. Repeat per athlete")
    parser.add_argument("--simulate", type=_count, metavar="N",
                        help=f"N simulated athletes (1 to {MAX_ATHLETES}), different seeds; "
                             "their profiles ('Sim Ann', ...) are created when missing")
    parser.add_argument("--plan", default=DEFAULT_PLAN, metavar="NAME|PATH",
                        help=f"the plan for everyone (default: {DEFAULT_PLAN})")
    parser.add_argument("--plan-for", action="append", default=[], metavar="NAME=PLAN",
                        help="another plan for one athlete (repeatable)")
    parser.add_argument("--adapter", action="append", default=[], metavar="NAME",
                        help="a Bluetooth adapter (BlueZ: hci0, hci1); give two for a large "
                             "group and the straps are spread over them in turn")
    parser.add_argument("--headless", action="store_true",
                        help="no window: a line per athlete in the terminal")
    parser.add_argument("--speed", type=speed_arg, default=1.0, metavar="X",
                        help="simulation only: time runs X times faster; 0 = as fast as possible")
    parser.add_argument("--seed", type=seed_arg, default=1,
                        help="seed of the first simulated athlete (the next ones count up)")
    parser.add_argument("--no-save", action="store_true", help="do not store the sessions")
    parser.add_argument("--theme", choices=("light", "dark"), default="light",
                        help="colour theme of the group screen")
    parser.set_defaults(func=group_command)


_count = whole_arg(lambda n: 1 <= n <= MAX_ATHLETES,
                   f"the number of athletes must be 1 to {MAX_ATHLETES}", "N")


@dataclass(frozen=True)
class Entry:
    """One athlete as the command line gave them."""

    name: str
    strap: str | None  # None: simulated
    adapter: str | None = None


def parse_athlete(text: str) -> tuple[str, str | None]:
    name, sep, strap = text.partition("=")
    name, strap = name.strip(), strap.strip()
    if not name:
        raise UserError(f"--athlete {text!r}: give the athlete's name, e.g. Ann=C0:FF:EE:00:11:22")
    if sep and not strap:
        raise UserError(f"--athlete {text!r}: no strap after '='; write {name}=ADDRESS or "
                        f"leave out '=' to use {name}'s last strap")
    return name, strap or None


def entries_for(args: argparse.Namespace, pairing: PairingFile) -> list[Entry]:
    """The athletes and straps, checked: one strap per athlete, straps spread over adapters."""
    if args.simulate is not None:
        if args.athlete:
            raise UserError("--simulate and --athlete exclude each other: choose one")
        if args.adapter:
            raise UserError("--adapter is for real straps, not --simulate")
        return [Entry(f"Sim {SIM_NAMES[k]}", None) for k in range(args.simulate)]
    if not args.athlete:
        raise UserError("name the athletes (--athlete Ann=STRAP, repeated) or --simulate N")
    if args.speed != 1.0:
        raise UserError("real straps run in real time: drop --speed (or use --simulate)")
    remembered = pairing.load()
    pairs: list[tuple[str, str]] = []
    for text in args.athlete:
        name, strap = parse_athlete(text)
        if strap is None:
            strap = remembered.get(name)
            if strap is None:
                raise UserError(f"no strap remembered for {name}: write {name}=ADDRESS "
                                "(see 'zonetrainer devices')")
        pairs.append((name, strap))
    check_assignments(pairs)
    adapters = args.adapter or [None]
    return [Entry(n, s, adapters[k % len(adapters)]) for k, (n, s) in enumerate(pairs)]


def plans_for(args: argparse.Namespace, names: list[str]) -> dict[str, Plan]:
    common = load_plan(args.plan)
    plans = dict.fromkeys(names, common)
    for text in args.plan_for:
        name, sep, plan = (part.strip() for part in text.partition("="))
        if not sep or not name or not plan:
            raise UserError(f"--plan-for {text!r}: write NAME=PLAN")
        if name not in plans:
            raise GroupError(f"--plan-for {name}: {name} is not in the group "
                             f"({', '.join(names)})")
        plans[name] = load_plan(plan)
    return plans


def sim_profile(k: int) -> Profile:
    """A plausible, different athlete per place in the group: ages 22-61, resting HR 48-72
    (the adult range in Ostchega et al. 2011, NHANES)."""
    return Profile(name=f"Sim {SIM_NAMES[k]}", age_years=22.0 + (k * 17) % 40,
                   rest_hr_bpm=48.0 + (k * 7) % 25)


def profiles_for(entries: list[Entry], store: Store | None, simulated: bool) -> list[Profile]:
    stored = dict(store.athletes()) if store is not None else {}
    profiles = []
    for k, e in enumerate(entries):
        if e.name in stored:
            profiles.append(profile_from_json(stored[e.name], e.name))
        elif simulated:
            profile = sim_profile(k)
            if store is not None:
                store.save_athlete(profile.name, profile.to_json())
            profiles.append(profile)
        else:
            known = ", ".join(sorted(stored)) or "none stored"
            raise UserError(f"no athlete profile named '{e.name}' (known: {known}); add one "
                            f"with 'zonetrainer profile add {e.name} --age ...'")
    return profiles


def _source(entry: Entry, k: int, profile: Profile, clock: Clock, seed: int) -> HeartRateSource:
    if entry.strap is None:
        source = simulated_source(profile, seed + k)
        source.source_id = f"simulated-{k + 1}"  # each session names its own strap
        return source
    from zonetrainer.core.sources.ble import BleSource
    return BleSource(entry.strap, clock, adapter=entry.adapter, source_id=entry.strap)


def build_group(args: argparse.Namespace, entries: list[Entry], plans: dict[str, Plan],
                profiles: list[Profile], store: Store | None, recorder: Recorder
                ) -> GroupSession:
    simulated = args.simulate is not None
    shared: Clock | None = None if simulated and args.speed == 0 else ScaledClock(
        args.speed if simulated else 1.0)
    members: list[tuple[str, SessionRunner]] = []
    now = datetime.now(UTC)
    for k, (entry, profile) in enumerate(zip(entries, profiles, strict=True)):
        # at --speed 0 each athlete has their own virtual clock: their sessions run as fast
        # as each can, and one athlete's jump in time is never another's
        clock = shared or VirtualClock()
        recalled = None if store is None else recall(store.latest_extra, profile.name, now)
        runner = runner_for(plans[entry.name], replace(profile, name=entry.name),
                            _source(entry, k, profile, clock, args.seed), clock, recorder, now,
                            history=None if recalled is None else recalled.history)
        members.append((entry.name, runner))
    return GroupSession(members)


def set_up_on_screen(args: argparse.Namespace, pairing: PairingFile) -> bool:
    """No athletes named: the coach picks them, their straps and plans in a dialog. The choice
    becomes --athlete and --plan-for, checked as if typed. False when they cancel."""
    from zonetrainer.core.plan import shipped_plans
    from zonetrainer.ui.app import application
    from zonetrainer.ui.group_setup import choose_group

    store = Store.open(getattr(args, "db", None))
    try:
        athletes = [name for name, _ in store.athletes()]
    finally:
        store.close()
    application()
    chosen = choose_group(athletes, pairing.load(), sorted(shipped_plans()), args.plan)
    if chosen is None:
        return False
    args.athlete = [f"{c.name}={c.strap}" for c in chosen]
    args.plan_for = [f"{c.name}={c.plan}" for c in chosen]
    return True


def group_command(args: argparse.Namespace) -> int:
    pairing = PairingFile()
    if not args.headless:
        reason = no_display_reason(os.environ, sys.platform)
        if reason is not None:
            raise UserError(reason.replace("'zonetrainer run --headless' trains",
                                           "'zonetrainer group --headless' trains the group"))
        if args.simulate is None and not args.athlete and not set_up_on_screen(args, pairing):
            print("zonetrainer: no group chosen")
            return 0
    entries = entries_for(args, pairing)
    plans = plans_for(args, [e.name for e in entries])
    store = None if args.no_save and args.simulate is not None else Store.open(
        getattr(args, "db", None))
    interrupted = False
    try:
        profiles = profiles_for(entries, store, args.simulate is not None)
        recorder: Recorder = store.recorder() if store and not args.no_save else MemoryRecorder()
        group = build_group(args, entries, plans, profiles, store, recorder)
        if args.headless:
            lines = GroupLines(sys.stdout, sys.stdout.isatty(), list(group.members))
            group.on_state = lines.show
            try:
                asyncio.run(group.run())
            except KeyboardInterrupt:
                interrupted = True
        else:
            from zonetrainer.ui.group_app import run_group
            run_group(group, "dark" if args.theme == "dark" else "light")
        if store is not None:
            store.flush()
    finally:
        if store is not None:
            store.close()
    connected = {e.name: e.strap for e in entries if e.strap is not None
                 and group.members[e.name].started and group.members[e.name].error is None}
    if connected:
        pairing.remember(connected)
    where = "not stored (--no-save)" if args.no_save or store is None else store.describe
    print(f"\n{len(group)} athletes; sessions in {where}:")
    failed = 0
    for e in entries:
        member = group.members[e.name]
        failed += member.error is not None
        sharing = sum(1 for o in entries if o.strap is not None and o.adapter == e.adapter)
        print(member_result(member, e.adapter, sharing) if member.started
              else f"{e.name}: not started")
    if interrupted:
        return 130
    return 1 if failed else 0
