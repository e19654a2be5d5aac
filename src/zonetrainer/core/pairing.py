"""The coach's strap-to-athlete pairing, remembered for the next group session.

A small JSON file beside the settings (``straps.json`` in the user config directory; the path is
injectable for tests): ``{"Ann": "C0:FF:EE:00:11:22", ...}``. A damaged file never stops a
session: it reads as no pairing, with a warning.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

import platformdirs

from zonetrainer.core.errors import UserError

log = logging.getLogger(__name__)


def default_pairing_path() -> Path:
    return platformdirs.user_config_path("zonetrainer") / "straps.json"


class PairingFile:
    """Which strap each athlete wore last."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_pairing_path()

    def load(self) -> dict[str, str]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable strap pairing file %s: %s", self.path, exc)
            return {}
        if not isinstance(raw, dict):
            log.warning("ignoring strap pairing file %s: not a JSON object", self.path)
            return {}
        return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str) and v}

    def remember(self, pairs: dict[str, str]) -> dict[str, str]:
        """Add or replace these athletes' straps (a strap moved to another athlete leaves its
        old one); written atomically. Returns the pairing now stored."""
        current = self.load()
        taken = {strap.lower() for strap in pairs.values()}
        current = {a: s for a, s in current.items() if s.lower() not in taken}
        current.update(pairs)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".straps-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(current, out, indent=2, sort_keys=True)
                out.write("\n")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise UserError(f"cannot write the strap pairing file {self.path}: "
                            f"{exc.strerror or exc}") from exc
        return current
