"""The numeric options of every command share one argparse type (cli.db.number_arg): a bad
number is refused by the parser with the option's rule, NaN and infinity included."""

from __future__ import annotations

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
