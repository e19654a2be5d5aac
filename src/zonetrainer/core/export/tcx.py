"""A session as a Garmin Training Center (TCX v2) file: a lap per interval, a trackpoint per sample.

Valid against Garmin's published schema (TrainingCenterDatabasev2.xsd; the tests check it with
lxml). TCX knows only two intensities, ``Active`` and ``Resting``: rest intervals are Resting,
everything else Active; the interval's own kind and why it ended go into the lap's Notes.
A lap's ``TotalTimeSeconds`` is its timer (moving) time, as Garmin devices write it; its
StartTime and the next lap's tell the elapsed time. The effort goes into Garmin's Activity
Extension v2 (the namespace Garmin Connect and Strava read): ``TPX`` Speed (m/s) or Watts per
Trackpoint, ``LX`` AvgSpeed or AvgWatts and MaxWatts per lap, placed in each element's
``Extensions``, which the TCX schema leaves open to other namespaces.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import Final

from lxml import etree

from zonetrainer import __version__
from zonetrainer.core.export.fit import as_utc, fit_hr, session_end_s
from zonetrainer.core.export.fit_effort import KMH_PER_MS, lap_effort_fields, record_stream
from zonetrainer.core.model import EffortSample, HeartRateSample, IntervalRecord, SessionRecord
from zonetrainer.core.signal import mean_hr_bpm
from zonetrainer.core.timing import interval_timer_s, paused_spans

Point = tuple[float, HeartRateSample | None, EffortSample | None]

TCX_NS: Final = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
AX_NS: Final = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
_NSMAP: Final = {None: TCX_NS, "xsi": XSI_NS, "ax": AX_NS}

#: TCX v2 Sport_t allows only these three.
SPORT_BY_NAME: Final = {"running": "Running", "run": "Running", "cycling": "Biking",
                        "ride": "Biking", "bike": "Biking", "indoor_cycling": "Biking"}


def tcx_time(moment: datetime) -> str:
    """xsd:dateTime in UTC with milliseconds, as Garmin Connect writes it."""
    moment = as_utc(moment)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


#: Characters XML 1.0 cannot carry (control characters other than tab, newline, return).
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _el(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{TCX_NS}}}{tag}")
    if text is not None:
        # A plan's free text (an end reason, an exercise name) must not break the file.
        child.text = _NOT_XML.sub("\ufffd", text)
    return child


def _hr(parent: etree._Element, tag: str, hr_bpm: float | None) -> None:
    if hr_bpm is not None and math.isfinite(hr_bpm) and 1 <= round(hr_bpm) <= 255:
        _el(_el(parent, tag), "Value", str(round(hr_bpm)))


def _laps(record: SessionRecord) -> list[IntervalRecord]:
    if record.intervals:
        return list(record.intervals)
    end_s = session_end_s(record)
    return [IntervalRecord(0, "work", 0.0, end_s, end_s, "end")]


def _split(points: list[Point], laps: list[IntervalRecord]) -> list[list[Point]]:
    """Each point into the lap whose time span holds it; strays go to the nearest end lap."""
    out: list[list[Point]] = [[] for _ in laps]
    index = 0
    for point in points:
        while index < len(laps) - 1 and point[0] >= laps[index].end_s:
            index += 1
        out[index].append(point)
    return out


def _ax(parent: etree._Element, tag: str, children: list[tuple[str, str]]) -> None:
    if not children:
        return
    node = etree.SubElement(_el(parent, "Extensions"), f"{{{AX_NS}}}{tag}")
    for name, text in children:
        etree.SubElement(node, f"{{{AX_NS}}}{name}").text = text


def _tpx(effort: EffortSample | None) -> list[tuple[str, str]]:
    """Speed (m/s) or Watts (unsigned short) of one reading; in the schema's order."""
    value = None if effort is None else effort.value
    if effort is None or value is None or not math.isfinite(value) or value < 0:
        return []
    if effort.unit == "km/h":
        return [("Speed", f"{value / KMH_PER_MS:.3f}")]
    return [("Watts", str(round(value)))] if round(value) <= 65535 else []


