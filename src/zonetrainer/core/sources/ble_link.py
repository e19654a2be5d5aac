"""The link bookkeeping a Bluetooth LE strap (:mod:`~zonetrainer.core.sources.ble`) and an
effort device (:mod:`~zonetrainer.core.sources.ble_effort`) share: what is wanted, the queue of
readings, link events, background tasks kept in a set, the polite disconnect, and the
reconnect after a drop with :func:`zonetrainer.core.backoff.delay_s` for as long as the
session runs.

The owner says how to find and connect (:meth:`BleLink._find`, :meth:`BleLink._connect`),
what an event kind is called (``event_prefix``) and when a reconnect should scan anew
(:meth:`BleLink._forget_device`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, Final, Generic, TypeVar

from bleak import BleakClient, BleakScanner
from bleak.backends.device import BLEDevice
from bleak.exc import BleakError

from zonetrainer.core.clock import Clock
from zonetrainer.core.model import EffortSample, HeartRateSample, LinkState, SessionEvent
from zonetrainer.core.sources.base import SourceError

log = logging.getLogger(__name__)

#: How long stop() waits for a polite disconnect before giving up on the device.
DISCONNECT_TIMEOUT_S: Final = 5.0

#: A reconnect scans in short windows: scans of one event loop take turns (see ble_scan), so
#: with several devices away a short window keeps each returning one's wait for its turn
#: short (issue 3: back within 5 s), and a device that advertises is seen well within 2 s.
RECONNECT_SCAN_S: Final = 2.0

RECOVERABLE: Final = (BleakError, OSError, TimeoutError, SourceError)

SampleT = TypeVar("SampleT", HeartRateSample, EffortSample)


class BleLink(Generic[SampleT]):
    """Mixed in before the source's ABC; :meth:`_init_link` in the owner's ``__init__``."""

    #: What the device is called in messages ("strap", "fitness machine").
    kind_label = "device"
    #: Event kinds are ``{event_prefix}_{kind}``, or the bare kind without a prefix.
    event_prefix = ""

    def _init_link(self, address_or_name: str, clock: Clock, source_id: str | None,
                   scanner_cls: type[BleakScanner], client_cls: type[BleakClient],
                   connect_timeout_s: float, scan_timeout_s: float,
                   delay_s: Callable[[int], float]) -> None:
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
        self._queue: deque[SampleT] = deque()
        self._events: list[SessionEvent] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._link: LinkState = "connecting"
        self._stopping = False
        self._dropped_at_s: float | None = None
        self.name = ""
        self.address = ""
        self.malformed = 0  # notifications rejected by the parser
        self.reconnects = 0

    # --- what the owner says ---------------------------------------------------------------
    async def _find(self, timeout_s: float) -> BLEDevice:
        raise NotImplementedError

    async def _connect(self, device: BLEDevice) -> None:
        raise NotImplementedError

    def _link_lost(self) -> None:
        """The link dropped: forget what only held while connected (a machine's control)."""

    async def _last_word(self, client: BleakClient) -> None:
        """Said to a connected device before :meth:`_end_link` disconnects (a machine: pause)."""

    def _forget_device(self, exc: BaseException, attempt: int) -> bool:
        """After failed reconnect ``attempt`` (from 1): scan anew rather than retry the device
        object the stack had? Every third attempt by default."""
        return attempt % 3 == 0

    # --- shared ----------------------------------------------------------------------------
    def drain(self, now_s: float) -> list[SampleT]:
        out: list[SampleT] = []
        while self._queue and self._queue[0].t_s <= now_s:
            out.append(self._queue.popleft())
        return out

    def take_events(self) -> list[SessionEvent]:
        events, self._events = self._events, []
        return events

    async def _end_link(self) -> None:
        """Cancel the background tasks, say the last word, disconnect: the link has ended."""
        self._stopping = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)  # their errors are theirs; a cancel of stop() still passes
        client, self._client = self._client, None
        if client is not None:
            if client.is_connected:
                try:
                    await self._last_word(client)
                except Exception as exc:  # the session is over: a failed last word is logged
                    log.info("%s: last command before disconnecting failed: %r",
                             self._label(), exc)
            await self._disconnect_quietly(client)
        self._link = "ended"

    async def _disconnect_quietly(self, client: BleakClient) -> None:
        # bleak 3.1 keeps the D-Bus connection of a dropped client open until disconnect()
        try:
            async with asyncio.timeout(DISCONNECT_TIMEOUT_S):
                await client.disconnect()
        except Exception as exc:
            log.debug("disconnecting %s: %r", self._label(), exc)

    def _on_disconnected(self, client: BleakClient) -> None:
        if self._stopping or client is not self._client:
            return  # our own disconnect, or a client that never became the live one
        self._link = "searching"
        self._dropped_at_s = self._clock.now_s()
        self._link_lost()
        self._event("disconnected", f"{self._label()}: link lost")
        self._spawn(self._reconnect(client))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` on the loop until it ends or :meth:`_end_link` cancels it."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reconnect(self, old: BleakClient) -> None:
        self._client = None
        await self._disconnect_quietly(old)
        attempt = 0
        while not self._stopping:
            await asyncio.sleep(self._delay_s(attempt))
            attempt += 1
            try:
                device = self._device or await self._find(min(self.scan_timeout_s,
                                                                RECONNECT_SCAN_S))
                await self._connect(device)
            except RECOVERABLE as exc:
                log.info("reconnect %d to %s failed: %s", attempt, self._label(),
                         exc or type(exc).__name__)
                if self._forget_device(exc, attempt):
                    self._device = None  # the stack may have forgotten it: scan anew
                continue
            self.reconnects += 1
            gap_s = self._clock.now_s() - (self._dropped_at_s or self._clock.now_s())
            self._event("reconnected", f"{self._label()}: back after {gap_s:.1f} s, "
                                       f"attempt {attempt}")
            return

    def _event(self, kind: str, detail: str) -> None:
        name = f"{self.event_prefix}_{kind}" if self.event_prefix else kind
        self._events.append(SessionEvent(self._clock.now_s(), name, detail))

    def _label(self) -> str:
        if self.name and self.address:
            return f"{self.name} ({self.address})"
        return self.name or self.address or f"'{self.wanted}'"
