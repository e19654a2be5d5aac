"""How the BLE part names straps and turns platform failures into user messages (no bus)."""

from __future__ import annotations

import sys

import pytest
from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakBluetoothNotAvailableReason,
    BleakDBusError,
    BleakError,
)

from zonetrainer.core.sources.ble_scan import is_address, unavailable_error


@pytest.mark.parametrize(("text", "expected"), [
    ("C0:FF:EE:00:11:22", True),
    ("c0:ff:ee:00:11:22", True),
    (" C0:FF:EE:00:11:22 ", True),
    ("1F2E3D4C-0000-1111-2222-333344445555", True),  # a macOS CoreBluetooth UUID
    ("Polar H10", False),
    ("C0:FF:EE:00:11", False),
    ("C0-FF-EE-00-11-22", False),
    ("", False),
])
def test_address_or_name(text: str, expected: bool) -> None:
    assert is_address(text) is expected


def test_platform_failures_become_clear_messages() -> None:
    off = BleakBluetoothNotAvailableError("Bluetooth is turned off.",
                                          BleakBluetoothNotAvailableReason.POWERED_OFF)
    assert str(unavailable_error(off)) == "Bluetooth is not available: Bluetooth is turned off."
    no_bluez = BleakDBusError("org.freedesktop.DBus.Error.ServiceUnknown",
                              ["The name org.bluez was not provided by any .service files"])
    assert "bluetoothd) is not running" in str(unavailable_error(no_bluez))
    denied = PermissionError(13, "Permission denied")
    assert "Not allowed to use Bluetooth" in str(unavailable_error(denied))
    if sys.platform == "linux":
        gone = FileNotFoundError(2, "No such file or directory")
        assert "the D-Bus system bus is not running (No such file or directory)" in \
            str(unavailable_error(gone))
    # anything else is not "Bluetooth unavailable": the caller reports it as it is
    assert unavailable_error(BleakError("GATT error")) is None
    assert unavailable_error(BleakDBusError("org.bluez.Error.Failed", ["x"])) is None
