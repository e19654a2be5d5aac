"""The settings file: remembered strap, damaged files, unknown keys, unwritable places."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from zonetrainer.core.settings import Settings, SettingsError, SettingsFile, default_settings_path


def test_missing_file_gives_defaults_and_remembering_round_trips(tmp_path: Path) -> None:
    f = SettingsFile(tmp_path / "cfg" / "settings.json")
    assert f.load() == Settings()
    f.remember_device("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    assert SettingsFile(f.path).load() == Settings("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    assert [p.name for p in f.path.parent.iterdir()] == ["settings.json"]  # no temp file left


def test_unknown_keys_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "dark", "last_device_address": "old"}))
    SettingsFile(path).remember_device("AA:BB:CC:DD:EE:FF")
    raw = json.loads(path.read_text())
    assert raw == {"theme": "dark", "last_device_address": "AA:BB:CC:DD:EE:FF",
                   "last_device_name": None}


@pytest.mark.parametrize("content",
                         ["{not json", "[1, 2]", "\xff\xfe", '{"last_device_address": 5}'])
def test_damaged_file_is_ignored_with_a_warning(tmp_path: Path, content: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content.encode("latin-1"))
    assert SettingsFile(path).load() == Settings()
    if content.startswith('{"last'):
        return  # valid JSON with a value of the wrong type: silently ignored
    assert "settings file" in caplog.text


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions, and root can write anywhere")
def test_unwritable_directory_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(SettingsError, match="cannot write the settings file"):
            SettingsFile(locked / "settings.json").remember_device("x")
    finally:
        locked.chmod(0o700)


def test_a_file_in_place_of_the_directory_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("")
    with pytest.raises(SettingsError, match=r"cannot write the settings file .*blocker"):
        SettingsFile(tmp_path / "blocker" / "settings.json").remember_device("x")


def test_default_path_is_in_the_user_config_directory() -> None:
    path = default_settings_path()
    assert path.name == "settings.json" and path.parent.name == "zonetrainer"
