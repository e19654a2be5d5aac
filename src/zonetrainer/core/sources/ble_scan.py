"""Finding heart-rate straps over Bluetooth LE (bleak), and turning the platform's failures
into messages a user can act on."""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from bleak import BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import BleakBluetoothNotAvailableError, BleakDBusError, BleakError

from zonetrainer.core.signal import HR_SERVICE_UUID
from zonetrainer.core.sources.base import SourceError

log = logging.getLogger(__name__)

#: How often a scan reports progress: often enough for a progress bar to move smoothly.
PROGRESS_EVERY_S: Final = 0.25

#: A MAC address (Linux, Windows) or a CoreBluetooth UUID (macOS); anything else is a name.
_ADDRESS = re.compile(r"^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}"
                      r"-[0-9A-Fa-f]{12}$")


#: What the bus answers when nothing owns the name org.bluez.
_NO_BLUEZ: Final = ("org.freedesktop.DBus.Error.ServiceUnknown",
                    "org.freedesktop.DBus.Error.NameHasNoOwner")


@dataclass(frozen=True, slots=True)
class FoundDevice:
    """A device seen while scanning."""

    name: str
    address: str  # a MAC address; on macOS a UUID that CoreBluetooth assigns per computer
    rssi_dbm: int | None
    has_hr_service: bool


#: Called during a scan with the share of the scan time done (0..1) and what was seen so far.
ProgressCallback = Callable[[float, tuple[FoundDevice, ...]], None]

# BlueZ keeps one discovery session per D-Bus client, and bleak shares one client per event
# loop, so two scans running at once would stop each other: scans take turns.
_scan_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary())


def scan_lock() -> asyncio.Lock:
    """The lock every scan of this event loop holds while it runs."""
    loop = asyncio.get_running_loop()
    lock = _scan_locks.get(loop)
    if lock is None:
        lock = _scan_locks[loop] = asyncio.Lock()
    return lock


def is_address(text: str) -> bool:
    return bool(_ADDRESS.match(text.strip()))


def _has_hr(adv: AdvertisementData) -> bool:
    return HR_SERVICE_UUID in (u.lower() for u in adv.service_uuids)


def unavailable_error(exc: BaseException) -> SourceError | None:
    """A clear :class:`SourceError` when ``exc`` means "no Bluetooth here"; else None."""
    if isinstance(exc, BleakBluetoothNotAvailableError):
        return SourceError(f"Bluetooth is not available: {exc.args[0] if exc.args else exc}")
    if isinstance(exc, BleakDBusError) and exc.dbus_error in _NO_BLUEZ:
        return SourceError("BlueZ (the Linux Bluetooth service, bluetoothd) is not running: "
                           "start it with 'sudo systemctl start bluetooth'")
    if isinstance(exc, (FileNotFoundError, ConnectionRefusedError)) and sys.platform == "linux":
        return SourceError("Cannot reach BlueZ: the D-Bus system bus is not running "
                           f"({exc.strerror or exc}); Bluetooth needs dbus and bluetoothd")
    if isinstance(exc, PermissionError):
        return SourceError(f"Not allowed to use Bluetooth ({exc}); see the README's notes on "
                           "permissions for your platform")
    return None


async def scan(timeout_s: float = 5.0, all_devices: bool = False,
               on_progress: ProgressCallback | None = None, *,
               scanner_cls: type[BleakScanner] = BleakScanner) -> list[FoundDevice]:
    """Scan for ``timeout_s`` seconds; the devices offering the Heart Rate Service (or all of
    them with ``all_devices``), strongest signal first. Raises SourceError without Bluetooth."""
    if timeout_s <= 0:
        raise SourceError(f"scan time must be positive, not {timeout_s:g} s")
    seen: dict[str, FoundDevice] = {}

    def detected(device: BLEDevice, adv: AdvertisementData) -> None:
        known = seen.get(device.address)
        seen[device.address] = FoundDevice(
            name=device.name or adv.local_name or (known.name if known else ""),
            address=device.address, rssi_dbm=adv.rssi,
            has_hr_service=_has_hr(adv) or bool(known and known.has_hr_service))

    def wanted() -> tuple[FoundDevice, ...]:
        found = [d for d in seen.values() if all_devices or d.has_hr_service]
        return tuple(sorted(found, key=lambda d: -(d.rssi_dbm if d.rssi_dbm is not None else -999)))

    await listen(scanner_cls, detected, timeout_s,
                 None if on_progress is None else lambda done: on_progress(done, wanted()))
    return list(wanted())


async def listen(scanner_cls: type[BleakScanner],
                 detected: Callable[[BLEDevice, AdvertisementData], None], timeout_s: float,
                 on_step: Callable[[float], None] | None) -> None:
    """Run one scan of ``timeout_s`` (one at a time: :func:`scan_lock`), telling ``on_step``
    the share done every PROGRESS_EVERY_S. SourceError without Bluetooth."""
    steps = max(1, round(timeout_s / PROGRESS_EVERY_S))
    try:
        async with scan_lock(), scanner_cls(detection_callback=detected):
            for step in range(1, steps + 1):
                await asyncio.sleep(timeout_s / steps)
                if on_step is not None:
                    on_step(step / steps)
    except (BleakError, OSError) as exc:
        raise unavailable_error(exc) or SourceError(f"Bluetooth scan failed: {exc}") from exc


async def find_device(address_or_name: str, timeout_s: float, *,
                      scanner_cls: type[BleakScanner] = BleakScanner,
                      adapter: str | None = None) -> tuple[BLEDevice, int | None] | None:
    """The strap with this address, or the first heart-rate device whose name contains
    ``address_or_name`` (case-insensitive), with its RSSI; None if not seen in ``timeout_s``."""
    wanted = address_or_name.strip()
    by_address = is_address(wanted)
    rssi: dict[str, int] = {}

    def matches(device: BLEDevice, adv: AdvertisementData) -> bool:
        rssi[device.address] = adv.rssi
        if by_address:
            return device.address.lower() == wanted.lower()
        name = device.name or adv.local_name or ""
        return wanted.lower() in name.lower() and _has_hr(adv)

    try:
        async with scan_lock():
            extra: dict[str, Any] = {} if adapter is None else {"bluez": {"adapter": adapter}}
            device = await scanner_cls.find_device_by_filter(matches, timeout=timeout_s,
                                                             **extra)
    except (BleakError, OSError) as exc:
        raise unavailable_error(exc) or SourceError(f"Bluetooth scan failed: {exc}") from exc
    return None if device is None else (device, rssi.get(device.address))
