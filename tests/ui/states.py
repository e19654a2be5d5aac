"""A SessionState for widget tests: a work bout 400 s into a session, changed as a test needs."""

from __future__ import annotations

from typing import Any

from zonetrainer.core.model import Band, SessionState

BAND = Band(110, 125, "pct_hrmax", "60-70 % HRmax (test)", 6.5)


def state(**changes: Any) -> SessionState:
    values: dict[str, Any] = dict(
        elapsed_s=400.0, phase="work", phase_elapsed_s=1.5, phase_remaining_s=58.5,
        next_phase="rest", block_index=1, interval_index=1, hr_bpm=131.0, signal_live=True,
        zone=3, in_band=False, band=BAND, session_duration_s=1500.0)
    values.update(changes)
    return SessionState(**values)
