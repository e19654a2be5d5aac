"""Battery level of a connected strap: GATT Battery Level (0x2A19), or BlueZ's Battery1.

BlueZ 5.48+ claims the Battery Service (0x180F) for itself, hides it from GATT clients and
offers ``org.bluez.Battery1.Percentage`` on the device object instead; bleak does not expose
that, so it is read here over the system bus with dbus-fast (bleak's own D-Bus library).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from bleak import BleakClient
from bleak.exc import BleakError

from zonetrainer.core.signal import BATTERY_LEVEL_UUID, battery_pct

log = logging.getLogger(__name__)


async def read_battery_pct(client: BleakClient) -> int | None:
    """The strap's battery in percent, or None when neither GATT nor the platform tells."""
    char = client.services.get_characteristic(BATTERY_LEVEL_UUID) if client.services else None
    if char is not None:
        try:
            return battery_pct(bytes(await client.read_gatt_char(char)))
        except (BleakError, OSError, TimeoutError) as exc:
            log.info("battery level of %s unreadable: %s", client.address, exc)
            return None
    if sys.platform == "linux":
        return await bluez_battery_pct(client.address)
    return None


async def bluez_battery_pct(address: str) -> int | None:
    """``org.bluez.Battery1.Percentage`` of the device with this address; None if absent."""
    try:
        from dbus_fast import BusType, Message, MessageType
        from dbus_fast.aio import MessageBus
    except ImportError:  # not a Linux install of bleak
        return None
    bus: Any = None
    try:
        bus = await MessageBus(bus_type=BusType.SYSTEM).connect()
        reply = await bus.call(Message(destination="org.bluez", path="/",
                                       interface="org.freedesktop.DBus.ObjectManager",
                                       member="GetManagedObjects"))
        if reply is None or reply.message_type != MessageType.METHOD_RETURN:
            return None
        for interfaces in reply.body[0].values():
            device = interfaces.get("org.bluez.Device1")
            battery = interfaces.get("org.bluez.Battery1")
            if device is None or battery is None or "Percentage" not in battery:
                continue
            if str(device["Address"].value).lower() == address.lower():
                value = int(battery["Percentage"].value)
                return value if 0 <= value <= 100 else None
        return None
    except Exception as exc:  # a battery figure is never worth failing a connection for
        log.info("BlueZ battery of %s unreadable: %s", address, exc)
        return None
    finally:
        if bus is not None:
            bus.disconnect()
