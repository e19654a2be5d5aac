"""Live DFA alpha1 and the corrected-beat share in the terminal line of ``zonetrainer run``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_cli_run import state
from zonetrainer.cli import main
from zonetrainer.cli.run_text import live_text
from zonetrainer.core.store import Store

DATA = Path(__file__).resolve().parent.parent / "data"

PLAN = """title = "Seven minutes"
[[block]]
kind = "warmup"
duration_s = 120
[[block]]
kind = "steady"
duration_s = 300
"""


def test_the_line_shows_alpha1_and_the_corrected_share_only_with_a_reading() -> None:
    assert "a1" not in live_text(state())
    text = live_text(state(alpha1=0.8249, corrected_share=0.012))
    assert "a1 0.82, 1.2 % corrected" in text and "not used" not in text
    # More than 5 % corrected beats: the window is not used for decisions (core.dfa).
    flagged = live_text(state(alpha1=0.61, corrected_share=0.075))
    assert "a1 0.61, 7.5 % corrected (not used)" in flagged


def test_a_simulated_session_prints_the_live_alpha1_it_stores(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    db = tmp_path / "z.sqlite"
    code = main(["--db", str(db), "run", "--simulate", "--headless", "--plan", str(plan),
                 "--speed", "0", "--seed", "7", "--age", "40"])
    out, err = capsys.readouterr()
    assert code == 0, err
    store = Store.open(db)
    try:
        readings = store.load(1).alpha1
    finally:
        store.close()
    assert readings
    # Without a terminal a line is printed each minute: it shows the latest reading by then.
    checked = 0
    for line in out.splitlines():
        words = line.split()
        if not words or ":" not in words[0] or not words[0].replace(":", "").isdigit():
            continue
        minutes, seconds = words[0].split(":")
        t_s = 60 * int(minutes) + int(seconds)
        latest = [r for r in readings if r.t_s <= t_s]
        if not latest:
            assert "a1 " not in line
            continue
        r = latest[-1]
        assert f"a1 {r.alpha1:.2f}, {100 * r.corrected_share:.1f} % corrected" in line, line
        checked += 1
    assert checked >= 3


def test_no_alpha1_without_rr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A recording without RR intervals (heart rate only) gives no alpha1 on the line."""
    code = main(["--db", str(tmp_path / "z.sqlite"), "run", "--headless", "--replay",
                 str(DATA / "fit" / "sample-activity-indoor-trainer.fit"), "--speed", "0",
                 "--no-save", "--plan", str(_plan(tmp_path))])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "HR " in out and "a1 " not in out


def _plan(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    return plan
