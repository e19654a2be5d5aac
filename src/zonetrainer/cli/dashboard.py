"""``zonetrainer dashboard``: the PySide6 dashboard (also what ``zonetrainer`` alone opens)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("dashboard", help="open the dashboard (the default with no command)")
    parser.add_argument("--theme", choices=("light", "dark"),
                        help="colour theme (default: the last one chosen, else light)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="session clock speed for a demo: 1 is real time, 60 runs an hour "
                             "in a minute")
    parser.set_defaults(func=open_dashboard)


def open_dashboard(args: argparse.Namespace) -> int:
    from zonetrainer.core.errors import UserError

    speed = getattr(args, "speed", 1.0)
    if speed <= 0:
        raise UserError(f"--speed must be positive, not {speed:g}")
    try:
        from zonetrainer.ui.app import run
    except ImportError as exc:  # Qt libraries missing: say which, point at the terminal mode
        raise UserError(f"the dashboard cannot start ({exc}); "
                        "'zonetrainer run --headless' trains in the terminal") from None
    return run(db=getattr(args, "db", None), theme=getattr(args, "theme", None), speed=speed)
