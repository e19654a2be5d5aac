"""Sessions out into the fitness world: FIT, TCX, CSV, a JSON summary and a one-page report.

``export_session(record, fmt, out_path)`` works from a :class:`SessionRecord` value (what
``Store.load`` returns) and returns every file it wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Final

from zonetrainer.core.errors import UserError
from zonetrainer.core.model import SessionRecord

log = logging.getLogger(__name__)


class ExportError(UserError):
    """An export that cannot be written (unknown format, unwritable path)."""


def _fit(record: SessionRecord, out: Path) -> list[Path]:
    from zonetrainer.core.export.fit import encode_fit
    out.write_bytes(encode_fit(record))
    return [out]


def _tcx(record: SessionRecord, out: Path) -> list[Path]:
    from zonetrainer.core.export.tcx import encode_tcx
    out.write_bytes(encode_tcx(record))
    return [out]


def _csv(record: SessionRecord, out: Path) -> list[Path]:
    from zonetrainer.core.export.csv import write_csv
    return write_csv(record, out)


def _json(record: SessionRecord, out: Path) -> list[Path]:
    from zonetrainer.core.export.json import write_json
    return write_json(record, out)


def _html(record: SessionRecord, out: Path) -> list[Path]:
    from zonetrainer.core.export.report import write_html
    return write_html(record, out)


def _pdf(record: SessionRecord, out: Path) -> list[Path]:
    from zonetrainer.core.export.report import write_pdf
    return write_pdf(record, out)


def _png(record: SessionRecord, out: Path) -> list[Path]:
    from zonetrainer.core.export.report import write_png
    return write_png(record, out)


# Writers import lazily: matplotlib and lxml cost a second at start-up that `run` should not pay.
_WRITERS: Final[dict[str, Callable[[SessionRecord, Path], list[Path]]]] = {
    "fit": _fit, "tcx": _tcx, "csv": _csv, "json": _json, "html": _html, "pdf": _pdf,
    "png": _png,
}
FORMATS: Final = tuple(_WRITERS)


def default_name(record: SessionRecord, fmt: str) -> str:
    """A file name for a session export: ``2026-03-14-0730-session-42.fit``."""
    return f"{record.header.started_at:%Y-%m-%d-%H%M}-session-{record.session_id}.{fmt}"


def export_session(record: SessionRecord, fmt: str, out_path: str | Path) -> list[Path]:
    """Write ``record`` as ``fmt`` (one of FORMATS) to ``out_path``; returns the files written.

    CSV writes three files next to each other (samples, ``-rr``, ``-intervals``). An existing
    file is replaced. Raises :class:`ExportError` for an unknown format or an unwritable path.
    """
    key = fmt.lower().lstrip(".")
    if key not in _WRITERS:
        raise ExportError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    out = Path(out_path)
    try:
        if out.is_dir():
            raise ExportError(f"cannot write {key} export: {out} is a directory")
        if not out.parent.is_dir():
            raise ExportError(f"cannot write {key} export: directory {out.parent} does not "
                              "exist")
        written = _WRITERS[key](record, out)
    except OSError as exc:
        raise ExportError(f"cannot write {key} export to {out}: {exc.strerror or exc}") from exc
    log.info("exported session %s as %s: %s", record.session_id, key, written)
    return written


__all__ = ["FORMATS", "ExportError", "default_name", "export_session"]
