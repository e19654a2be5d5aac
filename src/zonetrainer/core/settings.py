"""A small JSON settings file: the last strap used, so the next run reconnects to it.

Lives in the platform's user config directory (platformdirs: ``~/.config/zonetrainer`` on
Linux, ``~/Library/Application Support/zonetrainer`` on macOS, ``%LOCALAPPDATA%`` on Windows);
the path is injectable for tests. Keys this module does not know are kept as they are, so
other parts can add their own.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from zonetrainer.core.errors import UserError

log = logging.getLogger(__name__)


class SettingsError(UserError):
    """The settings file cannot be written."""


@dataclass(frozen=True, slots=True)
class Settings:
    last_device_address: str | None = None  # a MAC address, or a UUID on macOS
    last_device_name: str | None = None


def default_settings_path() -> Path:
    return platformdirs.user_config_path("zonetrainer") / "settings.json"


class SettingsFile:
    """Reads and writes :class:`Settings` at ``path`` (default: the user config directory)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_settings_path()

    def _raw(self) -> dict[str, Any]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            # a damaged settings file must never stop a training session: start afresh
            log.warning("ignoring unreadable settings file %s: %s", self.path, exc)
            return {}
        if not isinstance(raw, dict):
            log.warning("ignoring settings file %s: not a JSON object", self.path)
            return {}
        return raw

    def load(self) -> Settings:
        raw = self._raw()

        def text(key: str) -> str | None:
            value = raw.get(key)
            return value if isinstance(value, str) and value else None
        return Settings(last_device_address=text("last_device_address"),
                        last_device_name=text("last_device_name"))

    def save(self, settings: Settings) -> None:
        """Write atomically (a temp file renamed over the old one), keeping unknown keys."""
        raw = self._raw()
        raw.update(last_device_address=settings.last_device_address,
                   last_device_name=settings.last_device_name)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(raw, out, indent=2, sort_keys=True)
                out.write("\n")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise SettingsError(f"cannot write the settings file {self.path}: "
                                f"{exc.strerror or exc}") from exc

    def remember_device(self, address: str, name: str = "") -> Settings:
        """Remember the strap just used; returns the settings now stored."""
        settings = Settings(last_device_address=address, last_device_name=name or None)
        self.save(settings)
        return settings
