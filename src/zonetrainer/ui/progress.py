"""Where the athlete is in the session, followed from the engine's states (no Qt: testable).

The countdown shown only goes down: a loop's forecast of a phase's end moves as the heart rate
answers, so the shown value follows it down at most three times as fast as the clock and never
goes up. A hold (signal lost) remembers the phase it interrupted and for how long it has lasted.
After each work bout a lap: its length, mean heart rate and share in the band.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from zonetrainer.core.model import Phase, SessionState
from zonetrainer.core.plan import Block, Plan

#: A falling forecast is followed at most this many times as fast as the clock.
CATCH_UP: Final = 3.0


@dataclass(frozen=True, slots=True)
class Lap:
    number: int
    length_s: float
    mean_hr_bpm: float | None
    in_band_share: float | None


@dataclass(frozen=True, slots=True)
class Progress:
    countdown_s: float | None  # None: an open-ended phase (the phase's elapsed time is shown)
    forecast: bool  # the countdown is the loop's estimate, not a planned length
    count_word: str  # "interval", "set", "step" or "" outside counted blocks
    count: int  # 1-based number of the current bout, set or step; 0 when none
    total: int | None
    next_length_s: float | None
    interrupted: Phase | None  # in a hold: the phase the hold interrupted
    hold_s: float  # in a hold: how long it has lasted
    lap: Lap | None  # the last finished work bout of this session


def _counted(block: Block) -> tuple[str, int | None]:
    if block.kind == "ramp":
        return "step", block.steps
    if block.kind == "intervals":
        return ("set" if block.exercises else "interval"), block.repeats
    return "", None


class ProgressTracker:
    """Follows the states of one session; ``plan`` (when known) gives totals and lengths."""

    def __init__(self, plan: Plan | None = None) -> None:
        self.plan = plan
        self.reset(plan)

    def reset(self, plan: Plan | None = None) -> None:
        self.plan = plan
        self.progress: Progress | None = None
        self._key: tuple[str, int, int] | None = None
        self._shown: float | None = None
        self._last: SessionState | None = None
        self._works: dict[int, int] = {}  # block index -> work bouts started
        self._interrupted: Phase | None = None
        self._hold_start_s = 0.0
        self._lap_sums = [0.0, 0.0, 0.0, 0.0]  # hr sum, hr count, in-band count, start
        self._lap: Lap | None = None
        self._laps = 0

    def _block(self, state: SessionState) -> Block | None:
        if self.plan is None or not 0 <= state.block_index < len(self.plan.blocks):
            return None
        return self.plan.blocks[state.block_index]

    def follow(self, state: SessionState) -> Progress:
        last = self._last
        self._last = state
        if state.phase == "hold" and (last is None or last.phase != "hold"):
            self._interrupted = last.phase if last is not None else None
            self._hold_start_s = state.elapsed_s
        key = (self._interrupted or "" if state.phase == "hold" else state.phase,
               state.block_index, state.interval_index)
        started = key != self._key
        if started and state.phase != "hold":
            self._phase_started(last, state)
        self._key = key
        self._follow_lap(state)
        block = self._block(state)
        word, total = _counted(block) if block is not None else (
            ("step", None) if state.ramp_step is not None else ("", None))
        count = (state.ramp_step + 1 if state.ramp_step is not None
                 else self._works.get(state.block_index, 0))
        self.progress = Progress(
            countdown_s=self._countdown(state, last, started),
            forecast=self._forecast(block, state),
            count_word=word, count=count if word else 0, total=total,
            next_length_s=self._next_length(block, state),
            interrupted=self._interrupted if state.phase == "hold" else None,
            hold_s=state.elapsed_s - self._hold_start_s if state.phase == "hold" else 0.0,
            lap=self._lap)
        return self.progress

    def _phase_started(self, last: SessionState | None, state: SessionState) -> None:
        if last is not None and self._key is not None and self._key[0] == "work" \
                and self._lap_sums[1] > 0:
            hr_sum, n, inside, start = self._lap_sums
            self._laps += 1
            self._lap = Lap(self._laps, last.elapsed_s - start, hr_sum / n, inside / n)
        if state.phase == "work":
            self._works[state.block_index] = self._works.get(state.block_index, 0) + 1
        self._lap_sums = [0.0, 0.0, 0.0, state.elapsed_s]
        if last is None or last.phase != "hold":
            self._interrupted = None

    def _follow_lap(self, state: SessionState) -> None:
        if state.phase == "work" and state.signal_live and state.hr_bpm is not None:
            self._lap_sums[0] += state.hr_bpm
            self._lap_sums[1] += 1
            self._lap_sums[2] += 1 if state.in_band else 0

    def _countdown(self, state: SessionState, last: SessionState | None,
                   started: bool) -> float | None:
        raw = state.phase_remaining_s
        if raw is None or state.safety_rest:  # a safety rest lasts until the heart comes down:
            # no length to count down (a forecast "about 3:26" would be a guess)
            self._shown = None
            return None
        if started or self._shown is None or last is None:
            self._shown = raw
        elif state.phase != "hold" and not state.paused:
            dt = max(0.0, state.elapsed_s - last.elapsed_s)
            # never up; down with the clock, or faster (up to CATCH_UP) to meet the forecast
            self._shown = max(0.0, min(self._shown - dt, max(raw, self._shown - CATCH_UP * dt)))
        return self._shown

    @staticmethod
    def _forecast(block: Block | None, state: SessionState) -> bool:
        if state.block_kind != "intervals" and (block is None or block.kind != "intervals"):
            return False
        if block is None:
            return True
        return block.control == "both" or state.phase == "rest"

    def _next_length(self, block: Block | None, state: SessionState) -> float | None:
        nxt = state.next_phase
        if block is None or nxt is None or self.plan is None:
            return None
        if block.kind == "intervals" and nxt in ("work", "rest") and state.phase != nxt:
            return block.work_s if nxt == "work" else block.rest_s
        following = state.block_index + 1
        if following < len(self.plan.blocks):
            return self.plan.blocks[following].planned_s
        return None
