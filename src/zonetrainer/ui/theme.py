"""Light and dark themes: one stylesheet per theme in resources/styles, and the zone colours.

Zone colours follow the common five-colour scheme of sports watches (grey, blue, green, orange,
red), chosen so that each is readable from two metres on both backgrounds.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final, Literal

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from zonetrainer.core.datafiles import shared_dir

log = logging.getLogger(__name__)

ThemeName = Literal["light", "dark"]
THEMES: Final[tuple[ThemeName, ...]] = ("light", "dark")

#: Top-level resources/ next to src/ in a checkout (editable install).
RESOURCES_DIR: Final = shared_dir("resources")

#: Zone 1..5 -> colour, per theme (index 0 is "no zone": signal lost).
ZONE_COLOURS: Final[dict[ThemeName, tuple[str, ...]]] = {
    "light": ("#8a8a8a", "#7d8590", "#1f6fd1", "#1f9d3a", "#e07b00", "#d42a2a"),
    "dark": ("#8a8a8a", "#aab2bd", "#4da3ff", "#3ccf5e", "#ffa03a", "#ff5656"),
}

#: Background shading of the plots: band, work and rest, with alpha.
PLOT_COLOURS: Final[dict[ThemeName, dict[str, str]]] = {
    "light": {"background": "#ffffff", "foreground": "#202020", "curve": "#202020",
              "band": "#1f9d3a40", "work": "#e07b0018", "rest": "#1f6fd118", "zone": "#00000008"},
    "dark": {"background": "#17191c", "foreground": "#e6e6e6", "curve": "#f0f0f0",
             "band": "#3ccf5e48", "work": "#ffa03a20", "rest": "#4da3ff20", "zone": "#ffffff08"},
}


#: Placeholder text of empty fields: muted, yet readable on each theme's field background
#: (5.1:1 on white, 5.6:1 on #17191c; Qt's default is half-transparent black, 1.2:1 on dark).
PLACEHOLDER_COLOURS: Final[dict[ThemeName, str]] = {"light": "#6e6e6e", "dark": "#8c929a"}


#: The training screen's background follows the instruction (work, rest, hold, safety): light
#: tints that keep every text colour of SCREEN_TEXT at 4.5:1 or more (WCAG AA; a test checks).
SCREEN_BACKGROUNDS: Final[dict[ThemeName, dict[str, str]]] = {
    "light": {"idle": "#ffffff", "work": "#fff3e3", "rest": "#e9f1fc", "hold": "#eeeeee",
              "safety": "#fbe4e4"},
    "dark": {"idle": "#17191c", "work": "#2b2217", "rest": "#15202d", "hold": "#26282b",
             "safety": "#331717"},
}
#: Text on the training screen. The heart rate is coloured by where it is against the band:
#: below blue, in green, above orange, over the safety ceiling red; "none": no live reading.
SCREEN_TEXT: Final[dict[ThemeName, dict[str, str]]] = {
    "light": {"text": "#1a1a1a", "muted": "#4d4d4d", "below": "#1456ad", "in": "#17702c",
              "above": "#9c4600", "ceiling": "#b0121a", "none": "#5c5c5c"},
    "dark": {"text": "#f0f0f0", "muted": "#b0b5bc", "below": "#74b8ff", "in": "#4fd66a",
             "above": "#ffab55", "ceiling": "#ff7474", "none": "#a0a5ad"},
}
#: The safety banner: white on red in both themes (7.6:1), unlike any tip or cue.
BANNER: Final = {"background": "#a8141b", "text": "#ffffff"}


def band_colour(theme: ThemeName, position: str | None) -> str:
    """The heart rate's colour for its place against the band (text.band_position)."""
    return SCREEN_TEXT[theme].get(position or "none", SCREEN_TEXT[theme]["none"])


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours, 1..21."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def zone_colour(theme: ThemeName, zone: int | None) -> str:
    """The colour of a heart rate in ``zone`` (1..5); grey when there is no zone."""
    colours = ZONE_COLOURS[theme]
    return colours[zone] if zone is not None and 1 <= zone <= 5 else colours[0]


def stylesheet(theme: ThemeName, directory: Path = RESOURCES_DIR / "styles") -> str:
    """The Qt stylesheet of a theme; empty (Qt's default look) if the file is missing."""
    path = directory / f"{theme}.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("stylesheet %s not readable (%s); using Qt's default look", path, exc)
        return ""


def apply_theme(app: QApplication, theme: ThemeName) -> None:
    """Set the palette and stylesheet of the whole application."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; use one of {', '.join(THEMES)}")
    palette = QPalette()
    if theme == "dark":
        base, text, window = QColor("#17191c"), QColor("#e6e6e6"), QColor("#202328")
        palette.setColor(QPalette.ColorRole.Window, window)
        palette.setColor(QPalette.ColorRole.WindowText, text)
        palette.setColor(QPalette.ColorRole.Base, base)
        palette.setColor(QPalette.ColorRole.AlternateBase, window)
        palette.setColor(QPalette.ColorRole.Text, text)
        palette.setColor(QPalette.ColorRole.Button, QColor("#2c3036"))
        palette.setColor(QPalette.ColorRole.ButtonText, text)
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#4da3ff"))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#000000"))
        palette.setColor(QPalette.ColorRole.ToolTipBase, window)
        palette.setColor(QPalette.ColorRole.ToolTipText, text)
        grey = QColor("#6b7078")
        for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText,
                     QPalette.ColorRole.Text):
            palette.setColor(QPalette.ColorGroup.Disabled, role, grey)
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(PLACEHOLDER_COLOURS[theme]))
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(theme))
    app.setProperty("zt_theme", theme)


def current_theme(app: QApplication | None = None) -> ThemeName:
    app = app or QApplication.instance()  # type: ignore[assignment]
    value = app.property("zt_theme") if app is not None else None
    return "dark" if value == "dark" else "light"


def mark_error(widget: QWidget, error: bool) -> None:
    """Show ``widget`` in the theme's error colour (``.error`` in the stylesheets) or not."""
    widget.setProperty("class", "error" if error else "")
    widget.style().unpolish(widget)  # a dynamic property takes effect only on a re-polish
    widget.style().polish(widget)
