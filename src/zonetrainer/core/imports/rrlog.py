"""RR logs from other apps in: beat-to-beat intervals alone, each beat a sample.

Told apart by their first lines (their published layouts):

* FatMaxxer: ``timestamp,rr,since_start``: epoch ms of each beat's arrival, RR in ms, ms since
  the first beat (older versions write the header ``timestamp,rr``);
* HRV Logger: ``date,rr,since start``: local date and time of each beat, RR in ms, ms since start;
* Polar Sensor Logger: ``Phone timestamp;RR-interval [ms]``: the phone's local ISO time, RR in ms;
* Kubios: a results report (``HRV ANALYSIS RESULTS`` ... ``RR INTERVAL DATA``: time and RR in
  seconds) or a series export (``#`` comment lines, then one RR a line);
* Elite HRV and many others: one RR a line, no header (ms; values under 10 are seconds).

A beat's time is where its interval ends, the RR added up from the first: the apps' own per-row
times are arrival times with Bluetooth jitter (FatMaxxer's even go back), so they only date the
start (the first beat's time minus its interval). Local times without a zone are read in this
computer's zone, and a warning says so. The heart rate of each beat is 60000 / RR.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from zonetrainer.core.imports.csv import MAX_ARTIFACT_SHARE, MAX_RR_MS, MIN_RR_MS
from zonetrainer.core.imports.recording import ImportFileError, Recording
from zonetrainer.core.model import HeartRateSample

#: The apps whose RR exports are read, for messages.
RR_FORMATS: Final = ("FatMaxxer", "HRV Logger", "Polar Sensor Logger", "Kubios",
                     "Elite HRV (one RR a line)")
#: How much of a file is looked at to tell its format.
_SNIFF_BYTES: Final = 4096

_FATMAXXER, _HRVLOGGER, _POLAR = "FatMaxxer", "HRV Logger", "Polar Sensor Logger"
_KUBIOS_REPORT, _KUBIOS_SERIES = "Kubios report", "Kubios series"
#: A file of one number a line (Elite HRV and others).
PLAIN: Final = "one RR a line"
_PLAIN: Final = PLAIN


def accepted_text() -> str:
    """'RR logs alone are accepted too: FatMaxxer, ...' for error messages."""
    return f"RR-only files are accepted too ({', '.join(RR_FORMATS)})"


def sniff(path: Path) -> str | None:
    """Which RR log ``path`` is (a name from this module), or None when it is none of them."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES).decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    if not lines:
        return None
    first = lines[0].lower().replace(" ", "")
    if first.startswith("timestamp,rr"):
        return _FATMAXXER
    if first.startswith("date,rr"):
        return _HRVLOGGER
    if first.startswith("phonetimestamp;rr-interval"):
        return _POLAR
    if first.startswith("hrvanalysisresults"):
        return _KUBIOS_REPORT
    if first.startswith("#") and "kubios" in first:
        return _KUBIOS_SERIES
    if _number(lines[0]) is not None:
        return _PLAIN
    return None


