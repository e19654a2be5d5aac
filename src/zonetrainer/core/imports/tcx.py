"""TCX (Garmin Training Center v2) files in: trackpoints with heart rate, laps, sport, device.

Parsed incrementally with lxml, so a file cut off mid-way keeps every trackpoint before the cut
and says so; a file that is not TCX at all is an error.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import Final, get_args

from lxml import etree

from zonetrainer.core.imports.recording import (
    ImportFileError,
    Recording,
    RecordingLap,
    kind_of,
    no_hr_warning,
)
from zonetrainer.core.model import EffortSample, EffortUnit, HeartRateSample, IntervalKind

TCX_NS: Final = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
#: Garmin's Activity Extension v2: TPX Speed (m/s) / Watts per trackpoint, LX per lap.
AX_NS: Final = "{http://www.garmin.com/xmlschemas/ActivityExtension/v2}"
_KMH_PER_MS: Final = 3.6
_KINDS: Final = frozenset(get_args(IntervalKind))
SPORT_BY_TCX: Final = {"Running": "running", "Biking": "cycling", "Other": "generic"}


def _time(text: str | None, path: Path) -> datetime:
    try:
        moment = datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ImportFileError(f"{path}: bad time '{text}' in a TCX file") from exc
    if moment.tzinfo is None:
        raise ImportFileError(f"{path}: time '{text}' has no time zone")
    return moment


def _hr(node: etree._Element, tag: str) -> float | None:
    value = node.findtext(f"{TCX_NS}{tag}/{TCX_NS}Value")
    try:
        hr = float(value) if value is not None else None
    except ValueError:
        return None
    return hr if hr is not None and hr > 0 else None


def _ax_number(node: etree._Element, path: str) -> float | None:
    text = node.findtext(path)
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) and value >= 0 else None


def _effort(node: etree._Element, extension: str, speed: str, watts: str
            ) -> tuple[float, EffortUnit] | None:
    """The speed (as km/h) or power of a trackpoint's TPX or a lap's LX extension."""
    base = f"{TCX_NS}Extensions/{AX_NS}{extension}/{AX_NS}"
    power = _ax_number(node, base + watts)
    if power is not None:
        return power, "W"
    value = _ax_number(node, base + speed)
    return (value * _KMH_PER_MS, "km/h") if value is not None else None


def read_tcx(path: str | Path) -> Recording:
    """Read the first activity of a TCX file."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"cannot read {path}: no such file")
    points: list[tuple[datetime, float | None]] = []
    efforts: list[tuple[datetime, float, EffortUnit, bool]] = []  # (.., no heart rate with it)
    raw_laps: list[tuple[datetime, float, str, float | None, float | None, str]] = []
    lap_efforts: list[tuple[float, EffortUnit] | None] = []
    warnings: list[str] = []
    sport, device, activity_id = "generic", "unknown device", None
    root_seen = False
    try:
        for event, node in etree.iterparse(str(path), events=("start", "end"),
                                           resolve_entities=False, no_network=True):
            tag = node.tag if isinstance(node.tag, str) else ""
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if tag != f"{TCX_NS}TrainingCenterDatabase":
                        raise ImportFileError(f"{path}: not a TCX file (root element {tag})")
                if tag == f"{TCX_NS}Activity":
                    sport = SPORT_BY_TCX.get(node.get("Sport") or "", "generic")
                continue
            if tag == f"{TCX_NS}Trackpoint":
                stamp = node.findtext(f"{TCX_NS}Time")
                if stamp is not None:
                    moment, hr = _time(stamp, path), _hr(node, "HeartRateBpm")
                    effort = _effort(node, "TPX", "Speed", "Watts")
                    if effort is not None:
                        efforts.append((moment, *effort,
                                        node.find(f"{TCX_NS}HeartRateBpm") is None))
                    points.append((moment, hr))
                node.clear()
            elif tag == f"{TCX_NS}Lap":
                raw_laps.append((_time(node.get("StartTime"), path),
                                 float(node.findtext(f"{TCX_NS}TotalTimeSeconds") or 0.0),
                                 node.findtext(f"{TCX_NS}Intensity") or "",
                                 _hr(node, "AverageHeartRateBpm"),
                                 _hr(node, "MaximumHeartRateBpm"),
                                 node.findtext(f"{TCX_NS}Notes") or ""))
                lap_efforts.append(_effort(node, "LX", "AvgSpeed", "AvgWatts"))
            elif tag == f"{TCX_NS}Id" and activity_id is None:
                activity_id = _time(node.text, path)
            elif tag == f"{TCX_NS}Creator":
                device = node.findtext(f"{TCX_NS}Name") or device
    except etree.XMLSyntaxError as exc:
        if not points:
            raise ImportFileError(f"{path}: not a readable TCX file ({exc})") from exc
        warnings.append(f"file truncated after {len(points)} trackpoints; "
                        "kept what could be read")
    except ValueError as exc:
        raise ImportFileError(f"{path}: bad number in a TCX lap ({exc})") from exc
    starts = [p[0] for p in points[:1]] + [lap[0] for lap in raw_laps[:1]]
    starts += [activity_id] if activity_id else []
    start = min(starts) if starts else None
    source_id = f"tcx:{path.name}"
    # Our own TCX gives an effort reading without a heart rate a trackpoint of its own.
    alone = {t for t, _, _, no_hr in efforts if no_hr} if device == "zonetrainer" else set()
    samples = tuple(HeartRateSample((t - start).total_seconds(), hr, (), None, None, source_id)
                    for t, hr in points if t not in alone) if start else ()
    laps = []
    begins = [(lap[0] - start).total_seconds() if start else 0.0 for lap in raw_laps]
    last_s = (points[-1][0] - start).total_seconds() if start and points else 0.0
    for n, (_begin, length, intensity, avg, peak, notes) in enumerate(raw_laps):
        begin_s = begins[n]
        # TotalTimeSeconds is the timer time: a lap paused for a while ends at the next one's
        # start (the last lap at its last trackpoint), later than its timer time says.
        end_s = begins[n + 1] if n + 1 < len(begins) else last_s
        end_s = max(begin_s + length, end_s)
        # Our own TCX names the interval kind first in the lap notes ("warmup, planned ...").
        first = notes.split(",", 1)[0].strip()
        kind = first if first in _KINDS else kind_of(intensity)
        lap_effort = lap_efforts[n]
        laps.append(RecordingLap(begin_s, end_s, kind, intensity, avg, peak,  # type: ignore[arg-type]
                                 notes, timer_s=length,
                                 avg_effort=lap_effort[0] if lap_effort else None,
                                 effort_unit=lap_effort[1] if lap_effort else None))
    warnings += no_hr_warning(samples)
    unit = efforts[0][2] if efforts else None
    return Recording(str(path), "tcx", start, sport, device, samples, tuple(laps),
                     tuple(warnings),
                     tuple(EffortSample((t - start).total_seconds(), value, u, source_id)
                           for t, value, u, _ in efforts if u == unit) if start else (),
                     sum(lap.timer_s or 0.0 for lap in laps) if laps else None)
