"""Is this recording already in the history? Recorded or imported, in any file format.

A session recorded here and exported, then imported again (its FIT, then its TCX), is the same
session: same athlete, same start within a second or two, about the same length. A recording
whose start is not its own (a CSV of seconds from 0: the start is the file's modification time
or one the user gave) proves nothing by its start, so it is the same only as a stored import of
the very same file (the same SHA-256): two different recordings are never called duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Final

from zonetrainer.core.imports import START_FROM_FILE
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.store import SessionListing, Store

#: FIT keeps whole seconds, TCX milliseconds: one session's files start this close.
START_TOLERANCE_S: Final = 2.0
#: Lengths agree within this many seconds or this share of the longer, whichever is more
#: (a file's last record and the session's end differ by a sample or a rounded second).
LENGTH_TOLERANCE_S: Final = 5.0
LENGTH_TOLERANCE_SHARE: Final = 0.02


def _import_info(record: SessionRecord) -> dict[str, object]:
    try:
        info = json.loads(record.extra.get("import", "{}"))
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}


def _own_start(info: dict[str, object]) -> bool:
    # Imports stored before the start was noted all had a start of their own or 1970.
    return info.get("start_from", START_FROM_FILE) == START_FROM_FILE


def _similar_length(a_s: float | None, b_s: float | None) -> bool:
    if a_s is None or b_s is None:
        return True  # a session never summed up: its start alone has to do
    return abs(a_s - b_s) <= max(LENGTH_TOLERANCE_S, LENGTH_TOLERANCE_SHARE * max(a_s, b_s))


def is_stub(listing: SessionListing) -> bool:
    """A session left "running" without a summary: what a run that lost its database wrote
    before it kept the whole session in a file. Never a duplicate: the file replaces it."""
    return listing.status == "running" and listing.duration_s is None


def stored_twin(store: Store, record: SessionRecord) -> SessionListing | None:
    """The stored session (recorded or imported) that ``record`` (from
    :func:`recording_to_record`) is a copy of, if there is one; a stub (:func:`is_stub`) only
    when there is no whole session to match."""
    stubs = []
    for listing in _twins(store, record):
        if not is_stub(listing):
            return listing
        stubs.append(listing)
    return stubs[0] if stubs else None


def _twins(store: Store, record: SessionRecord) -> Iterator[SessionListing]:
    started = record.header.started_at
    tolerance = timedelta(seconds=START_TOLERANCE_S)
    info = _import_info(record)
    length_s = None if record.summary is None else record.summary.duration_s
    for listing in store.list_sessions(since=started - tolerance,
                                       athlete=record.header.athlete_name):
        if abs(listing.started_at - started) > tolerance:
            continue
        stored_info = _import_info(store.load(listing.id)) if listing.status == "imported" \
            else {}
        if not (_own_start(info) and _own_start(stored_info)):
            if info.get("sha256") is not None and info.get("sha256") == stored_info.get("sha256"):
                yield listing
            continue
        if _similar_length(listing.duration_s, length_s):
            yield listing
