"""The D-Bus objects of the fake BlueZ: adapter, devices, GATT services and characteristics.

No ``from __future__ import annotations`` here: dbus-fast reads the D-Bus signatures from the
annotations at class creation. The straps' behaviour lives in ``fakebluez.py``.
"""

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any

from dbus_fast import DBusError, Variant
from dbus_fast.annotations import (
    DBusBool,
    DBusByte,
    DBusBytes,
    DBusDict,
    DBusInt16,
    DBusObjectPath,
    DBusSignature,
    DBusStr,
    DBusUInt16,
)
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property

DBusStrList = Annotated[list[str], DBusSignature("as")]
DBusManufacturerData = Annotated[dict[int, Variant], DBusSignature("a{qv}")]

HR_SERVICE = "0000180d-0000-1000-8000-00805f9b34fb"
HR_MEASUREMENT = "00002a37-0000-1000-8000-00805f9b34fb"
BODY_LOCATION = "00002a38-0000-1000-8000-00805f9b34fb"
BATTERY_SERVICE = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL = "00002a19-0000-1000-8000-00805f9b34fb"
ADAPTER_PATH = "/org/bluez/hci0"

if TYPE_CHECKING:
    from tests.support.fakebluez import FakeStrap


class _Props(ServiceInterface):
    """An interface whose properties live in a dict; ``update`` emits PropertiesChanged."""

    def __init__(self, name: str, props: dict[str, Any]) -> None:
        super().__init__(name)
        self.props = props

    def update(self, **changes: Any) -> None:
        self.props.update(changes)
        self.emit_properties_changed(changes)


class Adapter1(_Props):
    def __init__(self, straps: Callable[[], Iterable["FakeStrap"]]) -> None:
        super().__init__("org.bluez.Adapter1", {
            "Address": "00:1A:7D:DA:71:13", "Alias": "fake-hci0", "Powered": True,
            "Discovering": False, "Roles": ["central", "peripheral"]})
        self._straps = straps
        self.filters: list[dict[str, Variant]] = []
        self._wobble: asyncio.Task[None] | None = None

    @dbus_property(PropertyAccess.READ)
    def Address(self) -> DBusStr: return self.props["Address"]
    @dbus_property(PropertyAccess.READ)
    def Alias(self) -> DBusStr: return self.props["Alias"]
    @dbus_property(PropertyAccess.READ)
    def Powered(self) -> DBusBool: return self.props["Powered"]
    @dbus_property(PropertyAccess.READ)
    def Discovering(self) -> DBusBool: return self.props["Discovering"]
    @dbus_property(PropertyAccess.READ)
    def Roles(self) -> DBusStrList: return self.props["Roles"]

    @dbus_method()
    def SetDiscoveryFilter(self, filters: DBusDict) -> None:
        self.filters.append(dict(filters))

    @dbus_method()
    def StartDiscovery(self) -> None:
        if self._wobble is None:
            self._wobble = asyncio.get_running_loop().create_task(self._wobble_rssi())
            self.update(Discovering=True)

    @dbus_method()
    async def StopDiscovery(self) -> None:
        if self._wobble is not None:
            self._wobble.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._wobble
            self._wobble = None
            self.update(Discovering=False)

    async def _wobble_rssi(self) -> None:
        # bleak reports only devices whose properties change while discovery runs
        while True:
            for strap in self._straps():
                strap.seen_while_discovering()
            await asyncio.sleep(0.1)


