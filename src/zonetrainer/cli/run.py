"""``zonetrainer run``: one session in the terminal, then its summary; stored in the database.

Everything the user typed is checked (plan, profile) before the database is opened, so a bad
input writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final, TextIO

from zonetrainer.cli import devices
from zonetrainer.cli.db import number_arg, whole_arg
from zonetrainer.cli.rescue import rescue_to_fit
from zonetrainer.cli.run_text import LiveLine, ramp_text, summary_text
from zonetrainer.core.clock import Clock, clock_for_speed
from zonetrainer.core.control import BoutHistory, recall
from zonetrainer.core.errors import UserError
from zonetrainer.core.imports import Recording, read_recording
from zonetrainer.core.plan import Plan, load_plan
from zonetrainer.core.profile import Profile, ProfileError
from zonetrainer.core.recorder import MemoryRecorder, Recorder
from zonetrainer.core.runner import SessionRunner, runner_for
from zonetrainer.core.sources.base import EffortSource, HeartRateSource
from zonetrainer.core.sources.replay import ReplaySource
from zonetrainer.core.store import Store, StoreError
from zonetrainer.core.threshold import EXTRA_KEY, ThresholdResult

log = logging.getLogger(__name__)

DEFAULT_PLAN = "fatmax-intervals"


def register(sub: Any) -> None:
    parser = sub.add_parser("run", help="run a session in the terminal (simulated strap by "
                                        "default) and store it")
    parser.add_argument("--simulate", action="store_true",
                        help="use the simulated athlete instead of a strap")
    # Kept so that scripts and habits keep working: `run` is always the terminal mode and the
    # dashboard is `zonetrainer` alone, so a window from `run` would be a second dashboard.
    parser.add_argument("--headless", action="store_true",
                        help="deprecated, no longer needed: run always trains in the terminal "
                             "(the dashboard is 'zonetrainer' with no command)")
    parser.add_argument("--plan", default=DEFAULT_PLAN, metavar="NAME|PATH",
                        help=f"a shipped plan (sessions/*.toml) or a TOML file "
                             f"(default: {DEFAULT_PLAN})")
    parser.add_argument("--speed", type=speed_arg, default=1.0, metavar="X",
                        help="time runs X times faster (simulation); 0 = as fast as possible")
    parser.add_argument("--seed", type=seed_arg, default=1,
                        help="seed of the simulated athlete (0 to 4294967295)")
    parser.add_argument("--athlete", metavar="NAME", help="a stored athlete profile")
    add_quick_profile_options(parser)
    parser.add_argument("--no-save", action="store_true", help="do not store the session")
    parser.add_argument("--replay", metavar="FILE",
                        help="play a FIT, TCX or CSV recording as the heart-rate source "
                             "(instead of --simulate or --device); the session ends when the "
                             "recording does")
    parser.add_argument("--replay-speed", type=_replay_speed, metavar="X",
                        help="play the recording X times faster than it was recorded "
                             "(default 1); --speed still sets how fast the session clock runs")
    # The strap: --device (Bluetooth); neither it nor --simulate tries the remembered strap.
    devices.add_device_option(parser)
    # A fitness machine to steer (--machine) or an effort sensor to read (--sensor).
    devices.add_machine_options(parser)
    parser.set_defaults(func=run_command)


speed_arg = number_arg(lambda v: 0 <= v <= 10_000,
                    "speed must be 0 (as fast as possible) to 10000")
_replay_speed = number_arg(lambda v: 0 < v <= 10_000,
                           "replay speed must be above 0 and at most 10000")


seed_arg = whole_arg(lambda n: 0 <= n < 2**32, "seed must be 0 to 4294967295", "seed")


def build_profile(args: argparse.Namespace, stored: dict[str, str] | None = None) -> Profile:
    """The stored athlete (if named) with the quick-profile values on top; checked."""
    base = Profile()
    if args.athlete:
        if stored is None or args.athlete not in stored:
            known = ", ".join(sorted(stored or {})) or "none stored"
            raise UserError(f"no athlete profile named '{args.athlete}' (known: {known})")
        base = profile_from_json(stored[args.athlete], args.athlete)
    changes = quick_profile_values(args)
    return replace(base, **changes) if changes else base


#: The quick-profile options of ``run`` and ``import``: option -> Profile field.
QUICK_PROFILE_FIELDS: Final = {"age": "age_years", "rest_hr": "rest_hr_bpm",
                               "hrmax": "measured_hrmax_bpm"}


def add_quick_profile_options(parser: argparse.ArgumentParser) -> None:
    """--age, --rest-hr and --hrmax: a profile given on the command line."""
    parser.add_argument("--age", type=float, help="quick profile: age in years (HRmax, band)")
    parser.add_argument("--rest-hr", type=float, metavar="BPM", help="quick profile: resting HR")
    parser.add_argument("--hrmax", type=float, metavar="BPM", help="quick profile: measured HRmax")


def quick_profile_values(args: argparse.Namespace) -> dict[str, Any]:
    """The Profile fields the quick-profile options give (only those given)."""
    return {field: getattr(args, option) for option, field in QUICK_PROFILE_FIELDS.items()
            if getattr(args, option) is not None}


def profile_from_json(text: str, name: str) -> Profile:
    """A stored profile, its age brought up to today from the birth year if it has one."""
    try:
        return Profile.from_json(text, today=date.today())
    except ProfileError as exc:
        raise ProfileError(f"athlete '{name}': {exc}") from None


def simulated_source(profile: Profile, seed: int) -> HeartRateSource:
    try:
        from zonetrainer.core.sources.simulated import simulated_source_for
    except ImportError:
        raise UserError("the simulated strap is not installed in this build") from None
    source: HeartRateSource = simulated_source_for(profile, profile.band(), seed)
    return source


def run_command(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    recording = read_replay(args)  # before the database opens: a bad file writes nothing
    devices.check_effort_options(args)  # so are --machine and --sensor
    profile = build_profile(args) if not args.athlete else None
    store: Store | None = None
    unstored: StoreError | None = None  # the database would not take the finished session
    if not args.no_save or args.athlete:
        store = Store.open(getattr(args, "db", None))
    opened_file = _file_id(store.path if store else None)
    try:
        if profile is None:
            assert store is not None
            profile = build_profile(args, dict(store.athletes()))
        recorder: Recorder = store.recorder() if store and not args.no_save else MemoryRecorder()
        clock = clock_for_speed(args.speed)
        source = (ReplaySource(recording, clock, speed=args.replay_speed or 1.0)
                  if recording is not None else _source(args, clock, profile))
        source, effort = devices.effort_for_run(args, clock, source)
        # Only a stored athlete training live has a history of their own: a replay is
        # someone's recording, and every quick profile is called "Athlete".
        remember = bool(args.athlete) and recording is None
        recalled = None if store is None or not remember else recall(
            store.latest_extra, profile.name, datetime.now(UTC))
        if recalled is not None:
            print(f"zonetrainer: {recalled.describe()}")
        if getattr(args, "headless", False):  # after the checks: an error stays one line
            print("zonetrainer: note: --headless is no longer needed: 'run' always trains in "
                  "the terminal; the dashboard is 'zonetrainer' with no command",
                  file=sys.stderr)
        runner = _runner(plan, profile, source, clock, recorder, sys.stdout,
                         None if recalled is None else recalled.history, remember, effort)
        interrupted = False
        try:
            asyncio.run(runner.run())
        except KeyboardInterrupt:
            interrupted = True
        except StoreError as exc:
            if runner.summary is None:
                raise  # nothing was recorded: the database failed at the start
            unstored = exc
        if store is not None and unstored is None:
            store.flush()
            if not args.no_save:
                unstored = _file_gone(store.path, opened_file)
    finally:
        if store is not None:
            _close(store, quiet=unstored is not None)
    if runner.summary is None:
        print("zonetrainer: interrupted before the session started", file=sys.stderr)
        return 130
    if unstored is not None:
        return _rescued(plan, profile, runner, unstored)
    where = "not stored (--no-save)" if args.no_save or store is None else \
        f"stored as session {runner.session_id} in {store.describe}"
    print(summary_text(plan, profile, runner, where))
    if effort is not None:
        print(devices.effort_note(effort, runner.engine.events), file=sys.stderr)
    if EXTRA_KEY in runner.extra:
        stored = None if args.no_save or store is None else runner.session_id
        print(ramp_text(ThresholdResult.from_json(runner.extra[EXTRA_KEY]), stored,
                        args.athlete))
    return 130 if interrupted else 0


def _file_id(path: Path | None) -> tuple[int, int] | None:
    try:
        return None if path is None else (os.stat(path).st_dev, os.stat(path).st_ino)
    except OSError:
        return None


def _file_gone(path: Path | None, opened: tuple[int, int] | None) -> StoreError | None:
    """An error when the SQLite file written into is no longer the one at its path: SQLite
    writes on into a deleted file without a word, and its data goes with the last close."""
    if path is None or opened is None or _file_id(path) == opened:
        return None
    return StoreError(f"database {path} was deleted or replaced while the session ran")


def _close(store: Store, quiet: bool) -> None:
    """Close the store; after a failure already reported, its repeat is only logged."""
    try:
        store.close()
    except StoreError as exc:
        if not quiet:
            raise
        log.info("closing the database: %s", exc)


def _rescued(plan: Plan, profile: Profile, runner: SessionRunner, error: StoreError) -> int:
    """The database would not take the session: keep it in a FIT file and say how to add it
    to the history later."""
    path = rescue_to_fit(runner)
    if path is None:
        where = f"NOT stored: {error}; no file could be written either (see the log)"
    else:
        athlete = f" --athlete '{profile.name}'" if profile.name else ""
        where = (f"NOT stored in the database ({error}). Everything recorded is kept in "
                 f"{path}; add it to the history once the database answers: "
                 f"zonetrainer import '{path}'{athlete}")
    print(summary_text(plan, profile, runner, where))
    return 2


def read_replay(args: argparse.Namespace) -> Recording | None:
    """The recording ``--replay`` names (None without it), read and checked."""
    if args.replay is None:
        if args.replay_speed is not None:
            raise UserError("--replay-speed needs --replay FILE")
        return None
    for other, given in (("--simulate", args.simulate), ("--device", args.device)):
        if given:
            raise UserError(f"--replay and {other} exclude each other: choose one")
    recording = read_recording(args.replay)
    if recording.hr_count == 0:
        raise UserError(f"cannot replay {args.replay}: it holds no heart-rate values")
    return recording


def _source(args: argparse.Namespace, clock: Clock, profile: Profile) -> HeartRateSource:
    return devices.source_for_run(args, clock, lambda: simulated_source(profile, args.seed))


def _runner(plan: Plan, profile: Profile, source: HeartRateSource, clock: Clock,
            recorder: Recorder, out: TextIO, history: BoutHistory | None,
            remember: bool, effort: EffortSource | None = None) -> SessionRunner:
    line = LiveLine(out, out.isatty())
    return runner_for(plan, profile, source, clock, recorder, datetime.now(UTC),
                      on_state=line.show, history=history, remember_bouts=remember,
                      effort_source=effort)
