"""The ``zonetrainer`` command. Each subcommand lives in its own module with a ``register``.

Errors the user can act on (:class:`zonetrainer.core.errors.UserError`) print one line and
exit with status 2; nothing else is caught here, so a real bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from zonetrainer import __version__
from zonetrainer.core.errors import UserError

#: Subcommand modules under zonetrainer.cli, in the order --help lists them.
#: Each defines ``register(subparsers)`` and sets ``func`` (args -> exit code) on its parser.
COMMAND_MODULES: tuple[str, ...] = (
    "run",
    "group",
    "sessions",
    "stats",
    "db",
    "devices",
    "dashboard",
    "export",
    "import_",
    "profile",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zonetrainer",
        description="Heart-rate zone interval trainer. With no command, opens the dashboard.")
    parser.add_argument("--version", action="version", version=f"zonetrainer {__version__}")
    parser.add_argument("--db", metavar="URL",
                        help="database: a SQLAlchemy URL or a SQLite file path "
                             "(default: zonetrainer.sqlite in the user data directory)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"zonetrainer.cli.{name}").register(sub)
    return parser


def hoist_db(argv: list[str]) -> list[str]:
    """``argv`` with every ``--db URL`` / ``--db=URL`` moved before the command: users type it
    anywhere (``zonetrainer sessions list --db x.sqlite``), argparse takes it only there. Words
    after ``--`` are left alone."""
    front: list[str] = []
    rest: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            rest.append(word)
            rest.extend(words)
            break
        if word == "--db":
            value = next(words, None)
            front.extend([word] if value is None else [word, value])
        elif word.startswith("--db="):
            front.append(word)
        else:
            rest.append(word)
    return front + rest


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(hoist_db(sys.argv[1:] if argv is None else list(argv)))
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:  # no command: the dashboard (`run --headless` is the terminal mode)
        from zonetrainer.cli.dashboard import open_dashboard
        args.func = open_dashboard
    try:
        return int(args.func(args))
    except UserError as exc:
        print(f"zonetrainer: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("zonetrainer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of the output went away (`| head`): stop quietly, as other tools do. What
        # was to be stored is stored by then (a session's live line never raises this).
        # Python would raise again when it flushes stdout at exit: point it at /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a pipe closed early
