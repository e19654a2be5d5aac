"""What ``zonetrainer group --headless`` prints: a line per athlete while the group trains, a
result line per athlete after."""

from __future__ import annotations

import logging
import time
from typing import TextIO

from zonetrainer.cli.run_text import TTY_REDRAW_S, live_text, mmss
from zonetrainer.core.group import Member, named_cue
from zonetrainer.core.model import SessionState

log = logging.getLogger(__name__)

def athlete_line(name: str, state: SessionState, width: int) -> str:
    text = live_text(state)
    if state.cue:  # the cue as said to this athlete: "Ann, ease off"
        text = text.replace(f"  {state.cue}", f"  {named_cue(name, state.cue)}")
    if state.safety_rest:
        text += "  SAFETY REST"
    return f"{name:<{width}}  {text}"


class GroupLines:
    """On a terminal a block of one line per athlete, redrawn in place (at most every
    ``TTY_REDRAW_S``); otherwise a line whenever an athlete's phase changes or they finish."""

    def __init__(self, out: TextIO, tty: bool, names: list[str]) -> None:
        self.out, self.tty, self.names = out, tty, names
        self.width = max(len(n) for n in names)
        self._latest: dict[str, SessionState] = {}
        self._drawn_at = -TTY_REDRAW_S
        self._drawn = False
        self._ended = False

    def show(self, name: str, state: SessionState) -> None:
        """A closed terminal ends the printing, never the training."""
        if self._ended:
            return
        previous = self._latest.get(name)
        self._latest[name] = state
        try:
            if self.tty:
                self._redraw(done=all(s.done for s in self._latest.values())
                             and len(self._latest) == len(self.names))
            elif previous is None or previous.phase != state.phase:
                self.out.write(athlete_line(name, state, self.width) + "\n")
        except OSError as exc:
            log.warning("the group lines stop: %s", exc)
            self._ended = True

    def _redraw(self, done: bool) -> None:
        now = time.monotonic()
        if not done and now - self._drawn_at < TTY_REDRAW_S:
            return
        self._drawn_at = now
        lines = [athlete_line(n, s, self.width) if (s := self._latest.get(n)) else
                 f"{n:<{self.width}}  connecting ..." for n in self.names]
        up = f"\x1b[{len(lines)}F" if self._drawn else ""
        self.out.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
        self._drawn = True
        self.out.flush()


def member_result(member: Member, adapter: str | None, sharing: int) -> str:
    """"Ann: session 12: 40:00, in band 31:10 (78 %), avg 131 bpm, ..." or why there is none.
    ``sharing``: how many straps of the group use the same adapter as this one."""
    summary, sid = member.runner.summary, member.session_id
    if member.error is not None:
        text = f"{member.name}: NOT started: {member.error}"
        if not member.strap.startswith("simulated") and sharing > 1:
            text += (f" [{sharing} straps share the adapter {adapter or '(default)'}; an "
                     f"adapter holds a limited number of LE connections (often 7-10): spread "
                     f"the straps over two with --adapter hci0 --adapter hci1]")
        return text
    if summary is None:
        return f"{member.name}: interrupted before the session started"
    avg = "-" if summary.avg_hr_bpm is None else f"{summary.avg_hr_bpm:.0f} bpm"
    stored = f"session {sid}" if sid is not None else "session"
    return (f"{member.name}: {stored}: {mmss(summary.duration_s)}, in band "
            f"{mmss(summary.time_in_band_s)} ({100 * summary.band_share:.0f} %), avg {avg}, "
            f"{summary.sample_count} readings, {member.runner.end_status()}")
