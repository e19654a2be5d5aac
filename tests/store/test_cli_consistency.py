"""Issue 16, point 16: the command line is consistent in what it accepts and asks."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import update

from tests.support import store_data as data
from zonetrainer.cli import main
from zonetrainer.cli.dashboard import no_display_reason
from zonetrainer.cli.db import confirm
from zonetrainer.cli.run_text import LiveLine
from zonetrainer.core.model import Band, SessionState
from zonetrainer.core.store import Store
from zonetrainer.core.store.schema import SessionRow
from zonetrainer.core.store.writer import writer_id


def _crashed(db: Path) -> int:
    """A store at ``db`` holding one session a dead process left unfinished."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    store = Store.open(db)
    try:
        rec = store.recorder()
        crashed = rec.begin(replace(data.header(), plan_name="crashed"))
        rec.write(crashed, data.batches(20.0)[0])
        rec.flush()
        host = writer_id().rpartition(":")[0]
        with store._engine.begin() as conn:
            conn.execute(update(SessionRow).where(SessionRow.id == crashed)
                         .values(writer=f"{host}:{dead.pid}"))
        return crashed
    finally:
        store.close()


def test_db_is_accepted_after_the_command(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "after.sqlite"
    crashed = _crashed(db)
    assert main(["sessions", "list", "--db", str(db)]) == 0
    assert f"({crashed})" in capsys.readouterr().out
    assert main(["sessions", "list", f"--db={db}"]) == 0
    assert f"({crashed})" in capsys.readouterr().out


def test_recover_discard_asks_and_takes_yes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "z.sqlite"
    crashed = _crashed(db)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no answer: nothing deleted
    assert main(["--db", str(db), "sessions", "recover", "--discard"]) == 2
    assert "not discarded" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # `echo y |`
    assert main(["--db", str(db), "sessions", "recover", "--discard"]) == 0
    assert capsys.readouterr().out.strip() == f"session {crashed}: discarded"
    crashed = _crashed(tmp_path / "y.sqlite")
    assert main(["--db", str(tmp_path / "y.sqlite"), "sessions", "recover", "--discard",
                 "--yes"]) == 0
    assert capsys.readouterr().out.strip() == f"session {crashed}: discarded"


def test_a_piped_yes_is_an_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert confirm("delete?")
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    assert not confirm("delete?")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert not confirm("delete?")


def test_the_no_display_hint_names_a_command_that_works_outside_the_venv() -> None:
    reason = no_display_reason({}, "linux")
    assert reason is not None and "python3 dev.py app run" in reason


def test_a_missing_postgres_driver_names_the_extra(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['psycopg'] = None\n"
            "from zonetrainer.cli import main\n"
            "sys.exit(main(['--db', 'postgresql+psycopg://u@127.0.0.1:9/x', 'sessions', "
            "'list']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2, done.stderr
    assert "postgres" in done.stderr and "zonetrainer[postgres]" in done.stderr


def _state(hr: float | None) -> SessionState:
    band = Band(110.0, 130.0, "custom", "test", 5.0)
    return SessionState(1.0, "warmup", 1.0, 59.0, "work", 0, 0, hr, hr is not None,
                        None if hr is None else 2, None if hr is None else True, band, 600.0)


def test_the_first_line_waits_for_the_strap() -> None:
    out = io.StringIO()
    line = LiveLine(out, tty=False)
    line.show(_state(None))
    assert "waiting for the strap" in out.getvalue() and "signal lost" not in out.getvalue()
    line._next_plain_s = 0.0
    line.show(_state(120.0))
    line._next_plain_s = 0.0
    line.show(_state(None))
    assert out.getvalue().splitlines()[-1].count("signal lost") == 1  # after a reading: lost


def test_headless_still_works_and_says_it_is_not_needed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "short.toml"
    plan.write_text('title = "Short"\n[[block]]\nkind = "warmup"\nduration_s = 30\n')
    argv = ["--db", str(tmp_path / "z.sqlite"), "run", "--simulate", "--plan", str(plan),
            "--speed", "0", "--no-save"]
    assert main([*argv, "--headless"]) == 0
    assert "--headless is no longer needed" in capsys.readouterr().err
    assert main(argv) == 0  # the same terminal session without it
    assert "--headless" not in capsys.readouterr().err