def _lx(lap: IntervalRecord, efforts: tuple[EffortSample, ...]) -> list[tuple[str, str]]:
    fields = lap_effort_fields(lap, efforts)
    out = []
    if "avg_speed" in fields:
        out.append(("AvgSpeed", f"{fields['avg_speed']:.3f}"))
    if "avg_power" in fields:
        out.append(("AvgWatts", str(fields["avg_power"])))
    if "max_power" in fields:
        out.append(("MaxWatts", str(fields["max_power"])))
    return out


def encode_tcx(record: SessionRecord) -> bytes:
    """The TCX document of a session, as UTF-8 bytes with an XML declaration."""
    header = record.header
    start = header.started_at
    root = etree.Element(f"{{{TCX_NS}}}TrainingCenterDatabase", nsmap=_NSMAP)
    root.set(f"{{{XSI_NS}}}schemaLocation",
             f"{TCX_NS} http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd")
    activity = _el(_el(root, "Activities"), "Activity")
    activity.set("Sport", SPORT_BY_NAME.get(header.sport.lower(), "Other"))
    _el(activity, "Id", tcx_time(start))
    laps = _laps(record)
    spans = paused_spans(record.events, session_end_s(record))
    points = list(record_stream(record.samples, record.efforts, fit_hr))
    for lap, lap_points in zip(laps, _split(points, laps), strict=True):
        lap_samples = [p[1] for p in lap_points if p[1] is not None]
        node = _el(activity, "Lap")
        node.set("StartTime", tcx_time(start + timedelta(seconds=lap.start_s)))
        _el(node, "TotalTimeSeconds", f"{interval_timer_s(lap, spans):.3f}")
        _el(node, "DistanceMeters", "0.0")
        _el(node, "Calories", "0")
        live = [s.hr_bpm for s in lap_samples if s.hr_bpm is not None]
        avg = lap.avg_hr_bpm if lap.avg_hr_bpm is not None else mean_hr_bpm(
            lap_samples, end_s=lap.end_s)  # time-weighted, as the session summary
        peak = lap.max_hr_bpm if lap.max_hr_bpm is not None else (max(live) if live else None)
        _hr(node, "AverageHeartRateBpm", avg)
        _hr(node, "MaximumHeartRateBpm", peak)
        _el(node, "Intensity", "Resting" if lap.kind == "rest" else "Active")
        _el(node, "TriggerMethod", "Time" if lap.kind in ("warmup", "cooldown") else "Manual")
        if lap_points:
            track = _el(node, "Track")
            for t_s, sample, effort in lap_points:
                point = _el(track, "Trackpoint")
                _el(point, "Time", tcx_time(start + timedelta(seconds=t_s)))
                _hr(point, "HeartRateBpm", sample.hr_bpm if sample is not None else None)
                _ax(point, "TPX", _tpx(effort))
        notes = f"{lap.kind}, planned {lap.planned_s:.0f} s, ended: {lap.end_reason}"
        if lap.exercise:
            notes += f", exercise: {lap.exercise}"
        _el(node, "Notes", notes)
        _ax(node, "LX", _lx(lap, record.efforts))
    band = header.band
    _el(activity, "Notes", f"zonetrainer session {record.session_id}, plan {header.plan_name}; "
                           f"band {band.low_bpm:.0f}-{band.high_bpm:.0f} bpm ({band.source})")
    creator = _el(activity, "Creator")
    creator.set(f"{{{XSI_NS}}}type", "Device_t")
    _el(creator, "Name", "zonetrainer")
    _el(creator, "UnitId", "0")
    _el(creator, "ProductID", "0")
    version = _el(creator, "Version")
    major, minor = ([int(p) for p in __version__.split(".")[:2] if p.isdigit()] + [0, 0])[:2]
    _el(version, "VersionMajor", str(major))
    _el(version, "VersionMinor", str(minor))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
