"""``zonetrainer dashboard``: the PySide6 dashboard (also what ``zonetrainer`` alone opens)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import Any

#: The terminal mode, named so it works where the hint is read: ``zonetrainer`` is on PATH only
#: inside its virtual environment, ``python3 dev.py app`` works from the source tree.
TERMINAL_HINT = ("'python3 dev.py app run' (or 'zonetrainer run' inside its environment) "
                 "trains in the terminal")


def register(sub: Any) -> None:
    parser = sub.add_parser("dashboard", help="open the dashboard (the default with no command)")
    parser.add_argument("--theme", choices=("light", "dark"),
                        help="colour theme (default: the last one chosen, else light)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="session clock speed for a demo: 1 is real time, 60 runs an hour "
                             "in a minute")
    parser.set_defaults(func=open_dashboard)


def no_display_reason(environ: Mapping[str, str], platform: str) -> str | None:
    """Why a window cannot open here, or None. On Linux without DISPLAY or WAYLAND_DISPLAY
    (an SSH login, a server) Qt would abort with a long plugin message instead."""
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return ("no display to open the dashboard on (DISPLAY and WAYLAND_DISPLAY are unset); "
            f"{TERMINAL_HINT}")


def open_dashboard(args: argparse.Namespace) -> int:
    from zonetrainer.core.errors import UserError

    speed = getattr(args, "speed", 1.0)
    if speed <= 0:
        raise UserError(f"--speed must be positive, not {speed:g}")
    reason = no_display_reason(os.environ, sys.platform)
    if reason is not None:
        raise UserError(reason)
    try:
        from zonetrainer.ui.app import run
    except ImportError as exc:  # Qt libraries missing: say which, point at the terminal mode
        raise UserError(f"the dashboard cannot start ({exc}); "
                        f"{TERMINAL_HINT}") from None
    return run(db=getattr(args, "db", None), theme=getattr(args, "theme", None), speed=speed)
