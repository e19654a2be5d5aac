"""``zonetrainer group`` from the command line: simulated groups stored one session per athlete
(SQLite and PostgreSQL), the athlete filters of ``sessions list`` and ``stats``, and every bad
input refused before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli_run import SHORT_PLAN
from zonetrainer.cli import main
from zonetrainer.core.pairing import PairingFile
from zonetrainer.core.store import Store


@pytest.fixture(autouse=True)
def own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # platformdirs honours XDG_CONFIG_HOME: the user's real strap pairing stays untouched
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def fail(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("zonetrainer: error: ") and "Traceback" not in err
    return err


@pytest.mark.slow
def test_simulate_12_stores_12_sessions_of_12_athletes_each_found_by_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "club.sqlite")
    assert main(["--db", db, "group", "--simulate", "12", "--headless", "--speed", "0"]) == 0
    out = capsys.readouterr().out
    assert "12 athletes; sessions in" in out
    store = Store.open(db)
    try:
        listed = store.list_sessions()
        athletes = dict(store.athletes())
    finally:
        store.close()
    names = {s.athlete_name for s in listed}
    assert len(listed) == 12 and len(names) == 12 and names <= set(athletes)
    assert all(s.status == "finished" and s.plan_name == "fatmax-intervals" for s in listed)
    # different seeds and profiles: twelve different sessions, not one copied
    assert len({(s.avg_hr_bpm, s.time_in_band_s) for s in listed}) == 12
    for s in listed:
        assert main(["--db", db, "sessions", "list", "--athlete", s.athlete_name]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 2 and lines[1].split()[0] == str(s.id), lines
        assert s.athlete_name in lines[1]
        assert main(["--db", db, "stats", "--athlete", s.athlete_name]) == 0
        assert " 1 " in capsys.readouterr().out.splitlines()[1]  # one session counted


def test_a_short_group_prints_a_line_per_athlete_and_its_result(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "short.toml"
    plan.write_text(SHORT_PLAN)
    db = str(tmp_path / "club.sqlite")
    argv = ["--db", db, "group", "--simulate", "3", "--plan", str(plan), "--headless",
            "--speed", "0", "--plan-for", "Sim Cleo=zone2-continuous"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    for name in ("Sim Ann", "Sim Bob", "Sim Cleo"):
        assert f"{name}: session " in out
        assert any(line.startswith(name) and "warmup" in line for line in out.splitlines())
    store = Store.open(db)
    try:
        plans = {s.athlete_name: s.plan_name for s in store.list_sessions()}
    finally:
        store.close()
    assert plans == {"Sim Ann": "short", "Sim Bob": "short", "Sim Cleo": "zone2-continuous"}


def test_a_strap_assigned_to_two_athletes_is_refused_before_anything_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "club.sqlite"
    err = fail(capsys, ["--db", str(db), "group", "--athlete", "Ann=C0:FF:EE:00:11:22",
                        "--athlete", "Bob=c0:ff:ee:00:11:22", "--headless"])
    assert "strap c0:ff:ee:00:11:22 is assigned to both Ann and Bob: each athlete needs " \
           "their own strap" in err
    assert not db.exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["--athlete", "Ann=X", "--athlete", "Ann=Y"], "athlete 'Ann' is in the group twice"),
    (["--athlete", "Ann="], "no strap after '='"),
    (["--athlete", "=X"], "give the athlete's name"),
    (["--athlete", "Ann"], "no strap remembered for Ann"),
    (["--athlete", "Ann=X", "--speed", "0"], "real straps run in real time"),
    (["--simulate", "2", "--athlete", "Ann=X"], "exclude each other"),
    (["--simulate", "2", "--adapter", "hci1"], "--adapter is for real straps"),
    ([], "name the athletes"),
    (["--simulate", "2", "--plan-for", "Zed=zone2-continuous"], "Zed is not in the group"),
    (["--simulate", "2", "--plan-for", "Sim Ann"], "write NAME=PLAN"),
    (["--simulate", "2", "--plan", "no-such-plan"], "no-such-plan"),
])
def test_bad_group_inputs_are_refused_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              argv: list[str], message: str) -> None:
    db = tmp_path / "club.sqlite"
    err = fail(capsys, ["--db", str(db), "group", "--headless", *argv])
    assert message in err
    assert not db.exists()


@pytest.mark.parametrize("n", ["0", "31", "x"])
def test_simulate_counts_outside_1_to_30_are_refused(capsys: pytest.CaptureFixture[str],
                                                     n: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["group", "--simulate", n, "--headless"])
    assert exit_.value.code == 2
    assert "N" in capsys.readouterr().err


def test_an_athlete_without_a_profile_is_named_with_the_known_ones(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "club.sqlite")
    assert main(["--db", db, "profile", "add", "Bob", "--age", "30"]) == 0
    capsys.readouterr()
    err = fail(capsys, ["--db", db, "group", "--athlete", "Ann=C0:FF:EE:00:11:22",
                        "--headless"])
    assert "no athlete profile named 'Ann' (known: Bob)" in err


def test_the_pairing_is_remembered_and_a_moved_strap_leaves_its_old_athlete(
        tmp_path: Path) -> None:
    pairing = PairingFile(tmp_path / "straps.json")
    pairing.remember({"Ann": "C0:FF:EE:00:10:01", "Bob": "C0:FF:EE:00:10:02"})
    assert pairing.remember({"Cleo": "c0:ff:ee:00:10:02"}) == {
        "Ann": "C0:FF:EE:00:10:01", "Cleo": "c0:ff:ee:00:10:02"}
    assert PairingFile(tmp_path / "straps.json").load()["Ann"] == "C0:FF:EE:00:10:01"
    (tmp_path / "straps.json").write_text("[not json")
    assert pairing.load() == {}  # a damaged file never stops a session
    (tmp_path / "straps.json").write_text(json.dumps(["a list"]))
    assert pairing.load() == {}


@pytest.mark.postgres
def test_a_group_writes_its_sessions_safely_to_postgresql(
        postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "short.toml"
    plan.write_text(SHORT_PLAN)
    argv = ["--db", postgres_url, "group", "--simulate", "6", "--plan", str(plan),
            "--headless", "--speed", "0"]
    assert main(argv) == 0
    capsys.readouterr()
    store = Store.open(postgres_url)
    try:
        listed = store.list_sessions()
        records = [store.load(s.id) for s in listed]
    finally:
        store.close()
    assert len(listed) == 6 and len({s.athlete_name for s in listed}) == 6
    for record in records:
        assert record.status == "finished" and record.summary is not None
        # every sample of the session is stored under it, and only that session's
        assert len(record.samples) == record.summary.sample_count > 0
        assert {s.source_id for s in record.samples} == {record.header.source_id}


def test_export_all_of_one_athlete_from_a_group(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "short.toml"
    plan.write_text(SHORT_PLAN)
    db = str(tmp_path / "club.sqlite")
    assert main(["--db", db, "group", "--simulate", "3", "--plan", str(plan), "--headless",
                 "--speed", "0"]) == 0
    capsys.readouterr()
    out = tmp_path / "bob"
    assert main(["--db", db, "export", "--all", "--athlete", "Sim Bob", "--format", "csv",
                 "--out", str(out)]) == 0
    assert "exported 1 sessions" in capsys.readouterr().out
    samples = [p for p in out.iterdir() if not p.stem.endswith(("-rr", "-intervals"))]
    assert len(samples) == 1
    assert main(["--db", db, "export", "--all", "--format", "csv", "--out",
                 str(tmp_path / "all")]) == 0
    assert "exported 3 sessions" in capsys.readouterr().out
    assert main(["--db", db, "export", "--all", "--athlete", "Nobody", "--format", "csv",
                 "--out", str(tmp_path / "none")]) == 0
    assert "no stored session of Nobody" in capsys.readouterr().out
    err = fail(capsys, ["--db", db, "export", "1", "--athlete", "Sim Bob", "--out",
                        str(tmp_path / "x.csv")])
    assert "--athlete goes with --all" in err
