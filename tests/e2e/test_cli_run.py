"""``zonetrainer run`` from the command line: whole simulated sessions, and every bad input."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from zonetrainer.cli import main
from zonetrainer.cli.run_text import LiveLine, live_text
from zonetrainer.core.model import Band, SessionState
from zonetrainer.core.profile import Profile
from zonetrainer.core.store import Store

HAVE_SIMULATOR = importlib.util.find_spec("zonetrainer.core.sources.simulated") is not None
needs_simulator = pytest.mark.skipif(not HAVE_SIMULATOR,
                                     reason="the simulated strap is not installed")

SHORT_PLAN = """title = "Short"
[[block]]
kind = "warmup"
duration_s = 60
[[block]]
kind = "intervals"
repeats = 2
work_s = 90
rest_s = 60
[[block]]
kind = "cooldown"
duration_s = 60
"""


def fail(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run the CLI expecting a user error: exit 2, one line on stderr, no traceback."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert "Traceback" not in err + out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("zonetrainer: error: ")
    return lines[0]


def test_unknown_plan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "z.sqlite"
    line = fail(capsys, ["--db", str(db), "run", "--simulate", "--plan", "no-such-plan"])
    assert "no-such-plan" in line and "no such plan" in line and "fatmax-intervals" in line
    assert not db.exists()


def test_malformed_plan_file_names_file_line_and_field(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "Bad"\n[[block]]\nkind = "intervals"\nrepeats = 3\n'
                   'work_s = "long"\nrest_s = 60\n')
    db = tmp_path / "z.sqlite"
    line = fail(capsys, ["--db", str(db), "run", "--simulate", "--plan", str(bad)])
    assert str(bad) in line and "line 5" in line and "work_s" in line
    assert not db.exists()


def test_plan_that_is_not_toml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text('title = "Bad"\n[[block]\n')
    line = fail(capsys, ["--db", str(tmp_path / "z.sqlite"), "run", "--plan", str(bad)])
    assert "broken.toml" in line and "line 2" in line


@pytest.mark.parametrize(("args", "words"), [
    (["--age", "500"], ["age", "500", "impossible"]),
    (["--age", "30", "--rest-hr", "200"], ["resting HR", "200"]),
    (["--age", "30", "--rest-hr", "100", "--hrmax", "110"], ["resting HR", "HRmax"]),
    (["--hrmax", "400"], ["HRmax", "400"]),
])
def test_impossible_profile_values(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                   args: list[str], words: list[str]) -> None:
    db = tmp_path / "z.sqlite"
    line = fail(capsys, ["--db", str(db), "run", "--simulate", *args])
    for word in words:
        assert word in line
    assert not db.exists()


def test_unwritable_db_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    db = blocker / "z.sqlite"
    line = fail(capsys, ["--db", str(db), "run", "--simulate", "--speed", "0"])
    assert "a-file" in line
    assert blocker.read_text() == "not a directory"


def test_unknown_athlete(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    line = fail(capsys, ["--db", str(tmp_path / "z.sqlite"), "run", "--simulate",
                         "--athlete", "Nobody"])
    assert "Nobody" in line


def test_bad_speed_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", "--speed", "-3"])
    assert exc.value.code == 2
    assert "speed must be 0" in capsys.readouterr().err


def state(**kw: object) -> SessionState:
    values: dict[str, object] = dict(
        elapsed_s=125.0, phase="work", phase_elapsed_s=20.0, phase_remaining_s=70.0,
        next_phase="rest", block_index=1, interval_index=1, hr_bpm=131.0, signal_live=True,
        zone=2, in_band=True, band=Band(120, 135, "custom", "t", 5), session_duration_s=500.0)
    values.update(kw)
    return SessionState(**values)  # type: ignore[arg-type]


def test_live_line_shows_elapsed_phase_time_left_hr_zone_and_progress() -> None:
    text = live_text(state())
    for part in ("2:05", "work", "1:10 left", "HR 131", "Z2", "in band", "25%", "#####-"):
        assert part in text
    lost = live_text(state(hr_bpm=None, signal_live=False, zone=None, in_band=None,
                           phase="hold"))
    assert "signal lost" in lost and "hold" in lost and "131" not in lost


def test_live_line_without_a_tty_prints_once_a_minute(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    with path.open("w") as out:
        line = LiveLine(out, tty=False)
        for t in range(0, 181):
            line.show(state(elapsed_s=float(t)))
        line.show(state(elapsed_s=181.0, phase="done"))
        line.show(state(elapsed_s=181.0, phase="done"))
    lines = path.read_text().splitlines()
    assert [x.split()[0] for x in lines] == ["0:00", "1:00", "2:00", "3:00", "3:01"]


@needs_simulator
def test_a_simulated_session_runs_prints_its_summary_and_is_stored(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plan = tmp_path / "short.toml"
    plan.write_text(SHORT_PLAN)
    db = tmp_path / "z.sqlite"
    code = main(["--db", str(db), "run", "--simulate", "--headless", "--plan", str(plan),
                 "--speed", "0", "--seed", "3", "--age", "35"])
    out, err = capsys.readouterr()
    assert code == 0, err
    for part in ("Duration", "7:00", "Time in band", "Time per zone", "Average HR", "Max HR",
                 "warmup", "cooldown", "planned length reached", "stored as session 1"):
        assert part in out
    store = Store.open(db)
    try:
        record = store.load(1)
    finally:
        store.close()
    assert record.status == "finished" and record.summary is not None
    assert record.summary.duration_s == pytest.approx(420.0)
    assert len(record.samples) > 300
    assert record.header.plan_name == "short"


@needs_simulator
def test_no_save_writes_no_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plan = tmp_path / "short.toml"
    plan.write_text(SHORT_PLAN)
    db = tmp_path / "z.sqlite"
    code = main(["--db", str(db), "run", "--simulate", "--headless", "--plan", str(plan),
                 "--speed", "0", "--no-save"])
    assert code == 0
    assert "not stored" in capsys.readouterr().out
    assert not db.exists()


@needs_simulator
def test_ctrl_c_ends_the_session_cleanly_and_stores_it(tmp_path: Path) -> None:
    db = tmp_path / "z.sqlite"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "zonetrainer", "--db", str(db), "run", "--simulate",
         "--headless", "--plan", "fatmax-intervals", "--speed", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the first live line: the session is running
        assert "warmup" in first
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "Time in band" in out and "interrupted" in out
    store = Store.open(db)
    try:
        record = store.load(1)
    finally:
        store.close()
    assert record.status == "ended early" and record.intervals[-1].end_reason == "interrupted"


def test_live_line_on_a_tty_rewrites_one_line(tmp_path: Path) -> None:
    path = tmp_path / "tty.txt"
    with path.open("w", newline="") as out:
        line = LiveLine(out, tty=True)
        line.show(state(elapsed_s=1.0, phase="warmup"))
        line.show(state(elapsed_s=2.0, phase="work"))  # a new phase is drawn at once
        line.show(state(elapsed_s=3.0, phase="done"))
    text = path.read_bytes().decode()
    assert text.count("\r") == 3 and text.endswith("\n") and text.count("\n") == 1
    assert "warmup" in text and "work" in text and "done" in text


def test_a_bad_input_through_the_installed_entry_point(tmp_path: Path) -> None:
    db = tmp_path / "z.sqlite"
    done = subprocess.run([sys.executable, "-m", "zonetrainer", "--db", str(db), "run",
                           "--simulate", "--age", "500"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == "zonetrainer: error: age: 500 years is impossible; use 10-100\n"
    assert done.stdout == "" and not db.exists()


def test_a_stored_athlete_and_quick_values_on_top(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    plan = tmp_path / "short.toml"
    plan.write_text(SHORT_PLAN)
    db = tmp_path / "z.sqlite"
    store = Store.open(db)
    try:
        store.save_athlete("Bea", Profile(name="Bea", age_years=52, rest_hr_bpm=58).to_json())
    finally:
        store.close()
    code = main(["--db", str(db), "run", "--simulate", "--headless", "--plan", str(plan),
                 "--speed", "0", "--athlete", "Bea", "--hrmax", "175"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Bea" in out and "karvonen" in out
    store = Store.open(db)
    try:
        record = store.load(1)
    finally:
        store.close()
    used = Profile.from_json(record.header.profile_json)
    assert (used.name, used.age_years, used.measured_hrmax_bpm) == ("Bea", 52, 175)
    assert record.header.athlete_name == "Bea"
    assert record.header.band == used.band()


def test_a_rest_controlled_plan_that_runs_to_its_end_is_not_called_early(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # HR-controlled rests make the strength circuit shorter or longer than its nominal length;
    # only an end (by the user, a replay running out) makes a session "ended early".
    code = main(["--db", str(tmp_path / "z.sqlite"), "run", "--simulate", "--headless",
                 "--plan", "back-strength-circuit", "--speed", "0", "--seed", "2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Duration" in out and "ended early" not in out


def with_ann(tmp_path: Path) -> tuple[list[str], Path]:
    """A database with the athlete Ann (age 35), and the short plan: (--db args, plan path)."""
    plan = tmp_path / "short.toml"
    plan.write_text(SHORT_PLAN)
    db = ["--db", str(tmp_path / "z.sqlite")]
    assert main([*db, "profile", "add", "Ann", "--age", "35"]) == 0
    return db, plan


@needs_simulator
def test_the_next_session_says_what_the_loop_remembers_of_the_last(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db, plan = with_ann(tmp_path)
    argv = [*db, "run", "--simulate", "--headless", "--plan", str(plan), "--speed", "0",
            "--seed", "3", "--athlete", "Ann"]
    assert main(argv) == 0
    assert "last time" not in capsys.readouterr().out
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "zonetrainer: last time (session 1, " in out
    assert "work bouts needed \"ease off\"" in out
    # a quick profile is everybody's "Athlete": it neither reads nor leaves a history
    quick = [*db, "run", "--simulate", "--headless", "--plan", str(plan), "--speed", "0",
             "--age", "35"]
    assert main(quick) == 0 and main(quick) == 0
    assert "last time" not in capsys.readouterr().out
    store = Store.open(tmp_path / "z.sqlite")
    try:
        extras = [store.load(n).extra for n in (1, 2, 3, 4)]
    finally:
        store.close()
    assert ["zone_control_bouts" in e for e in extras] == [True, True, False, False]


@needs_simulator
def test_a_replay_neither_reads_nor_leaves_the_athletes_history(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db, plan = with_ann(tmp_path)
    assert main([*db, "run", "--simulate", "--headless", "--plan", str(plan), "--speed", "0",
                 "--athlete", "Ann"]) == 0
    capsys.readouterr()
    recording = Path(__file__).resolve().parents[1] / "data" / "fit" / "garmin-edge-820-bike.fit"
    assert main([*db, "run", "--replay", str(recording), "--headless", "--plan", str(plan),
                 "--speed", "0", "--athlete", "Ann"]) == 0
    assert "last time" not in capsys.readouterr().out
    store = Store.open(tmp_path / "z.sqlite")
    try:
        assert "zone_control_bouts" not in store.load(2).extra
    finally:
        store.close()


def test_a_bad_seed_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("-1", "4294967296", "1.5"):
        with pytest.raises(SystemExit) as exc:
            main(["run", "--simulate", "--headless", "--seed", bad])
        assert exc.value.code == 2
        assert "seed must be" in capsys.readouterr().err
