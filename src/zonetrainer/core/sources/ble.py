"""A Bluetooth LE heart-rate strap (any Heart Rate Service 0x180D device) as a HeartRateSource.

Notifications are parsed with :func:`zonetrainer.core.signal.parse`, stamped with the injected
clock and queued for :meth:`BleSource.drain`. When the link drops the source says "searching",
records an event and reconnects with :func:`zonetrainer.core.backoff.delay_s` for as long as
the session runs. Everything runs on the caller's asyncio loop (the dashboard's qasync loop or
``asyncio.run`` in the CLI); background tasks are kept in a set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, Final

from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.device import BLEDevice
from bleak.exc import BleakDeviceNotFoundError, BleakError

from zonetrainer.core import backoff
from zonetrainer.core.clock import Clock
from zonetrainer.core.model import HeartRateSample, LinkState, SessionEvent, SourceStatus
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

#: How long stop() waits for a polite disconnect before giving up on the strap.
DISCONNECT_TIMEOUT_S: Final = 5.0

#: A reconnect scans in short windows: scans of one event loop take turns (see ble_scan), so
#: with several straps away a short window keeps each returning strap's wait for its turn
#: short (issue 3: back within 5 s), and a strap that advertises is seen well within 2 s.
RECONNECT_SCAN_S: Final = 2.0

#: After this many failed reconnects to the device object the stack had, scan for it anew.
RESCAN_AFTER_FAILURES: Final = 3

#: A strap whose battery level cannot notify (BlueZ's Battery1, or a read-only characteristic)
#: is read again this often while connected: the level moves by a percent in hours, and a
#: status that stays at its connect-time value through a long session would mislead.
BATTERY_POLL_S: Final = 300.0

_RECOVERABLE = (BleakError, OSError, TimeoutError, SourceError)


def _forgotten(exc: BaseException) -> bool:
    """Does ``exc`` say the Bluetooth stack no longer knows the device? (bleak raises a plain
    BleakError "device '...' not found" when BlueZ removed the device object.)"""
    return isinstance(exc, BleakDeviceNotFoundError) or (
        isinstance(exc, BleakError) and str(exc).endswith("not found"))


class BleSource(HeartRateSource):
    """One strap, found by address (or macOS UUID) or by a part of its name."""

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
        if not address_or_name.strip():
            raise SourceError("no strap given: pass its address or a part of its name")
        self.wanted = address_or_name.strip()
        self.source_id = source_id or self.wanted
        self._clock = clock
        self._device = device
        self._scanner_cls, self._client_cls = scanner_cls, client_cls
        self.connect_timeout_s, self.scan_timeout_s = connect_timeout_s, scan_timeout_s
        self._delay_s = delay_s
        self._on_connected = on_connected
        self._client: BleakClient | None = None
        self._queue: deque[HeartRateSample] = deque()
        self._events: list[SessionEvent] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._link: LinkState = "connecting"
        self._stopping = False
        self._dropped_at_s: float | None = None
        self.name = ""
        self.address = device.address if device is not None else ""
        self.battery_pct: int | None = None
        self.battery_poll_s = battery_poll_s
        self._battery_notifies = False
        self.body_location: str | None = None
        self.rssi_dbm: int | None = None
        self.malformed = 0  # notifications rejected by the parser
        self.reconnects = 0
        self.adapter = adapter

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

    def drain(self, now_s: float) -> list[HeartRateSample]:
        out: list[HeartRateSample] = []
        while self._queue and self._queue[0].t_s <= now_s:
            out.append(self._queue.popleft())
        return out

    async def stop(self) -> None:
        self._stopping = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)  # their errors are theirs; a cancel of stop() still passes
        client, self._client = self._client, None
        if client is not None:
            await self._disconnect_quietly(client)
        self._link = "ended"

    def status(self) -> SourceStatus:
        return SourceStatus(source_id=self.source_id, link=self._link, name=self.name,
                            battery_pct=self.battery_pct, rssi_dbm=self.rssi_dbm,
                            body_location=self.body_location, detail=self.address)

    def take_events(self) -> list[SessionEvent]:
        events, self._events = self._events, []
        return events

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

    async def _disconnect_quietly(self, client: BleakClient) -> None:
        # bleak 3.1 keeps the D-Bus connection of a dropped client open until disconnect()
        try:
            async with asyncio.timeout(DISCONNECT_TIMEOUT_S):
                await client.disconnect()
        except Exception as exc:
            log.debug("disconnecting %s: %r", self._label(), exc)

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

    def _on_disconnected(self, client: BleakClient) -> None:
        if self._stopping or client is not self._client:
            return  # our own disconnect, or a client that never became the live one
        self._link = "searching"
        self._dropped_at_s = self._clock.now_s()
        self._event("disconnected", f"{self._label()}: link lost")
        self._spawn(self._reconnect(client))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` on the loop until it ends or :meth:`stop` cancels it."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reconnect(self, old: BleakClient) -> None:
        self._client = None
        await self._disconnect_quietly(old)
        attempt = cached_failures = 0
        while not self._stopping:
            await asyncio.sleep(self._delay_s(attempt))
            attempt += 1
            try:
                device = self._device or await self._find(min(self.scan_timeout_s,
                                                                RECONNECT_SCAN_S))
                await self._connect(device)
            except _RECOVERABLE as exc:
                log.info("reconnect %d to %s failed: %s", attempt, self._label(), exc or
                         type(exc).__name__)
                cached_failures = cached_failures + 1 if self._device is not None else 0
                if _forgotten(exc) or cached_failures >= RESCAN_AFTER_FAILURES:
                    # the stack may have dropped the device (BlueZ does after 30 s unseen):
                    # the next attempt scans for it, which also waits for it to advertise
                    self._device, cached_failures = None, 0
                continue
            self.reconnects += 1
            gap_s = self._clock.now_s() - (self._dropped_at_s or self._clock.now_s())
            self._event("reconnected", f"{self._label()}: back after {gap_s:.1f} s, "
                                       f"attempt {attempt}")
            return

    # --- helpers ---------------------------------------------------------------------------
    def _event(self, kind: str, detail: str) -> None:
        self._events.append(SessionEvent(self._clock.now_s(), kind, detail))

    def _label(self) -> str:
        if self.name and self.address:
            return f"{self.name} ({self.address})"
        return self.name or self.address or f"'{self.wanted}'"

