"""The one-page report, produced headless: the HTML and the PDF state the session's own figures;
the PDF is rendered to PNG (Qt's PDF module) and the PNG page is written by matplotlib."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html as lxml_html
from matplotlib.figure import Figure

from tests.export.records import make_record
from zonetrainer.core.export import export_session
from zonetrainer.core.export.metrics import derived_figures
from zonetrainer.core.export.report_data import WHOLE_BODY_NOTE
from zonetrainer.core.export.report_figure import _hr_axes
from zonetrainer.core.model import (
    HeartRateSample,
    IntervalRecord,
    SessionRecord,
)
from zonetrainer.core.signal import summarize

#: Words a report must never use: fat loss is whole-body (README, "Honest physiology").
PROMISES = ("belly", "spot reduction", "target fat", "targeted fat", "burn fat from")


def expected_strings(record: SessionRecord) -> list[str]:
    """Figures the report must state, computed here from the record, not by the report code."""
    summary = record.summary
    assert summary is not None
    minutes, seconds = divmod(round(summary.duration_s), 60)
    live = [s.hr_bpm for s in record.samples if s.hr_bpm is not None]
    band = record.header.band
    return [
        f"{minutes}:{seconds:02d}",
        f"{round(sum(live) / len(live))} bpm",
        f"{round(max(live))} bpm",
        f"{band.low_bpm:.0f}-{band.high_bpm:.0f} bpm",
        f"{round(100 * summary.band_share)} %",
        "Karvonen 60-70 % of heart-rate reserve",
        *(i.end_reason for i in record.intervals),
    ]


def test_html_report_states_the_session(record: SessionRecord, tmp_path: Path) -> None:
    (path,) = export_session(record, "html", tmp_path / "report.html")
    doc = lxml_html.fromstring(path.read_bytes())
    text = " ".join(doc.text_content().split())
    for expected in expected_strings(record):
        assert expected in text, expected
    assert WHOLE_BODY_NOTE in text
    assert not any(p in text.lower() for p in PROMISES)
    tables = doc.findall(".//table")
    interval_rows = tables[2].findall(".//tr")[1:]
    assert len(interval_rows) == len(record.intervals)
    for row, interval in zip(interval_rows, record.intervals, strict=True):
        cells = [c.text_content() for c in row.findall("td")]
        assert cells[1] == interval.kind
        planned_m, planned_s = divmod(round(interval.planned_s), 60)
        actual_m, actual_s = divmod(round(interval.actual_s), 60)
        assert cells[3:5] == [f"{planned_m}:{planned_s:02d}", f"{actual_m}:{actual_s:02d}"]
        assert cells[7] == interval.end_reason
    zone_cells = [c.text_content() for c in tables[1].findall(".//td")]
    assert record.summary is not None
    assert zone_cells == [f"{s / 60:.1f} min" for s in record.summary.time_in_zone_s]
    image = doc.find(".//img").get("src")
    png = base64.b64decode(image.split(",", 1)[1])
    assert png.startswith(b"\x89PNG") and len(png) > 20_000


def test_pdf_is_one_page_that_says_the_same_and_renders_to_png(
        record: SessionRecord, tmp_path: Path, qapp: object) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    (path,) = export_session(record, "pdf", tmp_path / "report.pdf")
    doc = QPdfDocument(None)
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    assert doc.pageCount() == 1
    text = " ".join(doc.getAllText(0).text().split())
    for expected in expected_strings(record):
        assert expected in text, expected
    assert "Fat loss is whole-body" in text
    image = doc.render(0, QSize(827, 1169))
    png = tmp_path / "report-page.png"
    assert image.save(str(png))
    assert png.stat().st_size > 30_000
    # Not a blank page: the HR trace's dark red is on it.
    colours = {image.pixelColor(x, y).name() for x in range(0, 827, 4) for y in range(60, 300, 4)}
    assert len(colours) > 20


def test_png_page(record: SessionRecord, tmp_path: Path, qapp: object) -> None:
    from PySide6.QtGui import QImage

    (path,) = export_session(record, "png", tmp_path / "report.png")
    image = QImage(str(path))
    assert (image.width(), image.height()) == (827, 1169)  # A4 at 100 dpi
    assert path.stat().st_size > 50_000


def test_long_session_table_points_to_the_rest(tmp_path: Path, qapp: object) -> None:
    from PySide6.QtPdf import QPdfDocument

    record = make_record(repeat=14)  # 58 intervals, more than the page's table holds
    (path,) = export_session(record, "pdf", tmp_path / "long.pdf")
    doc = QPdfDocument(None)
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    assert doc.pageCount() == 1
    assert "and 36 more intervals" in " ".join(doc.getAllText(0).text().split())


def _session(samples: list[tuple[float, float]], intervals: list[tuple[str, float, float]]
             ) -> SessionRecord:
    base = make_record()
    return SessionRecord(
        1, base.header, tuple(HeartRateSample(t, hr) for t, hr in samples),
        tuple(IntervalRecord(i, kind, a, b, b - a, "test")  # type: ignore[arg-type]
              for i, (kind, a, b) in enumerate(intervals)), (), base.summary)


def test_drift_and_recovery_figures() -> None:
    samples: list[tuple[float, float]] = []
    for t in range(500):
        if t < 100:
            hr = 130.0
        elif t < 200:  # rest: from 130 down by 0.25 bpm/s
            hr = 130.0 - 0.25 * (t - 100)
        elif t < 300:
            hr = 132.0
        elif t < 400:
            hr = 132.0 - 0.25 * (t - 300)
        else:
            hr = 134.0
        samples.append((float(t), hr))
    record = _session(samples, [("work", 0, 100), ("rest", 100, 200), ("work", 200, 300),
                                ("rest", 300, 400), ("work", 400, 500)])
    figures = derived_figures(record)
    # Drift is read inside each work interval after its 120-s on-kinetics (core.drift), no
    # longer between the work intervals' means: 100-s work intervals give no drift figure.
    assert figures.drift_bpm_per_min is None and figures.drift_intervals == 0
    # Mean of the first 5 s (t 0..4: 129.5) minus mean of 55..60 s (t 55..60: 115.625).
    assert figures.recovery_bpm == pytest.approx(129.5 - 115.625)
    assert figures.recovery_rests == 2


def test_no_drift_or_recovery_without_the_intervals_for_it() -> None:
    # 170 s of work: too short for a drift after the on-kinetics (core.drift); no rest.
    record = _session([(float(t), 120.0) for t in range(170)], [("work", 0, 170)])
    figures = derived_figures(record)
    assert figures.drift_bpm_per_min is None and figures.recovery_bpm is None


def test_report_is_made_headless_without_qt(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from tests.export.records import make_record\n"
        "from zonetrainer.core.export import export_session\n"
        f"export_session(make_record(), 'pdf', r'{tmp_path}/r.pdf')\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'tkinter'))]\n"
        "assert not bad, bad\n"
        "import matplotlib; assert matplotlib.get_backend().lower() == 'agg' or "
        "'matplotlib.pyplot' not in sys.modules\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "r.pdf").stat().st_size > 10_000


def test_the_hr_trace_leaves_out_a_spike_the_figures_left_out() -> None:
    """A one-reading strap spike (177 bpm) is no heart rate for the summary; the trace must not
    draw it either, or the page shows a peak beside a lower "Max HR"."""
    record = make_record()
    samples = list(record.samples)
    spike_at = next(i for i, s in enumerate(samples) if s.t_s >= 300.0)
    samples[spike_at] = replace(samples[spike_at], hr_bpm=177.0)
    record = replace(record, samples=tuple(samples))
    summary = summarize(record.samples, record.intervals, record.header.band,
                        record.header.zones)
    assert summary.max_hr_bpm is not None and summary.max_hr_bpm < 177.0
    ax = Figure().add_subplot()
    _hr_axes(ax, record)
    drawn = [y for y in ax.lines[0].get_ydata() if y == y]  # NaN: a gap
    assert max(drawn) == summary.max_hr_bpm
    assert len(drawn) >= 0.95 * len([s for s in samples if s.hr_bpm is not None])
