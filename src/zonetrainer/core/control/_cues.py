"""Cues that say how much, and that escalate when ignored (issue 13).

With a measured effort the cue names the effort the loop wants ("slow to 9.4 km/h", "ease off
to about 180 W"); without one it is graded by the predicted overshoot ("ease off a little",
"ease off more"). A cue that stays on while HR does not answer is repeated (level 1) and then
escalated (level 2): the UI turns those into a tone, a voice, bold text.
"""

from __future__ import annotations

from typing import Final

#: A cue still on after this long without the heart answering is repeated (level 1); after
#: twice this long escalated (level 2). 20 s: a dead time (5-15 s) plus a few seconds to act.
REPEAT_AFTER_S: Final = 20.0

#: Predicted overshoot above the band's top (bpm) from which "ease off a little" becomes
#: "ease off more": about a third of a 60-70 % HRmax band, twice the strap noise's SD.
MORE_ABOVE_BPM: Final = 6.0

#: A measured effort this far from the target (share of the target, at least one nudge step)
#: gets a number to follow; a machine that follows its target stays inside it.
NUMBER_TOLERANCE_SHARE: Final = 0.04

#: ... and only once it has been off for this long (a belt needs 5-10 s to change speed).
NUMBER_AFTER_S: Final = 8.0


def graded(overshoot_bpm: float) -> str:
    return "ease off more" if overshoot_bpm > MORE_ABOVE_BPM else "ease off a little"


def number(target: float, measured: float, unit: str) -> str:
    if unit == "km/h":
        verb = "slow to" if target < measured else "speed up to"
        return f"{verb} {target:.1f} km/h"
    verb = "ease off to" if target < measured else "pick it up to"
    return f"{verb} about {round(target / 5.0) * 5:.0f} {unit}"


def direction(cue: str | None) -> int:
    """-1 for a cue asking for less, +1 for more, 0 for none or another text."""
    if cue is None:
        return 0
    if cue.startswith(("ease off", "slow")):
        return -1
    if cue.startswith(("pick it up", "speed up")):
        return 1
    return 0


class CueTracker:
    """How long the same request has stood unanswered: ``level`` 0, 1 or 2."""

    def __init__(self) -> None:
        self.level = 0
        self._dir = 0
        self._since = 0.0

    def update(self, t: float, cue: str | None) -> int:
        d = direction(cue)
        if d != self._dir:
            self._dir, self._since = d, t
        held = t - self._since if d else 0.0
        self.level = 2 if held >= 2 * REPEAT_AFTER_S else 1 if held >= REPEAT_AFTER_S else 0
        return self.level

    def answered(self, t: float) -> None:
        """The heart (or the effort) answered: the next cue starts afresh."""
        self._dir, self._since, self.level = 0, t, 0
