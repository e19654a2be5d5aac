"""What every Bluetooth LE effort source shares (an FTMS machine, a power meter, a footpod):
find it by address or name and service, connect, set up (the subclass's :meth:`_setup`),
record link events, and reconnect after a drop with :func:`zonetrainer.core.backoff.delay_s`
for as long as the session runs, like the strap (:mod:`zonetrainer.core.sources.ble`).

Event kinds are prefixed ``machine_`` (or the subclass's ``event_prefix``) so a machine's
drop is never mistaken for the strap's. Background tasks are kept in a set on the caller's
loop and cancelled by :meth:`stop`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, Final

from bleak import BleakClient, BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import BleakDeviceNotFoundError, BleakError

from zonetrainer.core import backoff
from zonetrainer.core.clock import Clock
from zonetrainer.core.model import EffortSample, LinkState, SessionEvent, SourceStatus
from zonetrainer.core.sources.base import EffortSource, SourceError
from zonetrainer.core.sources.ble_scan import is_address, scan_lock, unavailable_error

log = logging.getLogger(__name__)

#: The strap's figures (sources/ble.py) hold for a machine's BLE link too.
SCAN_TIMEOUT_S: Final = 10.0
CONNECT_TIMEOUT_S: Final = 15.0
DISCONNECT_TIMEOUT_S: Final = 5.0
RECONNECT_SCAN_S: Final = 2.0

_RECOVERABLE = (BleakError, OSError, TimeoutError, SourceError)


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


class BleEffortLink(EffortSource):
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
        if not address_or_name.strip():
            raise SourceError(f"no {self.kind_label} given: pass its address or a part of its "
                              "name")
        self.wanted = address_or_name.strip()
        self.source_id = source_id or self.wanted
        self._clock = clock
        self._scanner_cls, self._client_cls = scanner_cls, client_cls
        self.connect_timeout_s, self.scan_timeout_s = connect_timeout_s, scan_timeout_s
        self._delay_s = delay_s
        self._device: BLEDevice | None = None
        self._client: BleakClient | None = None
        self._queue: deque[EffortSample] = deque()
        self._events: list[SessionEvent] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._link: LinkState = "connecting"
        self._stopping = False
        self._dropped_at_s: float | None = None
        self.name = ""
        self.address = ""
        self.detail = ""  # what the status line should add ("cues only: control refused")
        self.malformed = 0
        self.reconnects = 0

    # --- to be filled in ------------------------------------------------------------------
    async def _setup(self, client: BleakClient) -> None:
        """Check the services, read what is needed, subscribe. Raise SourceError if unfit."""
        raise NotImplementedError

    async def _before_disconnect(self, client: BleakClient) -> None:
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

    def drain(self, now_s: float) -> list[EffortSample]:
        out: list[EffortSample] = []
        while self._queue and self._queue[0].t_s <= now_s:
            out.append(self._queue.popleft())
        return out

    async def stop(self) -> None:
        if self._stopping and self._client is None:
            return
        self._stopping = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
        client, self._client = self._client, None
        if client is not None:
            if client.is_connected:
                try:
                    await self._before_disconnect(client)
                except Exception as exc:  # the session is over: a failed last word is logged
                    log.info("%s: last command before disconnecting failed: %r",
                             self._label(), exc)
            await self._disconnect_quietly(client)
        self._link = "ended"

    def status(self) -> SourceStatus:
        return SourceStatus(source_id=self.source_id, link=self._link, name=self.name,
                            detail=self.detail or self.address)

    def take_events(self) -> list[SessionEvent]:
        events, self._events = self._events, []
        return events

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

    async def _disconnect_quietly(self, client: BleakClient) -> None:
        try:
            async with asyncio.timeout(DISCONNECT_TIMEOUT_S):
                await client.disconnect()
        except Exception as exc:
            log.debug("disconnecting %s: %r", self._label(), exc)

    def _on_disconnected(self, client: BleakClient) -> None:
        if self._stopping or client is not self._client:
            return
        self._link = "searching"
        self._dropped_at_s = self._clock.now_s()
        self._link_lost()
        self._event("disconnected", f"{self._label()}: link lost")
        self._spawn(self._reconnect(client))

    def _link_lost(self) -> None:
        """The link dropped: forget what only held while connected (control)."""

    async def _reconnect(self, old: BleakClient) -> None:
        self._client = None
        await self._disconnect_quietly(old)
        attempt = 0
        while not self._stopping:
            await asyncio.sleep(self._delay_s(attempt))
            attempt += 1
            try:
                await self._connect(await self._find(min(self.scan_timeout_s,
                                                          RECONNECT_SCAN_S)))
            except _RECOVERABLE as exc:
                log.info("reconnect %d to %s failed: %s", attempt, self._label(),
                         exc or type(exc).__name__)
                if attempt % 3 == 0:
                    self._device = None  # the stack may have forgotten it: scan anew
                continue
            self.reconnects += 1
            gap_s = self._clock.now_s() - (self._dropped_at_s or self._clock.now_s())
            self._event("reconnected", f"{self._label()}: back after {gap_s:.1f} s, "
                                       f"attempt {attempt}")
            return

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- helpers ---------------------------------------------------------------------------
    def _event(self, kind: str, detail: str) -> None:
        self._events.append(SessionEvent(self._clock.now_s(), f"{self.event_prefix}_{kind}",
                                         detail))

    def _label(self) -> str:
        if self.name and self.address:
            return f"{self.name} ({self.address})"
        return self.name or self.address or f"'{self.wanted}'"
