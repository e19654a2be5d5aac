"""Shared CLI input handling (cli.db): one argparse type for every numeric option (a bad number
is refused with the option's rule, NaN and infinity included) and one yes/no confirmation."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonetrainer.cli import main


@pytest.mark.parametrize(("argv", "message"), [
    (["run", "--speed", "fast"], "'fast' is not a number"),
    (["run", "--speed", "nan"], "speed must be 0 (as fast as possible) to 10000, not nan"),
    (["run", "--speed", "10001"], "speed must be 0 (as fast as possible) to 10000, not 10001"),
    (["run", "--replay-speed", "-1"], "replay speed must be above 0 and at most 10000, not -1"),
    (["devices", "--timeout", "nan"], "scan time must be between 0 and 600 s, not nan"),
    (["devices", "--timeout", "0"], "scan time must be between 0 and 600 s, not 0"),
    (["profile", "add", "Ann", "--age", "inf"], "a finite number is needed, not inf"),
    (["profile", "add", "Ann", "--rest-hr", "sixty"], "'sixty' is not a number"),
])
def test_bad_numbers_are_refused_by_the_parser(
        argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_deleting_a_profile_without_a_terminal_asks_for_yes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without a terminal to answer on (here pytest's stdin), nothing is deleted: the same
    confirmation as ``sessions delete`` (cli.db.confirm)."""
    db = str(tmp_path / "z.sqlite")
    assert main(["--db", db, "profile", "add", "Bo", "--age", "30"]) == 0
    capsys.readouterr()
    # Exit 2 and the same words as `sessions delete` (issue 16: one way to confirm).
    assert main(["--db", db, "profile", "delete", "Bo"]) == 2
    assert "not deleted (confirm, or add --yes)" in capsys.readouterr().err
    assert main(["--db", db, "profile", "show", "Bo"]) == 0
