"""``zonetrainer profile ...`` through the real CLI and a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonetrainer.cli import main
from zonetrainer.core.profile import Profile
from zonetrainer.core.store import Store


def cli(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def stored(db: Path) -> dict[str, Profile]:
    store = Store.open(db)
    try:
        return {name: Profile.from_json(text) for name, text in store.athletes()}
    finally:
        store.close()


def test_add_list_show_edit_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "z.sqlite"
    assert cli(db, "profile", "list") == 0
    assert "no profiles stored yet" in capsys.readouterr().out
    assert cli(db, "profile", "add", "Ann", "--age", "40", "--rest-hr", "60") == 0
    out = capsys.readouterr().out
    assert "132-144 bpm" in out and "Karvonen" in out and "+/- 6 bpm" in out
    assert cli(db, "profile", "add", "Bo", "--birth-year", "1990", "--band", "maf",
               "--maf-adjust", "-5", "--hrmax", "190") == 0
    capsys.readouterr()
    profiles = stored(db)
    assert profiles["Bo"].birth_year == 1990 and profiles["Bo"].measured_hrmax_bpm == 190.0
    assert cli(db, "profile", "list") == 0
    listing = capsys.readouterr().out
    assert "Ann" in listing and "Bo" in listing and "maf" in listing
    assert cli(db, "profile", "show", "Ann") == 0
    shown = capsys.readouterr().out
    assert "zone 5: 168-180 bpm" in shown and "Tanaka" in shown and "whole-body" in shown
    assert cli(db, "profile", "edit", "Ann", "--lab-lt1", "150", "--lab-lt2", "170") == 0
    assert "140-150 bpm" in capsys.readouterr().out
    assert stored(db)["Ann"].band().method == "lab"
    assert cli(db, "profile", "edit", "Ann", "--band", "custom", "--custom-band", "125",
               "135") == 0
    assert stored(db)["Ann"].band().high_bpm == 135.0
    assert cli(db, "profile", "delete", "Bo", "--yes") == 0
    assert set(stored(db)) == {"Ann"}


@pytest.mark.parametrize(("args", "message"), [
    (("profile", "add", "X", "--age", "500"), "age: 500 years is impossible"),
    (("profile", "add", "X", "--age", "30", "--rest-hr", "300"), "resting HR: 300 bpm"),
    (("profile", "add", "X", "--band", "karvonen"), "needs a resting heart rate"),
    (("profile", "add", "X", "--age", "30", "--birth-year", "1990"), "not both"),
    (("profile", "add", "X", "--formula", "guess"), "hrmax formula: 'guess' is unknown"),
    (("profile", "add", "X", "--maf-adjust", "3"), "MAF adjustment: 3 bpm"),
    (("profile", "add", "X", "--lab-lt1", "170", "--lab-lt2", "150"), "must be below LT2"),
    (("profile", "show", "Nobody"), "no profile named 'Nobody'"),
    (("profile", "edit", "Nobody", "--age", "30"), "no profile named 'Nobody'"),
    (("profile", "edit", "Ann"), "nothing to change"),
    (("profile", "add", "Ann", "--age", "33"), "a profile named 'Ann' exists"),
])
def test_bad_input_is_one_line_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
        message: str) -> None:
    db = tmp_path / "z.sqlite"
    assert cli(db, "profile", "add", "Ann", "--age", "40") == 0
    before = stored(db)
    capsys.readouterr()
    assert cli(db, *args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert stored(db) == before


def test_a_non_number_is_refused_by_the_parser(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli(tmp_path / "z.sqlite", "profile", "add", "X", "--age", "forty")
    assert exit_info.value.code == 2
    assert "'forty' is not a number" in capsys.readouterr().err
