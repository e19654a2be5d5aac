"""The fake BlueZ's own plumbing: nothing outlives a test."""

from __future__ import annotations

import subprocess

import pytest

from tests.support.fakebluez import FakeBluez, environment_for, start_dbus_daemon

pytestmark = pytest.mark.bluez


def test_daemon_and_fake_leave_no_process_thread_or_directory() -> None:
    try:
        daemon = start_dbus_daemon()
    except FileNotFoundError:
        pytest.skip("dbus-daemon is not installed")
    bluez = FakeBluez(daemon.address).start()
    bluez.add_strap()
    env = environment_for(daemon)
    stub = subprocess.run(["bluetoothctl", "--version"], capture_output=True, text=True,
                          env={"PATH": env["PATH"]}, check=True)
    assert stub.stdout.strip() == "bluetoothctl: 5.66"
    assert daemon.address.startswith("unix:path=") and daemon.process.poll() is None
    bluez.stop()
    daemon.stop()
    assert not bluez._thread.is_alive()
    assert daemon.process.poll() is not None
    assert not daemon.directory.exists()
    daemon.stop()  # twice is harmless
