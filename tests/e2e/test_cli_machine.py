"""``run --machine`` / ``--sensor`` and ``devices`` listing machines: through the real CLI (and
real bleak on the fake BlueZ for the scan)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from tests.e2e.test_cli_run import SHORT_PLAN, fail, state
from tests.support.fakebluez import FakeBluez
from tests.support.fakebluez_ftms import add_machine
from zonetrainer.cli import main
from zonetrainer.cli.devices import effort_for_run
from zonetrainer.cli.run_text import live_text
from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.profile import Profile
from zonetrainer.core.sources.ble_sensors import EffortSensorSource
from zonetrainer.core.sources.ftms import FtmsSource
from zonetrainer.core.sources.simulated import simulated_source_for
from zonetrainer.core.sources.simulated_machine import MachineDrivenStrap, SimulatedMachine
from zonetrainer.core.store import Store


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_a_simulated_treadmill_session_runs_and_its_speed_is_stored(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plan = tmp_path / "short.toml"
    plan.write_text(SHORT_PLAN)
    db = tmp_path / "z.sqlite"
    code = main(["--db", str(db), "run", "--simulate", "--machine", "sim-treadmill",
                 "--headless", "--plan", str(plan), "--speed", "0", "--seed", "3",
                 "--age", "35"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Time in band" in out and "stored as session 1" in out
    assert "zonetrainer: Simulated treadmill: under control" in err
    store = Store.open(db)
    try:
        record = store.load(1)
    finally:
        store.close()
    assert len(record.efforts) >= 400  # one reading a second of the 7:00 plan
    assert {e.unit for e in record.efforts} == {"km/h"}
    assert all(1.0 <= (e.value or 0) <= 18.0 for e in record.efforts)  # the machine's range
    assert "machine_control" in [e.kind for e in record.events]


def _live_lines(argv: list[str], plan: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The live lines (one a minute without a terminal) of a whole simulated session."""
    code = main(["run", "--no-save", "--simulate", "--plan", str(plan), "--speed", "0",
                 "--seed", "3", "--age", "35", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return [line for line in out.splitlines() if re.match(r" *[\d:]+  \w+ +[-\d:]+ left  ", line)]


@pytest.mark.parametrize(("machine", "pattern"), [
    ("sim-treadmill", r"  \d+\.\d/\d+\.\d km/h"),  # "8.5/9.0 km/h"
    ("sim-bike", r"  \d+/\d+ W"),  # "142/150 W"
])
def test_the_live_line_shows_actual_and_target_effort(
        machine: str, pattern: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    unit = "km/h" if machine == "sim-treadmill" else "W"
    work, rest = (9.0, 5.0) if unit == "km/h" else (150, 60)
    plan = tmp_path / "short.toml"
    effort = f'effort = {{ work = {work}, rest = {rest}, unit = "{unit}" }}'
    plan.write_text(SHORT_PLAN.replace("rest_s = 60", f"rest_s = 60\n{effort}"))
    lines = _live_lines(["--machine", machine], plan, capsys)
    bouts = [line for line in lines if re.search(r"\d  (work|rest) ", line)]
    assert len(bouts) >= 4
    missing = [line for line in bouts if not re.search(pattern, line)]
    # the block's first tick comes before its first reading: no target yet, the machine keeps
    # the effort the warm-up left it at (core/control/_controller.py)
    assert missing in ([], bouts[:1]), bouts
    # outside the intervals the loop names no target: the measured effort alone
    warmup = next(line for line in lines if " warmup " in line)
    assert re.search(r"%  \d+(\.\d)? " + re.escape(unit) + "$", warmup), warmup
    # and without a machine or sensor, no effort at all
    bare = _live_lines([], plan, capsys)
    assert bare and not any("km/h" in line or " W" in line for line in bare)


def test_the_effort_on_the_live_line_before_a_reading_and_without_a_target() -> None:
    assert "  -/9.4 km/h" in live_text(state(target_effort=9.4, effort_unit="km/h"))
    sensor = live_text(state(effort=142.4, effort_unit="W"))
    assert sensor.endswith("%  142 W"), sensor
    assert "km/h" not in live_text(state()) and " W" not in live_text(state())


@pytest.mark.parametrize(("argv", "message"), [
    (["--machine", "sim-treadmill"],
     "the simulated machine 'sim-treadmill' needs the simulated athlete: add --simulate"),
    (["--simulate", "--machine", "A", "--sensor", "B"], "--machine and --sensor exclude"),
    (["--simulate", "--machine", "Treadmill", "--speed", "10"],
     "a real machine or sensor runs in real time: drop --speed with --machine"),
])
def test_bad_machine_options_are_one_clear_line(argv: list[str], message: str,
                                                capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    db = tmp_path / "z.sqlite"
    line = fail(capsys, ["--db", str(db), "run", "--headless", *argv])
    assert message in line
    assert not db.exists()  # checked before the database opens


def test_replay_and_machine_exclude_each_other(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    recording = tmp_path / "r.csv"
    recording.write_text("time_s,hr_bpm\n0,100\n1,101\n")
    line = fail(capsys, ["run", "--no-save", "--headless", "--replay", str(recording),
                         "--machine", "Treadmill"])
    assert "--replay and --machine exclude each other" in line


def test_the_sources_run_builds() -> None:
    profile = Profile(age_years=40.0)
    strap = simulated_source_for(profile, profile.band(), 1)
    clock = VirtualClock()

    def args(**given: object) -> argparse.Namespace:
        return argparse.Namespace(**{"machine": None, "sensor": None, "replay": None,
                                     "speed": 1.0, "simulate": True, **given})

    assert effort_for_run(args(), clock, strap) == (strap, None)
    hr, machine = effort_for_run(args(machine="sim-bike"), clock, strap)
    assert isinstance(hr, MachineDrivenStrap) and isinstance(machine, SimulatedMachine)
    assert machine.unit == "W" and hr.athlete is strap.athlete
    assert isinstance(effort_for_run(args(machine="Kickr"), clock, strap)[1], FtmsSource)
    assert isinstance(effort_for_run(args(sensor="Stryd"), clock, strap)[1],
                      EffortSensorSource)


@pytest.mark.bluez
def test_devices_lists_machines_beside_straps(fake_bluez: FakeBluez,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")
    add_machine(fake_bluez, "treadmill", "FE:ED:00:00:00:01", "Horizon T202")
    add_machine(fake_bluez, "indoor_bike", "FE:ED:00:00:00:02", "KICKR CORE")
    assert main(["devices", "--timeout", "0.6"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1].startswith("Polar H10 0A1B2C3D  C0:FF:EE:00:11:22")
    start = lines.index("Fitness machines and effort sensors:")
    rows = {line.split("  ")[0].strip(): line.split()[-2:] for line in lines[start + 2:start + 4]}
    assert rows == {"Horizon T202": ["fitness", "machine"], "KICKR CORE": ["fitness", "machine"]}
    assert "zonetrainer run --machine ADDRESS" in out


@pytest.mark.bluez
def test_devices_with_only_a_machine_around(fake_bluez: FakeBluez,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    add_machine(fake_bluez, "treadmill")
    assert main(["devices", "--timeout", "0.4"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No heart-rate straps found in 0.4 s.")
    assert "Fake Treadmill" in out


def test_the_profiles_usual_effort_starts_the_lever_of_a_plan_that_names_none(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # SHORT_PLAN names no effort: without the profile's usual effort the loop sets no target.
    plan = tmp_path / "short.toml"
    plan.write_text(SHORT_PLAN)
    db = tmp_path / "z.sqlite"
    assert main(["--db", str(db), "profile", "add", "Ann", "--age", "35",
                 "--usual-effort", "9.5", "5", "km/h"]) == 0
    assert main(["--db", str(db), "profile", "show", "Ann"]) == 0
    assert "Usual effort: work 9.5, rest 5 km/h." in capsys.readouterr().out
    code = main(["--db", str(db), "run", "--simulate", "--machine", "sim-treadmill",
                 "--plan", str(plan), "--speed", "0", "--seed", "3", "--athlete", "Ann"])
    _, err = capsys.readouterr()
    assert code == 0, err
    store = Store.open(db)
    try:
        record = store.load(1)
    finally:
        store.close()
    targets = {e.target for e in record.efforts if e.target is not None}
    assert targets and all(1.0 <= t <= 18.0 for t in targets)  # the lever ran the belt


def test_an_impossible_usual_effort_is_one_clear_line(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    code = main(["--db", str(tmp_path / "z.sqlite"), "profile", "add", "Ann", "--age", "35",
                 "--usual-effort", "5", "fast", "km/h"])
    assert code == 2
    assert "--usual-effort: 'fast' is not a number" in capsys.readouterr().err


def test_a_plan_s_grade_is_held_on_the_simulated_treadmill_and_stored(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plan = tmp_path / "hill.toml"
    plan.write_text(SHORT_PLAN.replace("rest_s = 60", "rest_s = 60\nincline_pct = 4"))
    db = tmp_path / "z.sqlite"
    code = main(["--db", str(db), "run", "--simulate", "--machine", "sim-treadmill",
                 "--plan", str(plan), "--speed", "0", "--seed", "3", "--age", "35"])
    assert code == 0, capsys.readouterr().err
    store = Store.open(db)
    try:
        record = store.load(1)
    finally:
        store.close()
    grades = [(e.t_s, e.incline_pct) for e in record.efforts]
    assert {g for t, g in grades if t < 60} == {None}  # the warm-up names none: untouched
    assert {g for t, g in grades if 61 < t < 359} == {4.0}  # the intervals block: held
    assert grades[-1][1] == 0.0  # the cool-down names none after a grade: flat
