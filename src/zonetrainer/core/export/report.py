"""The one-page session report as HTML (self-contained, the plots inlined as PNG), PDF or PNG.

Headless: matplotlib's Agg canvas and its PDF backend, no display and no Qt.
"""

from __future__ import annotations

import base64
import html
import io
from typing import BinaryIO

import matplotlib

from zonetrainer.core.export.report_data import ReportData, report_data
from zonetrainer.core.export.report_figure import plot_figure, report_figure
from zonetrainer.core.model import SessionRecord

_STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 1em auto; color: #222; }
table { border-collapse: collapse; font-size: 0.9em; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; }
p.note { font-size: 0.9em; color: #555; }
"""


def _png_bytes(record: SessionRecord, data: ReportData) -> bytes:
    buffer = io.BytesIO()
    plot_figure(record, data).savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def render_html(record: SessionRecord) -> str:
    """The report as one HTML document with nothing to fetch."""
    data = report_data(record)
    esc = html.escape
    image = base64.b64encode(_png_bytes(record, data)).decode("ascii")
    figures = "\n".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in data.figures)
    zones = "".join(f"<td>{s / 60.0:.1f} min</td>" for s in data.time_in_zone_s)
    head = "".join(f"<th>{esc(c)}</th>" for c in data.interval_columns)
    rows = "\n".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                     for row in data.interval_rows)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(data.title)}</title>
<style>{_STYLE}</style></head><body>
<h1>{esc(data.title)}</h1>
<img alt="heart rate with band, time in zone and alpha1 trend" src="data:image/png;base64,{image}">
<h2>Summary</h2>
<table>{figures}</table>
<h2>Time in zone</h2>
<table><tr><th>Z1</th><th>Z2</th><th>Z3</th><th>Z4</th><th>Z5</th></tr><tr>{zones}</tr></table>
<h2>Intervals</h2>
<table><tr>{head}</tr>
{rows}
</table>
<p class="note">{esc(data.note)}</p>
</body></html>
"""


def write_html(record: SessionRecord, out: BinaryIO) -> None:
    out.write(render_html(record).encode("utf-8"))


def write_pdf(record: SessionRecord, out: BinaryIO) -> None:
    """One A4 page."""
    data = report_data(record)
    # TrueType (Type 42) fonts keep the PDF's text searchable and extractable.
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        report_figure(record, data).savefig(out, format="pdf")


def write_png(record: SessionRecord, out: BinaryIO, dpi: int = 100) -> None:
    """The same page as the PDF, as a PNG image."""
    report_figure(record, report_data(record)).savefig(out, format="png", dpi=dpi)
