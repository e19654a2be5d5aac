"""Where the shipped session plans (``sessions/``) and resources (``resources/``) are.

In a checkout (and the editable install the README's commands make) they sit beside ``src/``;
an installed wheel puts them under ``<prefix>/share/zonetrainer/`` (pyproject's data-files).
"""

from __future__ import annotations

import sysconfig
from pathlib import Path


def shared_dir(name: str, package_file: str = __file__) -> Path:
    """The folder ``name`` (``"sessions"`` or ``"resources"``) of this installation."""
    checkout = Path(package_file).resolve().parents[3] / name
    if checkout.is_dir():
        return checkout
    return Path(sysconfig.get_path("data")) / "share" / "zonetrainer" / name
