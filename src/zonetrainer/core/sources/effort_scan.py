"""One Bluetooth LE scan that sorts what it sees by the services advertised: heart-rate straps
(0x180D), fitness machines (FTMS 0x1826), power meters (0x1818) and footpods (0x1814)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from bleak import BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData

from zonetrainer.core.signal import HR_SERVICE_UUID
from zonetrainer.core.sources.base import SourceError
from zonetrainer.core.sources.ble_scan import listen
from zonetrainer.core.sources.ftms_control import FTMS_SERVICE_UUID
from zonetrainer.core.sources.sensor_data import CPS_SERVICE_UUID, RSC_SERVICE_UUID

#: Service -> what ``devices`` calls it, in the order a device's kinds are listed.
KINDS: Final = {HR_SERVICE_UUID: "heart rate", FTMS_SERVICE_UUID: "fitness machine",
                CPS_SERVICE_UUID: "power meter", RSC_SERVICE_UUID: "footpod"}
EFFORT_KINDS: Final = ("fitness machine", "power meter", "footpod")


@dataclass(frozen=True, slots=True)
class SeenDevice:
    name: str
    address: str
    rssi_dbm: int | None
    kinds: tuple[str, ...]  # from KINDS; empty for anything else

    @property
    def effort(self) -> bool:
        """A machine or an effort sensor."""
        return any(k in EFFORT_KINDS for k in self.kinds)


async def scan_devices(timeout_s: float,
                       on_progress: Callable[[float, int], None] | None = None, *,
                       scanner_cls: type[BleakScanner] = BleakScanner) -> list[SeenDevice]:
    """Every device seen in ``timeout_s``, strongest signal first; ``on_progress(done, n)``
    with ``n`` the devices of a known kind so far. SourceError without Bluetooth."""
    if timeout_s <= 0:
        raise SourceError(f"scan time must be positive, not {timeout_s:g} s")
    seen: dict[str, SeenDevice] = {}

    def detected(device: BLEDevice, adv: AdvertisementData) -> None:
        known = seen.get(device.address)
        offered = {u.lower() for u in adv.service_uuids}
        kinds = tuple(k for u, k in KINDS.items()
                      if u in offered or (known is not None and k in known.kinds))
        seen[device.address] = SeenDevice(
            device.name or adv.local_name or (known.name if known else ""), device.address,
            adv.rssi, kinds)

    await listen(scanner_cls, detected, timeout_s, None if on_progress is None else
                 lambda done: on_progress(done, sum(1 for d in seen.values() if d.kinds)))
    return sorted(seen.values(), key=lambda d: -(d.rssi_dbm if d.rssi_dbm is not None else -999))