def read_rrlog(path: str | Path, kind: str | None = None) -> Recording:
    """Read an RR log (see the module docstring). Raises ImportFileError."""
    path = Path(path)
    kind = kind or sniff(path)
    if kind is None:
        raise ImportFileError(f"cannot import {path}: not an RR log zonetrainer knows; "
                              f"{accepted_text()}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"cannot read {path}: {exc}") from exc
    lines = text.splitlines()
    if kind == _KUBIOS_REPORT:
        rows, start, zoned = _kubios_report(path, lines)
    elif kind in (_KUBIOS_SERIES, _PLAIN):
        rows, start, zoned = _plain(path, lines), None, True
    else:
        rows, start, zoned = _columns(path, lines, kind)
    return _recording(path, kind, rows, start, zoned)


def _number(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def _rr(path: Path, line: int, text: str) -> float:
    value = _number(text)
    if value is None or not math.isfinite(value):
        raise ImportFileError(f"{path}, line {line}: '{text.strip()}' is not an RR interval")
    return value * 1000.0 if 0.0 < value < 10.0 else value  # seconds, as Kubios writes them


def _plain(path: Path, lines: list[str]) -> list[tuple[int, float]]:
    rows = []
    for line, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        rows.append((line, _rr(path, line, raw)))
    return rows


def _columns(path: Path, lines: list[str], kind: str
             ) -> tuple[list[tuple[int, float]], datetime | None, bool]:
    """FatMaxxer, HRV Logger, Polar Sensor Logger: a time column first, RR second."""
    delimiter = ";" if kind == _POLAR else ","
    rows: list[tuple[int, float]] = []
    first_time: str | None = None
    for line, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        cells = raw.split(delimiter)
        if len(cells) < 2:
            if line == len(lines):
                break  # a last line cut off mid-write
            raise ImportFileError(f"{path}, line {line}: expected a time and an RR interval")
        rows.append((line, _rr(path, line, cells[1])))
        if first_time is None:
            first_time = cells[0].strip()
    if first_time is None:
        return rows, None, True
    if kind == _FATMAXXER:
        epoch_ms = _number(first_time)
        if epoch_ms is None or not math.isfinite(epoch_ms) or not 0 < epoch_ms < 1e14:
            raise ImportFileError(f"{path}, line 2: '{first_time}' is not a time in epoch ms")
        return rows, datetime.fromtimestamp(epoch_ms / 1000.0, UTC), True
    try:
        moment = datetime.fromisoformat(first_time.replace("Z", "+00:00"))
    except ValueError:
        raise ImportFileError(f"{path}, line 2: '{first_time}' is not a date and time") from None
    return rows, moment, moment.tzinfo is not None


def _kubios_report(path: Path, lines: list[str]
                   ) -> tuple[list[tuple[int, float]], datetime | None, bool]:
    """The RR column of a Kubios report's RR INTERVAL DATA section (after the units row)."""
    start: datetime | None = None
    for raw in lines:
        if raw.strip().lower().startswith("measurement date:"):
            start = _kubios_date(raw.split(":", 1)[1].strip())
            break
    begin = next((i for i, raw in enumerate(lines) if raw.upper().startswith("RR INTERVAL DATA")),
                 None)
    if begin is None:
        raise ImportFileError(f"{path}: a Kubios report without its RR INTERVAL DATA section "
                              "(export the report with the RR data)")
    units = next((i for i in range(begin, min(begin + 8, len(lines)))
                  if "(s)" in lines[i]), None)
    if units is None:
        raise ImportFileError(f"{path}, line {begin + 1}: no time and RR columns under "
                              "RR INTERVAL DATA")
    rows = []
    for i in range(units + 1, len(lines)):
        cells = [c.strip() for c in lines[i].split(",")]
        if len(cells) < 3 or not cells[2]:
            if any(cells[1:3]):
                continue
            break  # the RR column ended (the spectrum columns may go on)
        rows.append((i + 1, _rr(path, i + 1, cells[2])))
    return rows, start, False


def _kubios_date(text: str) -> datetime | None:
    # Kubios writes day/month/year (it is Finnish software); "xx/xx/xx" when it does not know.
    for layout in ("%d/%m/%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    return None


def _recording(path: Path, kind: str, rows: list[tuple[int, float]], start: datetime | None,
               zoned: bool) -> Recording:
    beats: list[tuple[float, float]] = []
    artifacts: list[tuple[int, float]] = []
    t_ms = 0.0
    for line, rr in rows:
        if rr <= 0:
            raise ImportFileError(f"{path}, line {line}: {rr:g} ms is not a beat interval")
        t_ms += rr
        if MIN_RR_MS <= rr <= MAX_RR_MS:
            beats.append((t_ms / 1000.0, rr))
        else:
            artifacts.append((line, rr))
    if artifacts and len(artifacts) > MAX_ARTIFACT_SHARE * len(rows):
        line, rr = artifacts[0]
        raise ImportFileError(f"{path}, line {line}: {rr:g} ms is not a beat interval "
                              f"({MIN_RR_MS:.0f}-{MAX_RR_MS:.0f} ms), and "
                              f"{len(artifacts)} of {len(rows)} are not: not an RR log")
    if not beats:
        raise ImportFileError(f"{path}: no RR intervals in it")
    warnings = ["heart rate derived beat by beat from the RR intervals (60000 / RR)"]
    if artifacts:
        warnings.append(f"{len(artifacts)} beat interval(s) outside {MIN_RR_MS:.0f}-"
                        f"{MAX_RR_MS:.0f} ms dropped as artifacts (first on line "
                        f"{artifacts[0][0]})")
    started_at = None
    if start is not None:
        if not zoned or start.tzinfo is None:
            start = start.astimezone()  # a local time of day: this computer's zone
            warnings.append("the file's times have no time zone: read in this computer's")
        # The first row dates the first beat, which ends the first interval.
        started_at = (start - timedelta(milliseconds=rows[0][1])).astimezone(UTC)
    source_id = f"rr:{path.name}"
    samples = tuple(HeartRateSample(t_s, 60000.0 / rr, (rr,), None, None, source_id)
                    for t_s, rr in beats)
    return Recording(str(path), "rr", started_at, "generic", f"{kind} RR log", samples, (),
                     tuple(warnings))
