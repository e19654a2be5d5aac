"""Pytest fixtures for the fake BlueZ (listed in tests/conftest.py's pytest_plugins).

- ``fake_bus``: a private dbus-daemon as the system bus; DBUS_SYSTEM_BUS_ADDRESS and a
  ``bluetoothctl`` stub on PATH point bleak at it for the test's duration.
- ``fake_bluez``: ``org.bluez`` with one powered adapter on that bus, no straps yet:
  ``strap = fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")``.

Without dbus-daemon the tests skip with a message, unless ZT_REQUIRE_DBUS=1 (CI) makes them
fail. Each test gets its own daemon, stopped at teardown, so no process outlives a test.
Bleak keeps one BlueZ connection per event loop; run each test's bleak code in a fresh loop
(``asyncio.run``) so it connects to this test's bus.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.fakebluez import DbusDaemon, FakeBluez, environment_for, start_dbus_daemon


@pytest.fixture
def fake_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[DbusDaemon]:
    try:
        daemon = start_dbus_daemon()
    except FileNotFoundError:
        message = ("dbus-daemon is not installed (Debian package dbus-daemon); "
                   "the fake BlueZ needs it")
        if os.environ.get("ZT_REQUIRE_DBUS") == "1":
            pytest.fail(message + " and ZT_REQUIRE_DBUS=1")
        pytest.skip(message)
    try:
        for name, value in environment_for(daemon).items():
            monkeypatch.setenv(name, value)
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture
def fake_bluez(fake_bus: DbusDaemon) -> Iterator[FakeBluez]:
    bluez = FakeBluez(fake_bus.address).start()
    try:
        yield bluez
    finally:
        bluez.stop()
