"""What every Bluetooth LE effort source shares (an FTMS machine, a power meter, a footpod):
find it by address or name and service, connect, set up (the subclass's :meth:`_setup`),
record link events, and reconnect after a drop with :func:`zonetrainer.core.backoff.delay_s`
for as long as the session runs, like the strap (both through
:class:`~zonetrainer.core.sources.ble_link.BleLink`).

Event kinds are prefixed ``machine_`` (or the subclass's ``event_prefix``) so a machine's
drop is never mistaken for the strap's. Background tasks are kept in a set on the caller's
loop and cancelled by :meth:`stop`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Final

from bleak import BleakClient, BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import BleakDeviceNotFoundError, BleakError

from zonetrainer.core import backoff
from zonetrainer.core.clock import Clock
from zonetrainer.core.model import EffortSample, SourceStatus
from zonetrainer.core.sources.base import EffortSource, SourceError
from zonetrainer.core.sources.ble_link import BleLink
from zonetrainer.core.sources.ble_scan import is_address, scan_lock, unavailable_error

log = logging.getLogger(__name__)

#: The strap's figures (sources/ble.py) hold for a machine's BLE link too.
SCAN_TIMEOUT_S: Final = 10.0
CONNECT_TIMEOUT_S: Final = 15.0


async def find_by_service(wanted: str, service_uuids: tuple[str, ...], timeout_s: float, *,
                          scanner_cls: type[BleakScanner] = BleakScanner) -> BLEDevice | None:
    """The device with address ``wanted``, or the first advertising one of ``service_uuids``
    whose name contains ``wanted`` (case-insensitive); None if not seen in ``timeout_s``."""
    by_address = is_address(wanted)

    def matches(device: BLEDevice, adv: AdvertisementData) -> bool:
        if by_address:
            return device.address.lower() == wanted.lower()
        name = device.name or adv.local_name or ""
        offered = {u.lower() for u in adv.service_uuids}
        return wanted.lower() in name.lower() and bool(offered & set(service_uuids))

    try:
        async with scan_lock():
            return await scanner_cls.find_device_by_filter(matches, timeout=timeout_s)
    except (BleakError, OSError) as exc:
        raise unavailable_error(exc) or SourceError(f"Bluetooth scan failed: {exc}") from exc


class BleEffortLink(BleLink[EffortSample], EffortSource):
    """One Bluetooth LE effort device; subclasses say what it is and set it up."""

    kind_label = "effort sensor"
    service_uuids: tuple[str, ...] = ()
    event_prefix = "machine"

    def __init__(self, address_or_name: str, clock: Clock, *,
                 scanner_cls: type[BleakScanner] = BleakScanner,
                 client_cls: type[BleakClient] = BleakClient,
                 connect_timeout_s: float = CONNECT_TIMEOUT_S,
                 scan_timeout_s: float = SCAN_TIMEOUT_S,
                 delay_s: Callable[[int], float] = backoff.delay_s,
                 source_id: str | None = None) -> None:
        self._init_link(address_or_name, clock, source_id, scanner_cls, client_cls,
                        connect_timeout_s, scan_timeout_s, delay_s)
        self.detail = ""  # what the status line should add ("cues only: control refused")

    # --- to be filled in ------------------------------------------------------------------
    async def _setup(self, client: BleakClient) -> None:
        """Check the services, read what is needed, subscribe. Raise SourceError if unfit."""
        raise NotImplementedError

    async def _last_word(self, client: BleakClient) -> None:
        """A last word to the device before :meth:`stop` disconnects (a machine: pause)."""

    # --- EffortSource -----------------------------------------------------------------------
    async def start(self) -> None:
        self._stopping = False
        device = await self._find(self.scan_timeout_s)
        try:
            await self._connect(device)
        except TimeoutError as exc:
            raise SourceError(f"The {self.kind_label} {self._label()} did not answer within "
                              f"{self.connect_timeout_s:g} s. Is it on, and not connected to "
                              "another app?") from exc
        except BleakDeviceNotFoundError as exc:
            raise SourceError(f"The {self.kind_label} {self._label()} is no longer known to "
                              "the Bluetooth stack; scan again with 'zonetrainer devices'"
                              ) from exc
        except (BleakError, OSError) as exc:
            raise unavailable_error(exc) or SourceError(
                f"Could not connect to the {self.kind_label} {self._label()}: {exc}") from exc
        self._event("connected", self._label())

    async def stop(self) -> None:
        if self._stopping and self._client is None:
            return
        await self._end_link()

    def status(self) -> SourceStatus:
        return SourceStatus(source_id=self.source_id, link=self._link, name=self.name,
                            detail=self.detail or self.address)

    # --- connecting -------------------------------------------------------------------------
    async def _find(self, timeout_s: float) -> BLEDevice:
        if self._device is not None:
            return self._device
        device = await find_by_service(self.wanted, self.service_uuids, timeout_s,
                                       scanner_cls=self._scanner_cls)
        if device is None:
            raise SourceError(f"No {self.kind_label} matching '{self.wanted}' found within "
                              f"{timeout_s:g} s. Is it on and awake? See 'zonetrainer devices'")
        self._device = device
        return device

    async def _connect(self, device: BLEDevice) -> None:
        self.address, self.name = device.address, device.name or self.name
        client = self._client_cls(device, disconnected_callback=self._on_disconnected,
                                  timeout=self.connect_timeout_s)
        try:
            async with asyncio.timeout(self.connect_timeout_s):
                await client.connect()
                self._client = client  # _setup's callbacks check it is the live one
                await self._setup(client)
            if not client.is_connected:
                raise BleakError("link lost while connecting")
        except BaseException:
            self._client = None
            await self._disconnect_quietly(client)
            raise
        self._link = "connected"
        log.info("connected to the %s %s", self.kind_label, self._label())
