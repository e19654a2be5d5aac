"""A failed export leaves the previous files as they were and no temporary file behind.

The failure is real, not mocked: the process's file-size limit (RLIMIT_FSIZE, what
``ulimit -f`` sets) is lowered for the duration of the export, with SIGXFSZ ignored, so the
kernel refuses the write past the limit with EFBIG, exactly as the audit's ``ulimit -f 100``.
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from zonetrainer.core.export import ExportError, export_session
from zonetrainer.core.model import SessionRecord

#: Far below every export of the 22-minute test session, far above nothing.
LIMIT_BYTES = 4096


@contextmanager
def file_size_limit(limit_bytes: int) -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def other_session(record: SessionRecord) -> SessionRecord:
    """A different session, so a half-written new file could not pass for the old one."""
    return replace(record, session_id=record.session_id + 1, samples=record.samples[:-60])


@pytest.mark.parametrize("fmt", ["tcx", "csv", "png", "fit", "json"])
def test_a_failed_export_keeps_the_old_files(record: SessionRecord, tmp_path: Path,
                                             fmt: str) -> None:
    out = tmp_path / f"s1.{fmt}"
    written = export_session(record, fmt, out)
    assert all(p.stat().st_size > LIMIT_BYTES for p in written[:1])
    before = snapshot(tmp_path)
    with file_size_limit(LIMIT_BYTES), pytest.raises(ExportError, match="too large"):
        export_session(other_session(record), fmt, out)
    assert snapshot(tmp_path) == before  # same names (no temporary file), same bytes


def test_a_csv_set_is_replaced_whole_or_not_at_all(record: SessionRecord,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "s1.csv"
    export_session(record, "csv", out)
    before = snapshot(tmp_path)
    # The intervals file is small: the limit lets it through and stops the samples file.
    assert (tmp_path / "s1-intervals.csv").stat().st_size < 2048 < out.stat().st_size
    with file_size_limit(2048), pytest.raises(ExportError):
        export_session(other_session(record), "csv", out)
    assert snapshot(tmp_path) == before
    # A directory where the RR file goes: nothing of the set is replaced.
    (tmp_path / "s2-rr.csv").mkdir()
    with pytest.raises(ExportError, match="is a directory"):
        export_session(record, "csv", tmp_path / "s2.csv")
    assert not (tmp_path / "s2.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "s2-rr.csv"])


def test_a_successful_export_replaces_every_file(record: SessionRecord, tmp_path: Path) -> None:
    out = tmp_path / "s1.csv"
    export_session(record, "csv", out)
    export_session(other_session(record), "csv", out)
    assert len(out.read_text().splitlines()) == len(record.samples) - 60 + 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s1-intervals.csv", "s1-rr.csv",
                                                          "s1.csv"]
    probe = tmp_path / "probe"
    probe.write_text("")
    assert out.stat().st_mode == probe.stat().st_mode  # a new file's usual mode, not 0o600


def test_the_dashboard_export_keeps_the_old_file(record: SessionRecord, tmp_path: Path,
                                                 qtbot: QtBot) -> None:
    from zonetrainer.ui.export_dialog import ExportJob

    out = tmp_path / "s1.tcx"
    export_session(record, "tcx", out)
    before = snapshot(tmp_path)
    job = ExportJob(other_session(record), "tcx", str(out))
    failed: list[str] = []
    job.signals.failed.connect(failed.append)
    with file_size_limit(LIMIT_BYTES):
        job.run()  # the pool thread's body, run here so the limit and the signal are ours
    assert failed and "too large" in failed[0]
    assert snapshot(tmp_path) == before


def test_a_killed_export_leaves_parts_the_next_export_cleans(tmp_path: Path) -> None:
    """kill -9 in the middle of an export: its hidden .part stays; the next export of that
    file removes it (its writer is gone), and a part of a running export is left alone."""
    import os
    import subprocess
    import sys

    from zonetrainer.core.export.atomic import replace_files

    target = tmp_path / "s.csv"
    killed = subprocess.run(
        [sys.executable, "-c",
         "import os, signal, sys\nfrom pathlib import Path\n"
         "from zonetrainer.core.export.atomic import replace_files\n"
         "replace_files([Path(sys.argv[1])], lambda fh: os.kill(os.getpid(), signal.SIGKILL))",
         str(target)], check=False)
    assert killed.returncode == -signal.SIGKILL
    assert len(list(tmp_path.glob(".s.csv.*.part"))) == 1
    alive = tmp_path / f".s.csv.{os.getpid()}.0badc0de.part"  # an export still writing
    alive.write_bytes(b"")
    replace_files([target], lambda fh: fh[0].write(b"t_s,hr_bpm\n"))
    assert target.read_bytes() == b"t_s,hr_bpm\n"
    assert sorted(tmp_path.glob(".s.csv.*.part")) == [alive]
