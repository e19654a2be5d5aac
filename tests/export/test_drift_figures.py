"""The report's and the JSON summary's drift and recovery come from the per-interval figures of
zonetrainer.core.signal (one method): checked on heart rates of known slope and drop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.export.records import make_record
from zonetrainer.core.export import export_session
from zonetrainer.core.export.metrics import derived_figures
from zonetrainer.core.export.report_data import report_data
from zonetrainer.core.model import HeartRateSample, IntervalRecord, SessionRecord
from zonetrainer.core.signal import interval_figures


def hr_at(t: float) -> float:
    """Work 0-420 s rising 0.6 bpm/min; rest 420-540 s falling 0.25 bpm/s from 140; work
    540-1140 s rising 0.3 bpm/min; rest 1140-1170 s (30 s: too short for the 60-s window)."""
    if t < 420:
        return 120.0 + 0.6 * t / 60.0
    if t < 540:
        return 140.0 - 0.25 * (t - 420)
    if t < 1140:
        return 125.0 + 0.3 * (t - 540) / 60.0
    return 130.0 - 0.25 * (t - 1140)


def session() -> SessionRecord:
    base = make_record()
    spans = [("work", 0.0, 420.0), ("rest", 420.0, 540.0), ("work", 540.0, 1140.0),
             ("rest", 1140.0, 1170.0)]
    return SessionRecord(
        1, base.header, tuple(HeartRateSample(float(t), hr_at(t)) for t in range(1170)),
        tuple(IntervalRecord(i, kind, a, b, b - a, "test")  # type: ignore[arg-type]
              for i, (kind, a, b) in enumerate(spans)), (), base.summary)


def test_session_drift_is_the_span_weighted_mean_of_the_work_intervals() -> None:
    record = session()
    figures = derived_figures(record)
    # Slopes read after the 120-s on-kinetics: 0.6 over 120..419 s (299 s), 0.3 over
    # 660..1139 s (479 s).
    expected = (0.6 * 299 + 0.3 * 479) / (299 + 479)
    assert figures.drift_bpm_per_min == pytest.approx(expected, abs=1e-6)
    assert figures.drift_intervals == 2
    # Only the 120-s rest has the whole window: 5-s means at 0-4 s and 55-60 s.
    assert figures.recovery_bpm == pytest.approx((140 - 0.25 * 2) - (140 - 0.25 * 57.5))
    assert figures.recovery_rests == 1
    per_interval = interval_figures(record.samples, record.intervals)
    assert per_interval[0].drift_bpm_per_min == pytest.approx(0.6)
    assert per_interval[3].recovery_window_s == 30.0  # shown per interval, left out above


def test_report_and_json_state_the_same_figures(tmp_path: Path) -> None:
    record = session()
    figures = derived_figures(record)
    assert figures.drift_bpm_per_min is not None and figures.recovery_bpm is not None
    text = dict(report_data(record).figures)
    assert text["Drift"].startswith(f"{figures.drift_bpm_per_min:+.2f} bpm/min over 2 work "
                                    "intervals (least-squares slope")
    assert text["Recovery"].startswith(f"{figures.recovery_bpm:.1f} bpm over 1 rests")
    (path,) = export_session(record, "json", tmp_path / "s.json")
    derived = json.loads(path.read_text())["derived"]
    assert derived["drift_bpm_per_min"] == pytest.approx(figures.drift_bpm_per_min)
    assert derived["drift_intervals"] == 2 and derived["recovery_rests"] == 1
    assert "after its first 120 s" in derived["drift_method"]


def test_report_says_why_there_is_no_drift() -> None:
    base = session()
    short = SessionRecord(1, base.header, base.samples[:150],
                          (IntervalRecord(0, "work", 0.0, 150.0, 150.0, "test"),), (),
                          base.summary)
    assert dict(report_data(short).figures)["Drift"] == (
        "not available (no work interval of 3 min or more with signal)")
