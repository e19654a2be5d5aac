"""What one athlete's tile on the group screen says, from their latest state: no widget here.

The heart rate is coloured by the athlete's own band (not the zone table): below it blue, in it
green, above it orange, at or over their safety ceiling red; grey with no live signal. Tiles of
athletes out of band, in a safety rest or without a signal are flagged and sorted first, so the
coach's eye goes where it is needed.

The number and the strap line tell one story: while the strap's link is known to be lost (a
BLE strap searching, a simulated strap in one of its gaps) the tile shows no number and reads
"lost", although the session holds the last reading for up to ``LOST_AFTER_S`` (3 s) to ride
over a missed notification. The small lines under the number come in variants, longest first:
a small tile drops the battery, the band's range, then the band, never shrinking text below
:data:`MIN_TEXT_PX`.
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

#: No text on a tile is drawn smaller than this (pixels): 12 px is the smallest size common type
#: scales use for running text (Material Design's caption, Apple's caption 1); what does not
#: fit at it is shortened (see TileView.lines) or ends in "…".
MIN_TEXT_PX: Final = 12


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
    #: The two lines under the number, each as variants from the fullest to the shortest
    #: (the painter takes the first that fits at MIN_TEXT_PX or more).
    lines: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    #: One line for a tile too small for two: the most needed of them, as variants.
    merged: tuple[str, ...] = ()

    @property
    def urgency(self) -> int:
        return _URGENCY[self.level]


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = max(0, round(seconds))
    return f"{s // 60}:{s % 60:02d}"


def level_of(state: SessionState | None, ceiling_bpm: float, link_lost: bool = False) -> Level:
    """``link_lost``: the strap's link is known to be gone, whatever the state still holds."""
    if state is None:
        return "waiting"
    if state.done:
        return "done"
    if state.safety_rest or (state.hr_bpm is not None and state.hr_bpm >= ceiling_bpm
                             and not link_lost):
        return "over"
    if state.hr_bpm is None or not state.signal_live or link_lost:
        return "lost"
    if state.hr_bpm < state.band.low_bpm:
        return "below"
    if state.hr_bpm > state.band.high_bpm:
        return "above"
    return "in"


def _link_lost(state: SessionState | None, status: SourceStatus | None) -> bool:
    return (status is not None and status.link in ("searching", "lost")
            and not (state is not None and state.done))


def _signal_texts(state: SessionState | None, status: SourceStatus | None) -> tuple[str, ...]:
    """The strap line, with its battery and without (or one text when it has none)."""
    if status is None:
        return ("connecting…",) if state is None else ("",)
    battery = f" · {status.battery_pct} %" if status.battery_pct is not None else ""
    if _link_lost(state, status):
        word, short = "strap lost, searching", "strap lost"
    elif status.link == "connecting":
        return ("connecting…",)
    elif state is not None and not state.signal_live and not state.done:
        word = short = "no signal"
    else:
        word = short = "strap ok" if status.link == "connected" else status.link
    return (f"{word}{battery}", short) if battery or short != word else (word,)


def _variants(*texts: str) -> tuple[str, ...]:
    """``texts`` without empties and repeats, in order."""
    return tuple(dict.fromkeys(t for t in texts if t))


def tile_view(name: str, state: SessionState | None, status: SourceStatus | None,
              ceiling_bpm: float, theme: ThemeName = "light") -> TileView:
    lost = _link_lost(state, status)
    level = level_of(state, ceiling_bpm, lost)
    colour = ZONE_COLOURS[theme][_COLOUR_INDEX[level]]
    signals = _signal_texts(state, status)
    if state is None:
        return TileView(name, "–", level, colour, "READY", "", signals[0], "", False,
                        ((), signals), signals)
    hr = ("–" if state.hr_bpm is None or not state.signal_live or lost
          else f"{state.hr_bpm:.0f}")
    phase = "PAUSED" if state.paused else state.phase.upper().replace("COOLDOWN", "COOL-DOWN")
    phase_text = f"{phase} {_clock(state.phase_remaining_s)}".strip()
    band = state.band
    short_band = f"in band {_clock(state.time_in_band_s)}"
    band_text = f"{short_band} · {band.low_bpm:.0f}-{band.high_bpm:.0f}"
    cue = "SAFETY REST" if state.safety_rest else (state.cue or "")
    flagged = level in ("over", "above", "below", "lost")
    if cue:  # the cue, then band and strap on one line; a strap in trouble outlasts the band
        first: tuple[str, ...] = (cue,)
        second = _variants(*(f"{band_text} · {s}" for s in signals),
                           *(f"{short_band} · {s}" for s in signals), *signals)
        second = second if signals[-1] else (band_text, short_band)
    else:
        first, second = (band_text, short_band), signals
    trouble = level == "lost" or signals[0] == "connecting…"
    # one line: a strap in trouble, else the cue (shortened with "…" if need be), else the band
    merged = (signals if trouble and signals[0] else (cue,) if cue
              else _variants(band_text, short_band))
    return TileView(name, hr, level, colour, phase_text, band_text, signals[0], cue, flagged,
                    (first, second), merged)


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
