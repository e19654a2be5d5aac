"""Without a display the dashboard says so in one line instead of letting Qt abort."""

from __future__ import annotations

import os
import subprocess
import sys

from zonetrainer.cli.dashboard import no_display_reason


def test_no_display_reason_by_environment() -> None:
    assert no_display_reason({}, "linux") is not None
    assert no_display_reason({"DISPLAY": ":0"}, "linux") is None
    assert no_display_reason({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert no_display_reason({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert no_display_reason({}, "win32") is None and no_display_reason({}, "darwin") is None


def test_zonetrainer_without_a_display_is_a_one_line_error(tmp_path: object) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "zonetrainer", "--db", f"{tmp_path}/z.sqlite"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "zonetrainer: error: no display to open the dashboard on (DISPLAY and WAYLAND_DISPLAY "
        "are unset); 'python3 dev.py app run' (or 'zonetrainer run' inside its environment) "
        "trains in the terminal"]
