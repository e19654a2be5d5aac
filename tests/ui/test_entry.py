"""The README's run command: `zonetrainer` with no command opens the dashboard (a real
process on the offscreen platform, with its data and settings under tmp_path)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def test_zonetrainer_without_a_command_opens_the_dashboard(tmp_path: Path) -> None:
    exe = shutil.which("zonetrainer", path=str(Path(sys.executable).parent))
    assert exe is not None, "the console script is not installed in this environment"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    db = tmp_path / "sessions.sqlite"
    proc = subprocess.Popen([exe, "--db", str(db)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not db.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        settle = time.monotonic() + 2.0
        while proc.poll() is None and time.monotonic() < settle:
            time.sleep(0.1)
        assert proc.poll() is None, f"exited with {proc.returncode}: {proc.stderr.read()}"
        assert db.exists()  # the dashboard opened the database it was given
        # the terminal mode is still there: `run --help` names --headless
        out = subprocess.run([exe, "run", "--help"], env=env, capture_output=True, text=True)
        assert "--headless" in out.stdout
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode is not None  # no process left running
