"""A Bluetooth LE heart-rate strap (any Heart Rate Service 0x180D device) as a HeartRateSource.

Notifications are parsed with :func:`zonetrainer.core.signal.parse`, stamped with the injected
clock and queued for :meth:`BleSource.drain`. When the link drops the source says "searching",
records an event and reconnects with :func:`zonetrainer.core.backoff.delay_s` for as long as
the session runs (the link bookkeeping is :class:`~zonetrainer.core.sources.ble_link.BleLink`,
shared with machines and effort sensors). Everything runs on the caller's asyncio loop (the
dashboard's qasync loop or ``asyncio.run`` in the CLI); background tasks are kept in a set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any, Final

from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.device import BLEDevice
from bleak.exc import BleakDeviceNotFoundError, BleakError

from zonetrainer.core import backoff
from zonetrainer.core.clock import Clock
from zonetrainer.core.model import HeartRateSample, SourceStatus
from zonetrainer.core.signal import (
    BATTERY_LEVEL_UUID,
    BODY_SENSOR_LOCATION_UUID,
    HR_MEASUREMENT_UUID,
    MalformedMeasurement,
    battery_pct,
    body_location,
    parse,
)
from zonetrainer.core.sources.base import HeartRateSource, SourceError
from zonetrainer.core.sources.ble_battery import read_battery_pct
from zonetrainer.core.sources.ble_link import BleLink
from zonetrainer.core.sources.ble_scan import (
    FoundDevice,
    ProgressCallback,
    find_device,
    scan,
    unavailable_error,
)

__all__ = ["CONNECT_TIMEOUT_S", "SCAN_TIMEOUT_S", "BleSource", "FoundDevice",
           "ProgressCallback", "scan"]

log = logging.getLogger(__name__)

#: How long to look for a strap that is not yet known. Straps advertise every 0.1-1 s while
#: awake, so 10 s (bleak's own default) finds any strap that is worn.
SCAN_TIMEOUT_S: Final = 10.0

#: How long one connect (link, service discovery, subscribing) may take before the strap counts
#: as not answering. A BLE connect plus discovery takes about 1-5 s on BlueZ; 15 s leaves room
#: for a busy adapter without making the user wait long for a clear error.
CONNECT_TIMEOUT_S: Final = 15.0

#: After this many failed reconnects to the device object the stack had, scan for it anew.
RESCAN_AFTER_FAILURES: Final = 3

#: A strap whose battery level cannot notify (BlueZ's Battery1, or a read-only characteristic)
#: is read again this often while connected: the level moves by a percent in hours, and a
#: status that stays at its connect-time value through a long session would mislead.
BATTERY_POLL_S: Final = 300.0


def _forgotten(exc: BaseException) -> bool:
    """Does ``exc`` say the Bluetooth stack no longer knows the device? (bleak raises a plain
    BleakError "device '...' not found" when BlueZ removed the device object.)"""
    return isinstance(exc, BleakDeviceNotFoundError) or (
        isinstance(exc, BleakError) and str(exc).endswith("not found"))


class BleSource(BleLink[HeartRateSample], HeartRateSource):
    """One strap, found by address (or macOS UUID) or by a part of its name."""

    kind_label = "strap"

    def __init__(self, address_or_name: str, clock: Clock, *, device: BLEDevice | None = None,
                 scanner_cls: type[BleakScanner] = BleakScanner,
                 client_cls: type[BleakClient] = BleakClient,
                 connect_timeout_s: float = CONNECT_TIMEOUT_S,
                 scan_timeout_s: float = SCAN_TIMEOUT_S,
                 delay_s: Callable[[int], float] = backoff.delay_s,
                 source_id: str | None = None,
                 on_connected: Callable[[SourceStatus], None] | None = None,
                 battery_poll_s: float = BATTERY_POLL_S, adapter: str | None = None) -> None:
        """``on_connected(status)`` runs after every successful (re)connect, e.g. to remember
        the strap (``status.detail`` is its address) or to show its battery level.
        ``adapter``: the Bluetooth adapter to scan and connect with (BlueZ: "hci1"); None is
        the system's default. An adapter holds only so many LE links (often 7-10), so a large
        group spreads its straps over two."""
        self._init_link(address_or_name, clock, source_id, scanner_cls, client_cls,
                        connect_timeout_s, scan_timeout_s, delay_s)
        self._device = device
        self._on_connected = on_connected
        self.address = device.address if device is not None else ""
        self.battery_pct: int | None = None
        self.battery_poll_s = battery_poll_s
        self._battery_notifies = False
        self.body_location: str | None = None
        self.rssi_dbm: int | None = None
        self.adapter = adapter
        self._cached_failures = 0  # failed reconnects to the device object the stack had

    # --- HeartRateSource ------------------------------------------------------------------
    async def start(self) -> None:
        """Find the strap if needed, connect, read its location and battery, subscribe."""
        self._stopping = False
        device = self._device or await self._find()
        try:
            await self._connect(device)
        except TimeoutError as exc:
            raise SourceError(
                f"The strap {self._label()} did not answer within {self.connect_timeout_s:g} s. "
                "Is it worn (electrodes moist) and not connected to a phone or another app?"
            ) from exc
        except BleakDeviceNotFoundError as exc:
            raise SourceError(f"The strap {self._label()} is no longer known to the Bluetooth "
                              "stack; scan again with 'zonetrainer devices'") from exc
        except (BleakError, OSError) as exc:
            raise unavailable_error(exc) or SourceError(
                f"Could not connect to the strap {self._label()}: {exc}") from exc
        self._event("connected", f"{self._label()}")

    async def stop(self) -> None:
        await self._end_link()

    def status(self) -> SourceStatus:
        return SourceStatus(source_id=self.source_id, link=self._link, name=self.name,
                            battery_pct=self.battery_pct, rssi_dbm=self.rssi_dbm,
                            body_location=self.body_location, detail=self.address)

    # --- connecting -------------------------------------------------------------------------
    async def _find(self, timeout_s: float | None = None) -> BLEDevice:
        timeout_s = self.scan_timeout_s if timeout_s is None else timeout_s
        found = await find_device(self.wanted, timeout_s, scanner_cls=self._scanner_cls,
                                  adapter=self.adapter)
        if found is None:
            raise SourceError(
                f"No heart-rate strap matching '{self.wanted}' found within "
                f"{timeout_s:g} s. Wear it (moist electrodes wake it up) and check "
                "'zonetrainer devices'")
        self._device, self.rssi_dbm = found
        return self._device

    async def _connect(self, device: BLEDevice) -> None:
        """One attempt: connect, read what the strap tells about itself, subscribe."""
        self.address, self.name = device.address, device.name or self.name
        # bleak 3: BlueZ options go in "bluez" (a top-level "adapter" is deprecated)
        extra: dict[str, Any] = {} if self.adapter is None else {"bluez": {"adapter": self.adapter}}
        client = self._client_cls(device, disconnected_callback=self._on_disconnected,
                                  timeout=self.connect_timeout_s, **extra)
        try:
            async with asyncio.timeout(self.connect_timeout_s):
                await client.connect()
                await self._read_details(client)
                await client.start_notify(HR_MEASUREMENT_UUID, self._on_notification)
            if not client.is_connected:  # dropped while subscribing: no callback will come
                raise BleakError("link lost while connecting")
            self._client = client
        except BaseException:
            self._client = None
            await self._disconnect_quietly(client)
            raise
        self._link = "connected"
        if not self._battery_notifies and self.battery_pct is not None:
            self._spawn(self._poll_battery(client))
        log.info("connected to %s (battery %s %%, %s)", self._label(), self.battery_pct,
                 self.body_location)
        if self._on_connected is not None:
            try:
                self._on_connected(self.status())
            except Exception:  # a failing observer must not cost the connection
                log.exception("on_connected callback failed for %s", self._label())

    async def _read_details(self, client: BleakClient) -> None:
        if client.services.get_characteristic(HR_MEASUREMENT_UUID) is None:
            raise SourceError(f"{self._label()} offers no heart-rate measurement (0x2A37): "
                              "is it a heart-rate strap?")
        location = client.services.get_characteristic(BODY_SENSOR_LOCATION_UUID)
        if location is not None:
            with contextlib.suppress(BleakError, OSError):
                self.body_location = body_location(bytes(await client.read_gatt_char(location)))
        self.battery_pct = await read_battery_pct(client)
        self._battery_notifies = False
        battery = client.services.get_characteristic(BATTERY_LEVEL_UUID)
        if battery is not None and "notify" in battery.properties:
            # keeps the status current over a long session; not worth failing a connect for
            with contextlib.suppress(BleakError, OSError):
                await client.start_notify(battery, self._on_battery)
                self._battery_notifies = True

    async def _poll_battery(self, client: BleakClient) -> None:
        """Read the battery level every ``battery_poll_s`` while ``client`` is the live one."""
        while True:
            await asyncio.sleep(self.battery_poll_s)
            if self._stopping or client is not self._client or not client.is_connected:
                return
            pct = await read_battery_pct(client)
            if pct is not None:
                self.battery_pct = pct

    # --- callbacks from bleak, on the loop ---------------------------------------------------
    def _on_notification(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        try:
            sample = parse(bytes(data), self._clock.now_s(), self.source_id)
        except MalformedMeasurement as exc:
            self.malformed += 1
            log.warning("%s sent a malformed measurement (%s): %s", self._label(), exc,
                        bytes(data).hex())
            return
        self._queue.append(sample)

    def _on_battery(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        pct = battery_pct(data)
        if pct is not None:
            self.battery_pct = pct

    def _forget_device(self, exc: BaseException, attempt: int) -> bool:
        """Scan anew once the stack forgot the strap, or after RESCAN_AFTER_FAILURES failures
        in a row with the device object it had (BlueZ drops one after 30 s unseen)."""
        if attempt == 1:
            self._cached_failures = 0
        self._cached_failures = self._cached_failures + 1 if self._device is not None else 0
        if _forgotten(exc) or self._cached_failures >= RESCAN_AFTER_FAILURES:
            self._cached_failures = 0
            return True
        return False
