"""CSV recordings in: one row per heart-rate reading, with a header row naming the columns.

Columns (the first of each group that is present is used; names are case-insensitive):
time as ``t_s`` / ``elapsed_s`` / ``time_s`` / ``seconds`` (seconds from the start) or
``time_utc`` / ``timestamp`` (ISO 8601); heart rate as ``hr_bpm`` / ``heart_rate`` / ``hr`` /
``bpm``; optional ``rr_ms`` (values separated by spaces or semicolons), ``contact`` (0/1),
``energy_kj``. Columns may be separated by commas, semicolons or tabs. A file of RR intervals
alone (an ``rr_ms`` column and no heart-rate column, such as our own ``-rr.csv``, or one number
per line with no header) is read beat by beat. A file of seconds from 0 has no date: its start
is given at import (``recording_start``).
zonetrainer's own CSV export is read back exactly, with its laps from the ``-intervals.csv``
written beside it.

A bad value is an error naming the line and the column; only an incomplete last line (a file
cut off mid-write) is dropped with a warning.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Final, get_args

from zonetrainer.core.export.csv import sibling_paths
from zonetrainer.core.imports.checks import MAX_ENERGY_KJ, MAX_TIME_S
from zonetrainer.core.imports.recording import ImportFileError, Recording, RecordingLap
from zonetrainer.core.model import EffortSample, EffortUnit, HeartRateSample, IntervalKind

SECONDS_COLUMNS: Final = ("t_s", "elapsed_s", "time_s", "seconds")
CLOCK_COLUMNS: Final = ("time_utc", "timestamp")
HR_COLUMNS: Final = ("hr_bpm", "heart_rate", "hr", "bpm")
_KINDS: Final = frozenset(get_args(IntervalKind))
#: Beat intervals outside 200-3000 ms (300 to 20 bpm) are not heartbeats: a strap's artifact
#: (dropped, with a warning) or, when more than MAX_ARTIFACT_SHARE of them, a broken file or
#: not RR at all (an error).
MIN_RR_MS: Final = 200.0
MAX_RR_MS: Final = 3000.0
MAX_ARTIFACT_SHARE: Final = 0.05


#: More rows than this is no one session (a week at 1 Hz is 604,800 readings): refused as it
#: is read, before memory fills with a log of months (each reading costs about 400 bytes).
MAX_ROWS: Final = 700_000
#: The progress callback is told about every this many characters read.
PROGRESS_EVERY: Final = 1 << 20

Progress = Callable[[int, int], None]  # (bytes read so far, about; file size)


class _Table:
    """A CSV file read row by row (never whole: a 200 MB file is 200 MB of text, many times
    that as Python strings): its first row, then every row with its line and whether it is
    the last. Every decode error is an ImportFileError naming the line."""

    def __init__(self, path: Path, progress: Progress | None = None) -> None:
        self.path, self._progress = path, progress
        try:
            self._size = path.stat().st_size
            self._fh = path.open(encoding="utf-8-sig", newline="")
            head = self._fh.readline()
        except (OSError, UnicodeDecodeError) as exc:
            raise ImportFileError(f"cannot read {path}: {exc}") from exc
        if not head.strip():
            self._fh.close()
            raise ImportFileError(f"{path}: empty CSV file")
        # A spreadsheet in a comma-decimal locale writes ';' (or a tab) between columns.
        delimiter = max((",", ";", "\t"), key=head.count)
        self._read = len(head)
        self._reader = csv.reader(self._lines(head), delimiter=delimiter
                                  if delimiter in head else ",")
        self.first = self._next(1) or [""]

    def _lines(self, head: str) -> Iterator[str]:
        yield head
        told = 0
        for text in self._fh:
            self._read += len(text)
            if self._progress is not None and self._read - told >= PROGRESS_EVERY:
                told = self._read
                self._progress(min(self._read, self._size), self._size)
            yield text

    def _next(self, line: int) -> list[str] | None:
        try:
            return next(self._reader, None)
        except csv.Error as exc:  # a cell over the csv module's 128 KiB, a stray NUL
            raise ImportFileError(f"{self.path}, line {line}: not a CSV row ({exc})") from None
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{self.path}, line {line}: not UTF-8 text ({exc})") from None

    def rows(self, with_first: bool = False) -> Iterator[tuple[int, list[str], bool]]:
        """(line, row, is the last row), after the first row (or from it)."""
        line = 1 if with_first else 2
        row = self.first if with_first else self._next(line)
        try:
            while row is not None:
                if line > MAX_ROWS:
                    raise ImportFileError(f"{self.path}: more than {MAX_ROWS:,} rows: not one "
                                          "session (a week at 1 Hz is 604,800); split the file")
                after = self._next(line + 1)
                yield line, row, after is None
                line, row = line + 1, after
        finally:
            self._fh.close()
            if self._progress is not None:
                self._progress(self._size, self._size)


def _pick(names: list[str], choices: tuple[str, ...]) -> str | None:
    return next((c for c in choices if c in names), None)


def _float(text: str, path: Path, line: int, column: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ImportFileError(f"{path}, line {line}, column {column}: "
                              f"'{text}' is not a number") from None


def _moment(text: str, path: Path, line: int, column: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ImportFileError(f"{path}, line {line}, column {column}: '{text}' is not an "
                              "ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ImportFileError(f"{path}, line {line}, column {column}: '{text}' has no time zone")
    return moment


def read_csv(path: str | Path, progress: Progress | None = None) -> Recording:
    """Read a CSV recording (see the module docstring for the columns), row by row;
    ``progress(bytes read, file size)`` is told as it goes."""
    path = Path(path)
    rows = _Table(path, progress)
    names = [n.strip().lower() for n in rows.first]
    hr_col = _pick(names, HR_COLUMNS)
    sec_col, clock_col = _pick(names, SECONDS_COLUMNS), _pick(names, CLOCK_COLUMNS)
    if _is_number(names[0]) and len(names) == 1:
        return _beats(path, rows, header=False)
    if hr_col is None and "rr_ms" in names:
        # RR alone: zonetrainer's own x-rr.csv (beat, t_s, rr_ms), or a bare rr_ms column.
        return _beats(path, rows, header=True, sec_col=sec_col)
    if hr_col is None or (sec_col is None and clock_col is None):
        raise ImportFileError(
            f"{path}, line 1: need a heart-rate column ({', '.join(HR_COLUMNS)}) and a time "
            f"column ({', '.join(SECONDS_COLUMNS + CLOCK_COLUMNS)}); found: {', '.join(names)}; "
            "RR-only files are accepted too (an rr_ms column, one RR a line, or a FatMaxxer, "
            "HRV Logger, Polar Sensor Logger or Kubios RR export)")
    warnings: list[str] = []
    index = {n: i for i, n in enumerate(names)}
    started_at: datetime | None = None
    samples: list[HeartRateSample] = []
    efforts: list[EffortSample] = []
    source_id = f"csv:{path.name}"
    for line, row, last in rows.rows():
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(names):
            if last:
                warnings.append(f"file truncated: incomplete last line {line} dropped; "
                                f"kept {len(samples)} samples")
                break
            raise ImportFileError(f"{path}, line {line}: {len(row)} columns, header has "
                                  f"{len(names)}")
        cell = {n: row[i] for n, i in index.items()}
        moment = _moment(cell[clock_col], path, line, clock_col) if clock_col else None
        if started_at is None and moment is not None:
            started_at = moment
        if sec_col is not None:
            t_s = _float(cell[sec_col], path, line, sec_col)
            if t_s is None:
                raise ImportFileError(f"{path}, line {line}, column {sec_col}: empty time")
        else:
            assert moment is not None and started_at is not None
            t_s = (moment - started_at).total_seconds()
        if t_s > MAX_TIME_S:  # said now, not after reading months more into memory
            raise ImportFileError(f"{path}, line {line}: time {t_s:g} s is beyond a week from "
                                  "the start: not one session; split the file")
        if samples and t_s < samples[-1].t_s:
            raise ImportFileError(f"{path}, line {line}: time {t_s} s goes back before "
                                  f"{samples[-1].t_s} s")
        effort = _effort(cell, path, line, t_s, source_id)
        if effort is not None:
            efforts.append(effort)
            if not any(cell.get(c, "").strip() for c in (hr_col, "rr_ms", "contact",
                                                          "energy_kj")):
                continue  # a machine's reading at its own time, not a heart-rate sample
        hr = _float(cell[hr_col], path, line, hr_col)
        if hr is not None and not math.isfinite(hr):
            raise ImportFileError(f"{path}, line {line}, column {hr_col}: {hr} is not a "
                                  "heart rate")
        if t_s is None or not math.isfinite(t_s):
            raise ImportFileError(f"{path}, line {line}: time {t_s} is not a time")
        rr_text = cell.get("rr_ms", "").replace(";", " ").split()
        rr = tuple(v for v in (_float(x, path, line, "rr_ms") for x in rr_text) if v is not None)
        contact_text = cell.get("contact", "").strip()
        contact = None if not contact_text else contact_text not in ("0", "false", "False")
        energy = _float(cell.get("energy_kj", ""), path, line, "energy_kj")
        if energy is not None and not 0 <= energy <= MAX_ENERGY_KJ:  # nan fails both
            raise ImportFileError(f"{path}, line {line}, column energy_kj: {energy} is not an "
                                  "energy in kJ")
        samples.append(HeartRateSample(
            t_s, hr if hr else None, rr, False if hr == 0 else contact,
            None if energy is None else int(energy), cell.get("source_id") or source_id))
    if not any(s.hr_bpm is not None for s in samples):
        warnings.append("no heart-rate values in this file")
    return Recording(str(path), "csv", started_at, "generic", "csv file", tuple(samples),
                     tuple(_laps(path)), tuple(warnings), tuple(efforts))


#: Effort columns: ours (``effort`` in ``effort_unit``), or a power or speed column.
EFFORT_COLUMNS: Final[dict[str, EffortUnit]] = {"power_w": "W", "watts": "W", "speed_kmh": "km/h"}


def _effort(cell: dict[str, str], path: Path, line: int, t_s: float, source_id: str
            ) -> EffortSample | None:
    """The effort reading of a row, if it has one."""
    unit_text = cell.get("effort_unit", "").strip()
    if unit_text:
        if unit_text not in get_args(EffortUnit):
            raise ImportFileError(f"{path}, line {line}, column effort_unit: '{unit_text}' is "
                                  f"not one of {', '.join(get_args(EffortUnit))}")
        value = _float(cell.get("effort", ""), path, line, "effort")
        unit: EffortUnit = unit_text  # type: ignore[assignment]
    else:
        column = next((c for c in EFFORT_COLUMNS if cell.get(c, "").strip()), None)
        if column is None:
            return None
        value, unit = _float(cell[column], path, line, column), EFFORT_COLUMNS[column]
    numbers = {c: _float(cell.get(c, ""), path, line, c)
               for c in ("target_effort", "incline_pct", "cadence_rpm")}
    for column, number in (("effort", value), *numbers.items()):
        if number is not None and not math.isfinite(number):
            raise ImportFileError(f"{path}, line {line}, column {column}: {number} is not a "
                                  "finite number")
    return EffortSample(t_s, value, unit, cell.get("source_id") or source_id,
                        numbers["target_effort"], numbers["incline_pct"],
                        numbers["cadence_rpm"])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _beats(path: Path, rows: _Table, header: bool,
           sec_col: str | None = None) -> Recording:
    """RR intervals only, one beat a row. With a seconds column (our own ``-rr.csv``: the time
    of the reading each beat came in) the beats of one time make one sample at that time, with
    the heart rate 60000 / their mean RR; without one, each beat is a sample at the time it
    ended (the RR added up), with the instantaneous heart rate 60000 / RR."""
    names = [n.strip().lower() for n in rows.first] if header else ["rr_ms"]
    column, time_column = names.index("rr_ms"), names.index(sec_col) if sec_col else None
    beats: list[tuple[float, float]] = []  # (time in s, rr in ms)
    artifacts: list[tuple[int, float]] = []  # (line, rr in ms) out of a heartbeat's range
    t_ms = 0.0
    for line, row, _last in rows.rows(with_first=not header):
        if not any(cell.strip() for cell in row):
            continue
        rr = _float(row[column] if column < len(row) else "", path, line, "rr_ms")
        if rr is None or rr <= 0:
            raise _not_a_beat(path, line, rr)
        t_ms += rr
        if not MIN_RR_MS <= rr <= MAX_RR_MS:
            artifacts.append((line, rr))
            continue
        t_s = t_ms / 1000.0
        if time_column is not None and sec_col is not None:
            moment = _float(row[time_column] if time_column < len(row) else "", path, line,
                            sec_col)
            if moment is None:
                raise ImportFileError(f"{path}, line {line}, column {sec_col}: empty time")
            t_s = moment
            if beats and t_s < beats[-1][0]:
                raise ImportFileError(f"{path}, line {line}: time {t_s} s goes back before "
                                      f"{beats[-1][0]} s")
        beats.append((t_s, rr))
    if artifacts and len(artifacts) > MAX_ARTIFACT_SHARE * (len(beats) + len(artifacts)):
        raise _not_a_beat(path, *artifacts[0])
    if not beats:
        raise ImportFileError(f"{path}: no RR intervals in it")
    source_id = f"csv:{path.name}"
    if time_column is None:
        samples = tuple(HeartRateSample(t_s, 60000.0 / rr, (rr,), None, None, source_id)
                        for t_s, rr in beats)
    else:
        by_time: dict[float, list[float]] = {}  # times never go back: groups are consecutive
        for t_s, rr in beats:
            by_time.setdefault(t_s, []).append(rr)
        samples = tuple(HeartRateSample(t_s, 60000.0 * len(rrs) / sum(rrs), tuple(rrs), None,
                                        None, source_id) for t_s, rrs in by_time.items())
    warnings = ["heart rate derived from the RR intervals of each reading (60000 / their mean)"
                if time_column is not None else
                "heart rate derived beat by beat from the RR intervals (60000 / RR)"]
    if artifacts:
        plural = "s" if len(artifacts) != 1 else ""
        warnings.append(f"{len(artifacts)} beat interval{plural} outside {MIN_RR_MS:.0f}-"
                        f"{MAX_RR_MS:.0f} ms dropped as artifacts (first on line "
                        f"{artifacts[0][0]})")
    return Recording(str(path), "csv", None, "generic", "csv file (RR intervals)",
                     samples, (), tuple(warnings))


def _not_a_beat(path: Path, line: int, rr: float | None) -> ImportFileError:
    return ImportFileError(f"{path}, line {line}, column rr_ms: {rr} ms is not a beat "
                           f"interval ({MIN_RR_MS:.0f}-{MAX_RR_MS:.0f} ms)")


def _lap_extras(row: dict[str, str]) -> dict[str, Any]:
    """Timer time and mean effort of an interval row (columns added with issue 13/16)."""
    def number(name: str) -> float | None:
        text = (row.get(name) or "").strip()
        return float(text) if text else None  # ValueError: the caller's bad-row message
    unit = (row.get("effort_unit") or "").strip()
    if unit and unit not in get_args(EffortUnit):
        raise ValueError(f"effort_unit '{unit}'")
    return {"timer_s": number("timer_s"), "avg_effort": number("avg_effort"),
            "avg_target_effort": number("avg_target_effort"), "effort_unit": unit or None}


def _read_laps(path: Path) -> list[RecordingLap]:
    intervals = sibling_paths(path)[2]
    if not intervals.is_file():
        return []
    laps = []
    with intervals.open(newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                kind = row["kind"] if row["kind"] in _KINDS else "work"
                avg, peak = row.get("avg_hr_bpm") or "", row.get("max_hr_bpm") or ""
                laps.append(RecordingLap(float(row["start_s"]), float(row["end_s"]),
                                         kind, row["kind"],  # type: ignore[arg-type]
                                         float(avg) if avg else None,
                                         float(peak) if peak else None,
                                         f"planned {row['planned_s']} s, ended: "
                                         f"{row['end_reason']}", **_lap_extras(row)))
            except (KeyError, ValueError) as exc:
                raise ImportFileError(f"{intervals}, line {line}: bad interval row ({exc})"
                                      ) from exc
    return laps


def _laps(path: Path) -> list[RecordingLap]:
    """Laps from the ``-intervals.csv`` beside a zonetrainer CSV export, if there is one."""
    try:
        return _read_laps(path)
    except (UnicodeDecodeError, csv.Error, OSError) as exc:
        raise ImportFileError(f"cannot read {sibling_paths(path)[2]}, the intervals beside "
                              f"{path.name}: {exc}") from None
