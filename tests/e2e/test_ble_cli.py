"""``zonetrainer devices`` through the real CLI, bleak and the fake BlueZ."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.fakebluez import DbusDaemon, FakeBluez, environment_for
from zonetrainer.cli import main
from zonetrainer.cli.devices import source_for_run
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.errors import UserError
from zonetrainer.core.model import HeartRateSample
from zonetrainer.core.settings import Settings, SettingsFile, default_settings_path
from zonetrainer.core.sources.base import HeartRateSource
from zonetrainer.core.sources.ble import BleSource
from zonetrainer.core.sources.ble_fallback import FallbackSource
from zonetrainer.core.store import Store

pytestmark = pytest.mark.bluez


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # platformdirs honours XDG_CONFIG_HOME: the user's real settings stay untouched
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_devices_lists_straps_with_progress(fake_bluez: FakeBluez,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D", rssi_dbm=-61)
    fake_bluez.add_strap("F0:0D:00:00:00:02", "Kettle", hr_service=False)
    SettingsFile(default_settings_path()).remember_device("C0:FF:EE:00:11:22", "Polar H10")
    assert main(["devices", "--timeout", "0.6"]) == 0
    out, err = capsys.readouterr()
    assert "Scanning for heart-rate straps for 0.6 s" in err
    assert "scanning ... 100 %, 1 found" in err
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "ADDRESS", "RSSI"]
    assert lines[1].startswith("Polar H10 0A1B2C3D  C0:FF:EE:00:11:22")
    assert lines[1].endswith(("-61 dBm", "-60 dBm"))
    assert "Kettle" not in out
    assert "Last used: Polar H10 (C0:FF:EE:00:11:22)" in out


def test_devices_all_marks_heart_rate_devices(fake_bluez: FakeBluez,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    fake_bluez.add_strap("F0:0D:00:00:00:02", "Kettle", hr_service=False)
    assert main(["devices", "--all", "--timeout", "0.5"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[-1] for line in out.splitlines()[1:3]}
    assert rows == {"Polar": "yes", "Kettle": "no"}


def test_devices_when_nothing_is_around(fake_bluez: FakeBluez,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devices", "--timeout", "0.3"]) == 1
    assert "No heart-rate straps found in 0.3 s" in capsys.readouterr().out


def test_devices_without_bluez_or_adapter_is_one_clear_line(
        fake_bus: DbusDaemon, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devices", "--timeout", "0.3"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("zonetrainer: error: BlueZ (the Linux Bluetooth service")
    bluez = FakeBluez(fake_bus.address, adapter=False).start()
    try:
        assert main(["devices", "--timeout", "0.3"]) == 2
        assert "error: Bluetooth is not available: No Bluetooth adapters found" in \
            capsys.readouterr().err
    finally:
        bluez.stop()


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "601"])
def test_devices_rejects_a_bad_timeout(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["devices", "--timeout", bad])
    assert exit_info.value.code == 2
    assert "--timeout" in capsys.readouterr().err


class _Recorded(HeartRateSource):
    """Stands in for the simulated strap: a few fixed samples."""

    source_id = "simulated"

    def __init__(self) -> None:
        self.started = False

    async def start(self) -> None:
        self.started = True

    def drain(self, now_s: float) -> list[HeartRateSample]:
        return [HeartRateSample(now_s, 99.0, source_id="simulated")]

    async def stop(self) -> None:
        self.started = False


def _args(**kw: object) -> argparse.Namespace:
    return argparse.Namespace(**{"device": None, "simulate": False, "speed": 1.0, **kw})


def test_run_device_connects_and_remembers_the_strap(fake_bluez: FakeBluez,
                                                     tmp_path: Path) -> None:
    fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    settings = SettingsFile(tmp_path / "s.json")
    source = source_for_run(_args(device="polar"), VirtualClock(), _Recorded, settings=settings)
    assert isinstance(source, BleSource)

    async def session() -> None:
        await source.start()
        await source.stop()
    asyncio.run(session())
    assert settings.load() == Settings("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")


def test_run_without_device_tries_the_remembered_strap_then_falls_back(
        fake_bluez: FakeBluez, tmp_path: Path) -> None:
    settings = SettingsFile(tmp_path / "s.json")
    said: list[str] = []
    # nothing remembered: the simulator, with a word why
    assert isinstance(source_for_run(_args(), VirtualClock(), _Recorded, settings=settings,
                                     say=said.append), _Recorded)
    assert "no strap remembered" in said[-1]
    # remembered and present: the strap
    strap = fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    settings.remember_device("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    source = source_for_run(_args(), VirtualClock(), _Recorded, settings=settings,
                            say=said.append, remembered_scan_s=2.0)
    assert isinstance(source, FallbackSource)

    async def session(src: HeartRateSource) -> str:
        await src.start()
        link = src.status().link
        await src.stop()
        return link
    assert asyncio.run(session(source)) == "connected" and strap.connects == 1
    # remembered but out of range: the simulator, with the reason
    strap.drop()
    source = source_for_run(_args(), VirtualClock(), _Recorded, settings=settings,
                            say=said.append, remembered_scan_s=0.3)
    asyncio.run(session(source))
    assert isinstance(source, FallbackSource) and isinstance(source.active, _Recorded)
    assert said[-1].startswith("No heart-rate strap matching 'C0:FF:EE:00:11:22' found within")
    assert said[-1].endswith("Using the simulated strap instead.")
    events = source.take_events()
    assert [(e.t_s, e.kind) for e in events] == [(0.0, "source_fallback")]
    assert events[0].detail == said[-1] and source.take_events() == []


def test_run_device_rejects_contradictions(tmp_path: Path) -> None:
    settings = SettingsFile(tmp_path / "s.json")
    with pytest.raises(UserError, match="--device and --simulate exclude each other"):
        source_for_run(_args(device="x", simulate=True), VirtualClock(), _Recorded,
                       settings=settings)
    with pytest.raises(UserError, match="a real strap runs in real time"):
        source_for_run(_args(device="x", speed=60.0), VirtualClock(), _Recorded,
                       settings=settings)
    settings.remember_device("C0:FF:EE:00:11:22")
    # a faster-than-life run never waits for a strap
    assert isinstance(source_for_run(_args(speed=0.0), VirtualClock(), _Recorded,
                                     settings=settings, say=print), _Recorded)


@pytest.mark.slow
def test_run_device_headless_records_the_strap_until_ctrl_c(
        fake_bluez: FakeBluez, fake_bus: DbusDaemon, tmp_path: Path) -> None:
    """The real command in its own process: connect, record, Ctrl-C, stored."""
    strap = fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    db = tmp_path / "s.sqlite"
    env = {**os.environ, **environment_for(fake_bus), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    process = subprocess.Popen(
        [sys.executable, "-m", "zonetrainer", "--db", str(db), "run", "--headless", "--plan",
         "zone2-continuous", "--device", "C0:FF:EE:00:11:22", "--age", "40"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not strap.notifying and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert strap.notifying, f"never subscribed (exit status {process.poll()})"
        for i in range(25):
            assert strap.notify(bytes([0x16, 120 + i % 5]))
            time.sleep(0.04)
        time.sleep(1.0)  # the runner drains every 0.25 s and writes every 2 s
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert "stored as session 1" in out
    assert "connected to Polar H10 0A1B2C3D (C0:FF:EE:00:11:22), chest, battery 87 %" in err
    store = Store.open(db)
    try:
        record = store.load(1)
    finally:
        store.close()
    assert record.header.source_id == "C0:FF:EE:00:11:22"
    assert [s.hr_bpm for s in record.samples] == [float(d[1]) for d in strap.delivered]
    assert [e.kind for e in record.events if e.kind == "connected"] == ["connected"]
    remembered = SettingsFile(tmp_path / "cfg" / "zonetrainer" / "settings.json").load()
    assert remembered == Settings("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    assert not strap.connected  # the command disconnected on its way out
