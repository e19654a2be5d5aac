"""When the database will not take a finished session: keep it in a file instead.

The store already keeps unwritten batches and tries again before it gives up (a lock held by
another program for a while costs a wait, not the session). If it still cannot write, the
session the engine holds in memory goes to a FIT file (heart rate, RR, laps), which
``zonetrainer import`` adds to the history once the database answers again.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from zonetrainer.core.export import ExportError, export_session
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.runner import SessionRunner

log = logging.getLogger(__name__)


def rescue_record(runner: SessionRunner) -> SessionRecord:
    """Everything the runner's engine recorded, as a record the exporters take."""
    engine = runner.engine
    return SessionRecord(session_id=0, header=runner.header, samples=engine.samples,
                         intervals=tuple(engine.intervals), events=tuple(engine.events),
                         summary=runner.summary, status=runner.end_status(),
                         alpha1=engine.alpha1_readings, extra=dict(runner.extra),
                         efforts=engine.efforts)


def _private_folder(folder: Path | None) -> Path:
    """``folder`` made (or narrowed to) 0700; None: a fresh one of a random name in the temp
    directory, so no other user can guess the name and put a file or a link there first."""
    if folder is None:
        return Path(tempfile.mkdtemp(prefix="zonetrainer-unsaved-"))  # 0700 by mkdtemp
    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def rescue_to_fit(runner: SessionRunner, now: datetime | None = None) -> Path | None:
    """Write the session to ``<user data dir>/unsaved/<time>-unsaved-session.fit`` (a private
    folder of its own in the temp directory if that cannot be written), readable by the user
    alone (heart rate is health data); the path, or None when no file could be written."""
    stamp = (now or datetime.now(UTC)).astimezone().strftime("%Y-%m-%d-%H%M%S")
    record = rescue_record(runner)
    data = Path(platformdirs.user_data_dir("zonetrainer", appauthor=False)) / "unsaved"
    for where in (data, None):
        path = (where or Path(tempfile.gettempdir())) / f"{stamp}-unsaved-session.fit"
        try:
            path = _private_folder(where) / path.name
            export_session(record, "fit", path)
            os.chmod(path, 0o600)  # the folder is 0700: no one else could read it meanwhile
        except (OSError, ExportError) as exc:
            log.error("could not keep the session in %s: %s", path, exc)
            continue
        return path
    return None
