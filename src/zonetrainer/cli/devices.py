"""``zonetrainer devices``: scan for heart-rate straps, fitness machines (FTMS) and effort
sensors (power meters, footpods) and list name, address and signal; ``run``'s --device,
--machine and --sensor."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from zonetrainer.cli.db import number_arg
from zonetrainer.core.clock import Clock
from zonetrainer.core.errors import UserError
from zonetrainer.core.model import SessionEvent, SourceStatus
from zonetrainer.core.settings import SettingsFile
from zonetrainer.core.sources.base import EffortSource, HeartRateSource
from zonetrainer.core.sources.ble import BleSource, FoundDevice
from zonetrainer.core.sources.ble_fallback import FallbackSource
from zonetrainer.core.sources.ble_sensors import EffortSensorSource
from zonetrainer.core.sources.effort_scan import SeenDevice, scan_devices
from zonetrainer.core.sources.ftms import FtmsSource
from zonetrainer.core.sources.simulated import SimulatedStrap
from zonetrainer.core.sources.simulated_machine import SIM_NAMES, simulated_machine_for

log = logging.getLogger(__name__)

#: Long enough to catch a strap that advertises once a second several times over.
DEFAULT_SCAN_S = 5.0

#: How long ``run`` looks for the remembered strap before it falls back to the simulator:
#: a worn strap advertises several times a second, so 5 s is plenty, and a user without one
#: should not wait long.
REMEMBERED_SCAN_S = 5.0


def register(sub: Any) -> None:
    parser = sub.add_parser("devices", help="scan for Bluetooth LE heart-rate straps, fitness "
                                            "machines and effort sensors")
    parser.add_argument("--all", action="store_true", dest="all_devices",
                        help="list every Bluetooth LE device seen, not only heart-rate straps")
    parser.add_argument("--timeout", type=_seconds, default=DEFAULT_SCAN_S, metavar="S",
                        help=f"how long to scan, in seconds (default {DEFAULT_SCAN_S:g})")
    parser.set_defaults(func=_devices)


_seconds = number_arg(lambda v: 0 < v <= 600, "scan time must be between 0 and 600 s")


def _devices(args: argparse.Namespace) -> int:
    tty = sys.stderr.isatty()
    last_shown = [-1]

    def progress(done: float, seen: int) -> None:
        # one line redrawn on a terminal; otherwise a line per quarter of the scan
        text = f"scanning ... {done * 100:3.0f} %, {seen} found"
        if tty:
            print(f"\r{text}", end="", file=sys.stderr, flush=True)
        elif int(done * 4) > last_shown[0]:
            last_shown[0] = int(done * 4)
            print(text, file=sys.stderr, flush=True)

    kind = "Bluetooth LE devices" if args.all_devices else "heart-rate straps"
    print(f"Scanning for {kind} for {args.timeout:g} s ...", file=sys.stderr, flush=True)
    try:
        seen = asyncio.run(scan_devices(args.timeout, progress))
    finally:
        if tty:
            print(file=sys.stderr)
    found = [FoundDevice(d.name, d.address, d.rssi_dbm, "heart rate" in d.kinds) for d in seen
             if args.all_devices or "heart rate" in d.kinds]
    machines = [d for d in seen if d.effort]
    if not found and not machines:
        print(f"No {kind} found in {args.timeout:g} s. Put the strap on (moist electrodes wake "
              "it up), make sure no phone or app is connected to it, or try --all.")
        return 1
    if found:
        _print_table(found, args.all_devices)
    else:
        print(f"No {kind} found in {args.timeout:g} s.")
    if machines:
        _print_machines(machines)
    remembered = _remembered()
    if remembered:
        print(f"\nLast used: {remembered}. Connect with: zonetrainer run --device ADDRESS")
    else:
        print("\nConnect with: zonetrainer run --device ADDRESS (or a part of the name)")
    return 0


def _print_table(found: list[FoundDevice], all_devices: bool) -> None:
    name_w = max(4, *(len(d.name or "(no name)") for d in found))
    addr_w = max(7, *(len(d.address) for d in found))
    header = f"{'NAME':<{name_w}}  {'ADDRESS':<{addr_w}}  {'RSSI':>8}"
    print(header + ("  HEART RATE" if all_devices else ""))
    for d in found:
        rssi = f"{d.rssi_dbm} dBm" if d.rssi_dbm is not None else "-"
        line = f"{d.name or '(no name)':<{name_w}}  {d.address:<{addr_w}}  {rssi:>8}"
        print(line + (("  yes" if d.has_hr_service else "  no") if all_devices else ""))


def _print_machines(machines: list[SeenDevice]) -> None:
    name_w = max(4, *(len(d.name or "(no name)") for d in machines))
    addr_w = max(7, *(len(d.address) for d in machines))
    print(f"\nFitness machines and effort sensors:\n"
          f"{'NAME':<{name_w}}  {'ADDRESS':<{addr_w}}  {'RSSI':>8}  KIND")
    for d in machines:
        rssi = f"{d.rssi_dbm} dBm" if d.rssi_dbm is not None else "-"
        kinds = ", ".join(k for k in d.kinds if k != "heart rate")
        print(f"{d.name or '(no name)':<{name_w}}  {d.address:<{addr_w}}  {rssi:>8}  {kinds}")
    print("Use a machine with: zonetrainer run --machine ADDRESS; a power meter or footpod "
          "with: zonetrainer run --sensor ADDRESS")


def _remembered() -> str:
    try:
        settings = SettingsFile().load()
    except UserError:
        return ""
    if settings.last_device_address is None:
        return ""
    name = settings.last_device_name
    return f"{name} ({settings.last_device_address})" if name else settings.last_device_address


# --- zonetrainer run --device ---------------------------------------------------------------
def add_device_option(parser: argparse.ArgumentParser) -> None:
    """The ``--device`` option of ``zonetrainer run``."""
    parser.add_argument(
        "--device", metavar="ADDRESS_OR_NAME",
        help="heart-rate strap to connect to: an address from 'zonetrainer devices' or a part "
             "of its name; remembered for next time. Without --device and --simulate the "
             "remembered strap is tried, else the simulated strap is used")


def source_for_run(args: argparse.Namespace, clock: Clock,
                   simulated: Callable[[], HeartRateSource], *,
                   settings: SettingsFile | None = None,
                   remembered_scan_s: float = REMEMBERED_SCAN_S,
                   say: Callable[[str], None] | None = None) -> HeartRateSource:
    """The source ``zonetrainer run`` should use.

    --simulate: ``simulated()``. --device X: the strap X (an error if it cannot be reached).
    Neither: the remembered strap, falling back to ``simulated()`` with a message when there is
    no adapter or the strap does not answer; ``simulated()`` when none is remembered.
    The strap connected is remembered in the settings file.
    """
    settings = settings or SettingsFile()
    say = say or (lambda text: print(f"zonetrainer: {text}", file=sys.stderr))
    device = getattr(args, "device", None)
    real_time = float(getattr(args, "speed", 1.0) or 0.0) == 1.0

    told = [False]

    def connected(status: SourceStatus) -> None:
        if not told[0]:  # once: a line per reconnect would break the live line
            told[0] = True
            say(f"connected to {describe(status)}")
        try:
            settings.remember_device(status.detail, status.name)
        except UserError as exc:
            log.warning("%s", exc)

    if getattr(args, "simulate", False):
        if device:
            raise UserError("--device and --simulate exclude each other: choose one")
        return simulated()
    if device:
        if not real_time:
            raise UserError("a real strap runs in real time: drop --speed (or use --simulate)")
        return BleSource(device, clock, on_connected=connected)
    remembered = settings.load().last_device_address
    if remembered is None or not real_time:
        if remembered is None:
            say("no strap remembered (see 'zonetrainer devices' and --device); "
                "using the simulated strap")
        return simulated()
    say(f"connecting to the remembered strap {remembered} ...")
    strap = BleSource(remembered, clock, scan_timeout_s=remembered_scan_s,
                      on_connected=connected)
    return FallbackSource(strap, simulated, on_fallback=say)


# --- zonetrainer run --machine / --sensor ----------------------------------------------------
def add_machine_options(parser: argparse.ArgumentParser) -> None:
    """The ``--machine`` and ``--sensor`` options of ``zonetrainer run``."""
    sims = ", ".join(SIM_NAMES)
    parser.add_argument(
        "--machine", metavar="ADDRESS_OR_NAME",
        help="Bluetooth FTMS treadmill, bike trainer, cross trainer or rower to steer: an "
             "address from 'zonetrainer devices' or a part of its name; with --simulate one of "
             f"{sims}")
    parser.add_argument(
        "--sensor", metavar="ADDRESS_OR_NAME",
        help="a Bluetooth power meter or footpod whose readings the cues name (not steered)")


def check_effort_options(args: argparse.Namespace) -> str:
    """Check --machine / --sensor against the other options before anything is opened; the
    machine or sensor named ("" for none)."""
    machine, sensor = getattr(args, "machine", None), getattr(args, "sensor", None)
    if machine and sensor:
        raise UserError("--machine and --sensor exclude each other: choose one")
    name = (machine or sensor or "").strip()
    if not name:
        return ""
    option = "--machine" if machine else "--sensor"
    if getattr(args, "replay", None):
        raise UserError(f"--replay and {option} exclude each other: choose one")
    if machine and name.lower() in SIM_NAMES:
        if not getattr(args, "simulate", False):
            raise UserError(f"the simulated machine '{name}' needs the simulated athlete: "
                            "add --simulate")
    elif float(getattr(args, "speed", 1.0) or 0.0) != 1.0:
        raise UserError(f"a real machine or sensor runs in real time: drop --speed with {option}")
    return name


def effort_for_run(args: argparse.Namespace, clock: Clock, source: HeartRateSource,
                   ) -> tuple[HeartRateSource, EffortSource | None]:
    """The effort source ``run`` should use, and the heart-rate source to use with it (a
    simulated machine needs its own strap: the athlete on it)."""
    name = check_effort_options(args)
    if not name:
        return source, None
    sim = SIM_NAMES.get(name.lower()) if getattr(args, "machine", None) else None
    if sim is not None:
        if not isinstance(source, SimulatedStrap):
            raise UserError(f"the simulated machine '{name}' needs the simulated athlete: "
                            "add --simulate")
        return simulated_machine_for(source, sim)
    if getattr(args, "machine", None):
        return source, FtmsSource(name, clock)
    return source, EffortSensorSource(name, clock)


def effort_note(source: EffortSource, events: Sequence[SessionEvent]) -> str:
    """One line on how the machine or sensor did: steered or why not, and its drops."""
    status = source.status()
    name = status.name or status.source_id
    mine = [e for e in events if e.kind.startswith(("machine_", "sensor_"))]
    steered = any(e.kind == "machine_control" for e in mine)
    if status.detail.startswith(("cues only", "the machine")):
        how = status.detail
    else:
        how = "under control" if steered else "read only, not controlled"
    drops = sum(e.kind.endswith("_disconnected") for e in mine)
    return f"zonetrainer: {name}: {how}" + (f"; the link dropped {drops} times" if drops else "")


def describe(status: SourceStatus) -> str:
    """"Polar H10 (C0:FF:EE:00:11:22), chest, battery 87 %" with what the strap told."""
    text = f"{status.name} ({status.detail})" if status.name else status.detail
    if status.body_location:
        text += f", {status.body_location}"
    if status.battery_pct is not None:
        text += f", battery {status.battery_pct} %"
    return text
