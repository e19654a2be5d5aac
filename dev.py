#!/usr/bin/env python3
"""The two commands: ``python3 dev.py app`` runs zonetrainer; ``python3 dev.py test`` runs
every check (ruff, mypy, pytest).

Both create the virtual environment in ``.venv`` on first use and refresh it whenever
``pyproject.toml`` changes, so a fresh clone needs nothing but Python 3.11+.
Anything after the command is passed on (``python3 dev.py app run --simulate``,
``python3 dev.py test -k zones``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ZT_VENV", ROOT / ".venv"))
STAMP = VENV / ".zonetrainer-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_venv() -> None:
    """Create or refresh .venv so that it matches pyproject.toml."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an old python3
        sys.exit(f"zonetrainer needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _wanted_stamp():
        return
    print("Installing zonetrainer and its dependencies (first run, or pyproject.toml changed) ...",
          flush=True)
    pip = [str(PY), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "--quiet", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(_wanted_stamp())


def run(cmd: list[str]) -> int:
    return subprocess.run(cmd, cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"app", "test", "lint"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_venv()
    if command == "app":
        return run([str(BIN / "zonetrainer"), *rest])
    lint = [
        [str(PY), "-m", "ruff", "check", "src", "tests", "benchmarks", "dev.py"],
        [str(PY), "-m", "mypy"],
    ]
    for cmd in lint:
        code = run(cmd)
        if code != 0:
            return code
    if command == "lint":
        return 0
    return run([str(PY), "-m", "pytest", *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
