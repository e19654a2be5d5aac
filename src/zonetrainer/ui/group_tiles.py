"""What one athlete's tile on the group screen says, from their latest state: no widget here.

The heart rate is coloured by the athlete's own band (not the zone table): below it blue, in it
green, above it orange, at or over their safety ceiling red; grey with no live signal. Tiles of
athletes out of band, in a safety rest or without a signal are flagged and sorted first, so the
coach's eye goes where it is needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

from zonetrainer.core.model import SessionState, SourceStatus
from zonetrainer.ui.theme import ZONE_COLOURS, ThemeName

Level = Literal["waiting", "lost", "below", "in", "above", "over", "done"]

#: Level -> index into the theme's zone colours (grey, grey-blue, blue, green, orange, red).
_COLOUR_INDEX: Final[dict[Level, int]] = {"waiting": 0, "lost": 0, "done": 1, "below": 2,
                                          "in": 3, "above": 4, "over": 5}
#: Sorting: the most urgent first (safety, then out of band, then lost signal), then the rest.
_URGENCY: Final[dict[Level, int]] = {"over": 0, "above": 1, "below": 2, "lost": 3,
                                     "waiting": 4, "in": 5, "done": 6}

#: A tile is about this much wider than tall: name, the number, two lines under it.
TILE_ASPECT: Final = 1.5


@dataclass(frozen=True, slots=True)
class TileView:
    name: str
    hr_text: str  # "132", or "–" without a live signal (never a stale number)
    level: Level
    colour: str
    phase_text: str  # "WORK 3:12"
    band_text: str  # "in band 12:40 · 120-135"
    signal_text: str  # "strap ok · 87 %", "signal lost", "connecting…"
    cue_text: str  # "ease off", "SAFETY REST", ""
    flagged: bool

    @property
    def urgency(self) -> int:
        return _URGENCY[self.level]


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = max(0, round(seconds))
    return f"{s // 60}:{s % 60:02d}"


def level_of(state: SessionState | None, ceiling_bpm: float) -> Level:
    if state is None:
        return "waiting"
    if state.done:
        return "done"
    if state.safety_rest or (state.hr_bpm is not None and state.hr_bpm >= ceiling_bpm):
        return "over"
    if state.hr_bpm is None or not state.signal_live:
        return "lost"
    if state.hr_bpm < state.band.low_bpm:
        return "below"
    if state.hr_bpm > state.band.high_bpm:
        return "above"
    return "in"


def _signal_text(state: SessionState | None, status: SourceStatus | None) -> str:
    if status is None:
        return "connecting…" if state is None else ""
    battery = f" · {status.battery_pct} %" if status.battery_pct is not None else ""
    if status.link in ("searching", "lost"):
        return f"strap lost, searching{battery}"
    if status.link == "connecting":
        return "connecting…"
    if state is not None and not state.signal_live and not state.done:
        return f"no signal{battery}"
    return f"strap ok{battery}" if status.link == "connected" else f"{status.link}{battery}"


def tile_view(name: str, state: SessionState | None, status: SourceStatus | None,
              ceiling_bpm: float, theme: ThemeName = "light") -> TileView:
    level = level_of(state, ceiling_bpm)
    colour = ZONE_COLOURS[theme][_COLOUR_INDEX[level]]
    if state is None:
        return TileView(name, "–", level, colour, "READY", "", _signal_text(None, status), "",
                        False)
    hr = "–" if state.hr_bpm is None or not state.signal_live else f"{state.hr_bpm:.0f}"
    phase = "PAUSED" if state.paused else state.phase.upper().replace("COOLDOWN", "COOL-DOWN")
    phase_text = f"{phase} {_clock(state.phase_remaining_s)}".strip()
    band = state.band
    band_text = (f"in band {_clock(state.time_in_band_s)} · "
                 f"{band.low_bpm:.0f}-{band.high_bpm:.0f}")
    cue = "SAFETY REST" if state.safety_rest else (state.cue or "")
    flagged = level in ("over", "above", "below", "lost")
    return TileView(name, hr, level, colour, phase_text, band_text,
                    _signal_text(state, status), cue, flagged)


def ordered(views: list[TileView]) -> list[str]:
    """Names in screen order: flagged first (most urgent first), then the group's own order
    (the sort is stable, so tiles of one urgency do not shuffle)."""
    return [v.name for v in sorted(views, key=lambda v: v.urgency if v.flagged else 9)]


def grid_for(count: int, width: float, height: float,
             aspect: float = TILE_ASPECT) -> tuple[int, int]:
    """(columns, rows) whose tiles are the largest with about ``aspect`` width to height: the
    tiles fill the screen for 1 to 30 athletes."""
    if count <= 0:
        return (1, 1)
    best, best_size = (1, count), -1.0
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        tile_w, tile_h = width / cols, height / rows
        size = min(tile_w, tile_h * aspect)  # the tile's usable width at that aspect
        if size > best_size + 1e-9:
            best, best_size = (cols, rows), size
    return best
