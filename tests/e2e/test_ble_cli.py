"""``zonetrainer devices`` through the real CLI, bleak and the fake BlueZ."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.fakebluez import DbusDaemon, FakeBluez
from zonetrainer.cli import main
from zonetrainer.core.settings import SettingsFile, default_settings_path

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
