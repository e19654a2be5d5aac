"""Sessions out into the fitness world: FIT, TCX, CSV, a JSON summary and a one-page report.

``export_session(record, fmt, out_path)`` works from a :class:`SessionRecord` value (what
``Store.load`` returns) and returns every file it wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Final

from zonetrainer.core.errors import UserError
from zonetrainer.core.export.atomic import replace_files
from zonetrainer.core.model import SessionRecord

log = logging.getLogger(__name__)


class ExportError(UserError):
    """An export that cannot be written (unknown format, unwritable path)."""


Files = list[BinaryIO]


def _fit(record: SessionRecord, files: Files) -> None:
    from zonetrainer.core.export.fit import encode_fit
    files[0].write(encode_fit(record))


def _tcx(record: SessionRecord, files: Files) -> None:
    from zonetrainer.core.export.tcx import encode_tcx
    files[0].write(encode_tcx(record))


def _csv(record: SessionRecord, files: Files) -> None:
    from zonetrainer.core.export.csv import write_csv
    write_csv(record, *files)


def _json(record: SessionRecord, files: Files) -> None:
    from zonetrainer.core.export.json import write_json
    write_json(record, files[0])


def _html(record: SessionRecord, files: Files) -> None:
    from zonetrainer.core.export.report import write_html
    write_html(record, files[0])


def _pdf(record: SessionRecord, files: Files) -> None:
    from zonetrainer.core.export.report import write_pdf
    write_pdf(record, files[0])


def _png(record: SessionRecord, files: Files) -> None:
    from zonetrainer.core.export.report import write_png
    write_png(record, files[0])


# Writers import lazily: matplotlib and lxml cost a second at start-up that `run` should not pay.
_WRITERS: Final[dict[str, Callable[[SessionRecord, Files], None]]] = {
    "fit": _fit, "tcx": _tcx, "csv": _csv, "json": _json, "html": _html, "pdf": _pdf,
    "png": _png,
}
FORMATS: Final = tuple(_WRITERS)


def target_paths(fmt: str, out_path: Path) -> list[Path]:
    """Every file an export of ``fmt`` to ``out_path`` writes (CSV: three, the rest: one)."""
    if fmt == "csv":
        from zonetrainer.core.export.csv import sibling_paths
        return list(sibling_paths(out_path))
    return [out_path]


def default_name(record: SessionRecord, fmt: str) -> str:
    """A file name for a session export: ``2026-03-14-0730-session-42.fit``, the start in local
    time as the history lists it (it is stored in UTC)."""
    started = record.header.started_at.astimezone()
    return f"{started:%Y-%m-%d-%H%M}-session-{record.session_id}.{fmt}"


def export_session(record: SessionRecord, fmt: str, out_path: str | Path) -> list[Path]:
    """Write ``record`` as ``fmt`` (one of FORMATS) to ``out_path``; returns the files written.

    CSV writes three files next to each other (samples, ``-rr``, ``-intervals``). Existing
    files are replaced only once every new file is complete: a failed export leaves them as
    they were (see :mod:`.atomic`). Raises :class:`ExportError` for an unknown format or an
    unwritable path.
    """
    key = fmt.lower().lstrip(".")
    if key not in _WRITERS:
        raise ExportError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    out = Path(out_path)
    targets = target_paths(key, out)
    try:
        for target in targets:
            if target.is_dir():
                raise ExportError(f"cannot write {key} export: {target} is a directory")
        if not out.parent.is_dir():
            raise ExportError(f"cannot write {key} export: directory {out.parent} does not "
                              "exist")
        replace_files(targets, lambda files: _WRITERS[key](record, files))
    except OSError as exc:
        raise ExportError(f"cannot write {key} export to {out}: {exc.strerror or exc}") from exc
    log.info("exported session %s as %s: %s", record.session_id, key, targets)
    return targets


__all__ = ["FORMATS", "ExportError", "default_name", "export_session", "target_paths"]
