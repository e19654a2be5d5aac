"""A fake BlueZ (``org.bluez``) on a private D-Bus, enough for real bleak to scan, connect, read,
subscribe, lose the link and reconnect to heart-rate straps.

The fake runs on its own asyncio loop in a background thread, so a test drives bleak on its own
loop (``asyncio.run``, qasync) and steers the straps with plain calls (``strap.drop()``,
``strap.come_back()``, ``strap.notify(b"...")``) that are safe from any thread. Waiting for
the fake from inside an event loop: ``await until(lambda: strap.notifying, 5)``.
Fixtures: ``tests/support/bluez_fixtures.py``. What bleak needs: DESIGN.md, "Testing BLE
without hardware".
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from dbus_fast import DBusError, Message
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface

from tests.support.fakebluez_objects import (
    ADAPTER_PATH,
    BATTERY_LEVEL,
    BATTERY_SERVICE,
    BODY_LOCATION,
    HR_MEASUREMENT,
    HR_SERVICE,
    Adapter1,
    Battery1,
    Device1,
    GattCharacteristic1,
    GattService1,
)

T = TypeVar("T")
#: What Connect does while the strap is in range: connect ("ok"), fail at once ("fail"), or
#: never answer until Disconnect cancels it ("hang"; a strap that never answers).
ConnectMode = Literal["ok", "fail", "hang"]
#: What Connect does while the strap is out of range: real BlueZ waits for it to advertise
#: ("hang", and it completes when the strap comes back) or reports a failure ("fail").
AbsentMode = Literal["fail", "hang"]
DEVICE_INFO_SERVICE = "0000180a-0000-1000-8000-00805f9b34fb"
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""


class FakeStrap:
    """One heart-rate strap. Attributes are read-only views for the test; methods steer it."""

    def __init__(self, bluez: FakeBluez, address: str, name: str, *, rssi_dbm: int,
                 body_location: int | None, battery_pct: int | None,
                 battery_via: Literal["gatt", "bluez"], connect_mode: ConnectMode,
                 absent_mode: AbsentMode, hr_service: bool,
                 adapter_path: str = ADAPTER_PATH) -> None:
        self._bluez = bluez
        self.adapter_path = adapter_path
        self.address, self.name, self.rssi_dbm = address, name, rssi_dbm
        self.body_location, self.battery_pct, self.battery_via = (
            body_location, battery_pct, battery_via)
        self.connect_mode: ConnectMode = connect_mode
        self.absent_mode: AbsentMode = absent_mode
        self.hr_service = hr_service
        self.path = f"{adapter_path}/dev_{address.replace(':', '_')}"
        self.uuids = [HR_SERVICE] if hr_service else [DEVICE_INFO_SERVICE]
        if battery_pct is not None and battery_via == "gatt":
            self.uuids.append(BATTERY_SERVICE)
        self.present = True
        self.known = True  # BlueZ has a device object for it
        self.device = Device1(self)
        self.delivered: list[bytes] = []  # every notification that reached the bus
        self.lost: list[bytes] = []  # streamed while the link was down: never delivered
        self.connects = 0
        self.connect_calls = 0
        self.linking = False  # between Connect and the link being up
        self.disconnect_calls = 0
        self._gatt: list[tuple[str, ServiceInterface]] = []
        self._hrm: GattCharacteristic1 | None = None
        self._battery: GattCharacteristic1 | None = None
        self._battery1: Battery1 | None = None
        self._pending: asyncio.Future[None] | None = None
        self._stream: asyncio.Task[None] | None = None

    # --- views for the test --------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return bool(self.device.props["Connected"])

    @property
    def notifying(self) -> bool:
        return self._hrm is not None and bool(self._hrm.props["Notifying"])

    @property
    def streaming(self) -> bool:
        return self._stream is not None and not self._stream.done()

    # --- steering, safe from any thread ----------------------------------------------------
    def notify(self, data: bytes) -> bool:
        """Send one measurement; True if it reached the bus (connected and subscribed)."""
        return self._bluez.call(self._notify, data)

    def stream(self, payloads: Sequence[bytes], every_s: float) -> None:
        """Send ``payloads`` one every ``every_s`` seconds, in the background. Those sent while
        the link is down are lost, as with a real strap out of range."""
        self._bluez.call(self._start_stream, list(payloads), every_s)

    def drop(self) -> None:
        """The strap goes out of range: the link drops and Connect no longer reaches it."""
        self._bluez.call(self._drop)

    def come_back(self) -> None:
        """The strap is in range again; a Connect waiting for it completes. A forgotten strap
        gets a device object again only once someone scans (as with BlueZ)."""
        self._bluez.call(self._come_back)

    def forget(self) -> None:
        """BlueZ drops the device object of an unbonded device unseen for a while (its
        TemporaryTimeout, 30 s by default): the strap goes out of range and is forgotten."""
        self._bluez.call(self._forget)

    def set_battery(self, pct: int) -> None:
        """The battery level changes; a subscribed client is notified (GATT battery), BlueZ's
        Battery1 shows the new percentage."""
        async def update() -> None:
            self.battery_pct = pct
            if self._battery is not None:
                self._battery.update(Value=bytes([pct]))
            if self._battery1 is not None:
                self._battery1.update(Percentage=pct)
        self._bluez.call(update)

    # --- on the fake's loop ------------------------------------------------------------------
    async def _notify(self, data: bytes) -> bool:
        if self.connected and self._hrm is not None and self._hrm.props["Notifying"]:
            self._hrm.update(Value=bytes(data))
            self.delivered.append(bytes(data))
            return True
        return False

    async def _start_stream(self, payloads: list[bytes], every_s: float) -> None:
        async def run() -> None:
            for data in payloads:
                if not await self._notify(data):
                    self.lost.append(data)
                await asyncio.sleep(every_s)
        self._stream = asyncio.get_running_loop().create_task(run())

    async def _drop(self) -> None:
        self.present = False
        if self.connected:
            self._link_down()

    def seen_while_discovering(self) -> None:
        """Called by the adapter during discovery: a strap in range is known (again)."""
        if self.present and not self.known:
            self.known = True
            self._bluez.bus.export(self.path, self.device)
        if self.present:
            self.device.update(RSSI=self.rssi_dbm + int(self.device.props["RSSI"] == self.rssi_dbm))

    async def _forget(self) -> None:
        await self._drop()
        if self.known:
            self.known = False
            self._bluez.bus.unexport(self.path, self.device)

    async def _come_back(self) -> None:
        self.present = True
        if self._pending is not None and not self._pending.done() and self.connect_mode == "ok":
            self._pending.set_result(None)

    async def handle_connect(self) -> None:
        self.connect_calls += 1
        if self.connected:
            return
        limit = self._bluez.max_connections
        if limit is not None and sum(s.connected or s.linking for s in self._bluez.straps
                                     if s.adapter_path == self.adapter_path) >= limit:
            # the controller holds its most LE links: HCI error 0x09, "Connection Limit
            # Exceeded"; the text a real bluetoothd passes on varies with its version (not
            # "le-connection-abort-by-local", which bleak retries)
            self._bluez.refused.append(self.address)
            raise DBusError("org.bluez.Error.Failed", "Connection Limit Exceeded (0x09)")
        mode = self.connect_mode if self.present else self.absent_mode
        if mode == "fail":
            raise DBusError("org.bluez.Error.Failed", "Software caused connection abort")
        if mode == "hang" or not self.present:
            self._pending = asyncio.get_running_loop().create_future()
            try:
                await self._pending
            finally:
                self._pending = None
        self.linking = True
        try:
            await asyncio.sleep(0.02)  # link setup and service discovery take a moment
            self._link_up()
        finally:
            self.linking = False

    async def handle_disconnect(self) -> None:
        self.disconnect_calls += 1
        if self._pending is not None and not self._pending.done():
            self._pending.set_exception(
                DBusError("org.bluez.Error.Failed", "Operation aborted by Disconnect"))
        if self.connected:
            self._link_down()

    def _link_up(self) -> None:
        bus = self._bluez.bus
        self.connects += 1
        self.device.update(Connected=True)
        svc = f"{self.path}/service000c"
        objects: list[tuple[str, ServiceInterface]] = []
        if self.hr_service:
            self._hrm = GattCharacteristic1(HR_MEASUREMENT, svc, ["notify"], b"")
            objects += [(svc, GattService1(HR_SERVICE, self.path)), (f"{svc}/char000d", self._hrm)]
            if self.body_location is not None:
                objects.append((f"{svc}/char0010", GattCharacteristic1(
                    BODY_LOCATION, svc, ["read"], bytes([self.body_location]))))
        if self.battery_pct is not None and self.battery_via == "gatt":
            bsvc = f"{self.path}/service0012"
            self._battery = GattCharacteristic1(BATTERY_LEVEL, bsvc, ["read", "notify"],
                                                bytes([self.battery_pct]))
            objects += [(bsvc, GattService1(BATTERY_SERVICE, self.path)),
                        (f"{bsvc}/char0013", self._battery)]
        if self.battery_pct is not None and self.battery_via == "bluez":
            self._battery1 = Battery1(self.battery_pct)
            objects.append((self.path, self._battery1))
        for path, iface in objects:
            bus.export(path, iface)
        self._gatt = objects
        self.device.update(ServicesResolved=True)

    def _link_down(self) -> None:
        self.device.update(ServicesResolved=False)
        for path, iface in reversed(self._gatt):
            self._bluez.bus.unexport(path, iface)
        self._gatt, self._hrm, self._battery, self._battery1 = [], None, None, None
        self.device.update(Connected=False)


class FakeBluez:
    """``org.bluez`` with one adapter (or none), served on ``bus_address`` from a thread."""

    def __init__(self, bus_address: str, *, adapter: bool = True) -> None:
        self.bus_address = bus_address
        self.straps: list[FakeStrap] = []
        #: Each adapter's limit of simultaneous LE links (real ones: often 7-10); None: none.
        self.max_connections: int | None = None
        self.refused: list[str] = []  # addresses whose Connect the limit refused
        self.adapters: dict[str, Adapter1] = {}
        self._with_adapter = adapter
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-bluez",
                                        daemon=True)
        self.bus: MessageBus
        self.adapter: Adapter1 | None = None

    def start(self) -> FakeBluez:
        self._thread.start()
        self.call(self._setup)
        return self

    def call(self, fn: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
        """Run ``fn(*args)`` on the fake's loop and wait for its result (any thread)."""
        return asyncio.run_coroutine_threadsafe(fn(*args), self._loop).result(timeout=10)

    async def _setup(self) -> None:
        self.bus = await MessageBus(bus_address=self.bus_address).connect()
        if self._with_adapter:
            self.adapter = Adapter1(lambda: [s for s in self.straps
                                             if s.adapter_path == ADAPTER_PATH])
            self.adapters["hci0"] = self.adapter
            self.bus.export(ADAPTER_PATH, self.adapter)
        # request the name only once the objects exist, as bluetoothd does
        await self.bus.request_name("org.bluez")

    def add_strap(self, address: str = "C0:FF:EE:00:11:22", name: str = "Polar H10 0A1B2C3D",
                  *, rssi_dbm: int = -58, body_location: int | None = 1,
                  battery_pct: int | None = 87, battery_via: Literal["gatt", "bluez"] = "gatt",
                  connect_mode: ConnectMode = "ok", absent_mode: AbsentMode = "hang",
                  hr_service: bool = True, adapter: str = "hci0") -> FakeStrap:
        """A strap in range, advertising (the Heart Rate Service unless ``hr_service=False``),
        seen by ``adapter`` only (hci0, or one made with :meth:`add_adapter`)."""
        strap = FakeStrap(self, address, name, rssi_dbm=rssi_dbm, body_location=body_location,
                          battery_pct=battery_pct, battery_via=battery_via,
                          connect_mode=connect_mode, absent_mode=absent_mode,
                          hr_service=hr_service, adapter_path=f"/org/bluez/{adapter}")

        async def export() -> None:
            self.bus.export(strap.path, strap.device)
            self.straps.append(strap)
        self.call(export)
        return strap

    def add_adapter(self, name: str = "hci1") -> Adapter1:
        """A second adapter (a USB dongle for a large group); it sees only its own straps."""
        path = f"/org/bluez/{name}"
        adapter = Adapter1(lambda: [s for s in self.straps if s.adapter_path == path])
        adapter.props.update(Address=f"00:1A:7D:DA:71:{len(self.adapters) + 0x20:02X}",
                             Alias=f"fake-{name}")

        async def export() -> None:
            self.bus.export(path, adapter)
        self.call(export)
        self.adapters[name] = adapter
        return adapter

    def add_straps(self, count: int, first: int = 1, **options: Any) -> list[FakeStrap]:
        """``count`` straps for a group (C0:FF:EE:00:10:01, ...; "Polar H10 GRP001", ...,
        numbered from ``first``), each with its own battery level so a mix-up shows."""
        return [self.add_strap(f"C0:FF:EE:00:10:{k:02X}", f"Polar H10 GRP{k:03d}",
                               battery_pct=91 - k, **options)
                for k in range(first, first + count)]

    def client_connections(self) -> int:
        """D-Bus connections on the bus other than the fake's own: bleak opens one for its
        manager and one per connected client, so a leak shows up as a growing count."""
        async def count() -> int:
            reply = await self.bus.call(Message(
                destination="org.freedesktop.DBus", path="/org/freedesktop/DBus",
                interface="org.freedesktop.DBus", member="ListNames"))
            assert reply is not None
            names = [n for n in reply.body[0] if n.startswith(":")]
            return len([n for n in names if n != self.bus.unique_name])
        return self.call(count)

    def stop(self) -> None:
        async def teardown() -> None:
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
            self.bus.disconnect()
        if self._thread.is_alive():
            self.call(teardown)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        self._loop.close()