class Device1(_Props):
    def __init__(self, strap: "FakeStrap") -> None:
        super().__init__("org.bluez.Device1", {
            "Address": strap.address, "AddressType": "random", "Name": strap.name,
            "Alias": strap.name, "Adapter": strap.adapter_path, "Connected": False,
            "ServicesResolved": False, "Paired": False, "Trusted": False, "Bonded": False,
            "Blocked": False, "LegacyPairing": False, "RSSI": strap.rssi_dbm,
            "UUIDs": list(strap.uuids)})
        self._strap = strap

    @dbus_property(PropertyAccess.READ)
    def Address(self) -> DBusStr: return self.props["Address"]
    @dbus_property(PropertyAccess.READ)
    def AddressType(self) -> DBusStr: return self.props["AddressType"]
    @dbus_property(PropertyAccess.READ)
    def Name(self) -> DBusStr: return self.props["Name"]
    @dbus_property(PropertyAccess.READ)
    def Alias(self) -> DBusStr: return self.props["Alias"]
    @dbus_property(PropertyAccess.READ)
    def Adapter(self) -> DBusObjectPath: return self.props["Adapter"]
    @dbus_property(PropertyAccess.READ)
    def Connected(self) -> DBusBool: return self.props["Connected"]
    @dbus_property(PropertyAccess.READ)
    def ServicesResolved(self) -> DBusBool: return self.props["ServicesResolved"]
    @dbus_property(PropertyAccess.READ)
    def Paired(self) -> DBusBool: return self.props["Paired"]
    @dbus_property(PropertyAccess.READ)
    def Trusted(self) -> DBusBool: return self.props["Trusted"]
    @dbus_property(PropertyAccess.READ)
    def Bonded(self) -> DBusBool: return self.props["Bonded"]
    @dbus_property(PropertyAccess.READ)
    def Blocked(self) -> DBusBool: return self.props["Blocked"]
    @dbus_property(PropertyAccess.READ)
    def LegacyPairing(self) -> DBusBool: return self.props["LegacyPairing"]
    @dbus_property(PropertyAccess.READ)
    def RSSI(self) -> DBusInt16: return self.props["RSSI"]
    @dbus_property(PropertyAccess.READ)
    def UUIDs(self) -> DBusStrList: return self.props["UUIDs"]
    @dbus_property(PropertyAccess.READ)
    def ManufacturerData(self) -> DBusManufacturerData: return {}

    @dbus_method()
    async def Connect(self) -> None:
        await self._strap.handle_connect()

    @dbus_method()
    async def Disconnect(self) -> None:
        await self._strap.handle_disconnect()


class Battery1(_Props):
    """What BlueZ 5.48+ offers instead of the GATT Battery Service it hides."""

    def __init__(self, pct: int) -> None:
        super().__init__("org.bluez.Battery1", {"Percentage": pct})

    @dbus_property(PropertyAccess.READ)
    def Percentage(self) -> DBusByte: return self.props["Percentage"]


class GattService1(_Props):
    def __init__(self, uuid: str, device_path: str) -> None:
        super().__init__("org.bluez.GattService1",
                         {"UUID": uuid, "Device": device_path, "Primary": True})

    @dbus_property(PropertyAccess.READ)
    def UUID(self) -> DBusStr: return self.props["UUID"]
    @dbus_property(PropertyAccess.READ)
    def Device(self) -> DBusObjectPath: return self.props["Device"]
    @dbus_property(PropertyAccess.READ)
    def Primary(self) -> DBusBool: return self.props["Primary"]


class GattCharacteristic1(_Props):
    def __init__(self, uuid: str, service_path: str, flags: list[str], value: bytes) -> None:
        super().__init__("org.bluez.GattCharacteristic1", {
            "UUID": uuid, "Service": service_path, "Flags": flags, "Value": value,
            "Notifying": False, "MTU": 23})

    @dbus_property(PropertyAccess.READ)
    def UUID(self) -> DBusStr: return self.props["UUID"]
    @dbus_property(PropertyAccess.READ)
    def Service(self) -> DBusObjectPath: return self.props["Service"]
    @dbus_property(PropertyAccess.READ)
    def Flags(self) -> DBusStrList: return self.props["Flags"]
    @dbus_property(PropertyAccess.READ)
    def Value(self) -> DBusBytes: return self.props["Value"]
    @dbus_property(PropertyAccess.READ)
    def Notifying(self) -> DBusBool: return self.props["Notifying"]
    @dbus_property(PropertyAccess.READ)
    def MTU(self) -> DBusUInt16: return self.props["MTU"]

    @dbus_method()
    def ReadValue(self, options: DBusDict) -> DBusBytes:
        if "read" not in self.props["Flags"]:
            raise DBusError("org.bluez.Error.NotPermitted", "Read not permitted")
        return self.props["Value"]

    @dbus_method()
    def StartNotify(self) -> None:
        if not self.props["Notifying"]:
            self.update(Notifying=True)

    @dbus_method()
    def StopNotify(self) -> None:
        if self.props["Notifying"]:
            self.update(Notifying=False)