@dataclass
class DbusDaemon:
    """A private ``dbus-daemon`` acting as the system bus, with a ``bluetoothctl`` stub."""

    process: subprocess.Popen[str]
    address: str
    directory: Path
    bin_dir: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def start_dbus_daemon() -> DbusDaemon:
    """Start a private bus; raise FileNotFoundError when ``dbus-daemon`` is not installed."""
    binary = shutil.which("dbus-daemon")
    if binary is None:
        raise FileNotFoundError("dbus-daemon")
    # a short directory: unix socket paths are limited to about 100 bytes
    directory = Path(tempfile.mkdtemp(prefix="zt-bus-"))
    config = directory / "bus.conf"
    config.write_text(_BUS_CONFIG.format(socket=directory / "system_bus_socket"))
    bin_dir = directory / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "bluetoothctl"
    # bleak asks bluetoothctl for the BlueZ version and warns without it; 5.66 is >= 5.55
    stub.write_text("#!/bin/sh\necho 'bluetoothctl: 5.66'\n")
    stub.chmod(0o755)
    # as an unprivileged bus it cannot raise its fd limit; it says so on stderr: keep that quiet
    process = subprocess.Popen([binary, f"--config-file={config}", "--nofork",
                                "--print-address=1"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    address = process.stdout.readline().strip()  # printed once the daemon listens
    if not address:
        process.kill()
        process.wait()
        shutil.rmtree(directory, ignore_errors=True)
        raise RuntimeError("dbus-daemon did not start")
    return DbusDaemon(process, address, directory, bin_dir)


async def until(predicate: Callable[[], bool], timeout_s: float, what: str = "") -> None:
    """Wait on the caller's loop until ``predicate()`` holds; AssertionError after the timeout."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what or predicate}")
        await asyncio.sleep(0.01)


def environment_for(daemon: DbusDaemon) -> dict[str, str]:
    """Environment variables that point bleak (in this or a child process) at the fake."""
    return {"DBUS_SYSTEM_BUS_ADDRESS": daemon.address,
            "PATH": f"{daemon.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
