"""The zone-control loop's decision rules, as pure functions of one moment.

:class:`zonetrainer.core.control.ZoneController` keeps the state (phase, clocks, the learnt
response, the interval records); at every usable reading it builds a :class:`Moment` and asks
:func:`band_first` or :func:`plan_first` what to do. A rule answers with an :class:`Action`:
switch (and why), and which cue to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from zonetrainer.core.control_model import ResponseEstimate

Kind = Literal["work", "rest"]
Cue = Literal["ease off", "pick it up"]

#: ``predict(future)``: extremes of HR ``(max, t_max, min, t_min)`` from now until the last effort
#: change in ``future`` ((time, "work"|"rest") pairs) has acted, dead time included.
Predict = Callable[[list[tuple[float, str]]], tuple[float, float, float, float]]

#: Decisions are re-taken about once a second (the strap's rate), so "switch at the next call"
#: is this far away.
DECISION_STEP_S: Final = 1.0

#: An "ease off" cue when even the earliest allowed switch leaves a peak this far above the top.
EASE_OFF_TOLERANCE_BPM: Final = 2.0

#: An athlete who had to ease off in the last work bout hears "ease off" for this long at the
#: start of the next one: people start each bout as hard as the last one began, and with a
#: dead time of 5-15 s the HR shows it only when it is too late.
EARLY_EASE_OFF_S: Final = 10.0

#: A work effort whose steady HR lies further than this above the band's top gets "ease off" at
#: the start of every bout even when switching alone could hold the band: plans ask for an
#: effort "a little above the band" (10-35 bpm, the simulated demo athlete's range); far above
#: it, bouts are short and HR sweeps the band.
FAR_ABOVE_BPM: Final = 35.0

#: When even the shortest work bout would carry HR over the top (efforts far apart, fast
#: responders), rest goes on below the bottom until the undershoot reaches this share of the
#: overshoot it avoids: above the band is the wrong metabolism and nearer the safety ceiling.
#: 0.5 lowered the worst overshoot of the benchmark's 40-60 bpm group from 16.7 to 13.0 bpm
#: without losing time in band (0.3-1.0 tried).
UNDERSHOOT_PER_OVERSHOOT: Final = 0.5

#: In "plan first" (keep_pairs) cues look this far past the dead time: about the time an
#: athlete needs to change pace and the HR to start answering.
CUE_LOOKAHEAD_S: Final = 10.0

#: In "plan first" (keep_pairs) a work bout still ends early when cues have not held HR and it
#: is predicted this far above the top: the band outranks the plan's shape.
PAIRS_OVERRUN_BPM: Final = 3.0


@dataclass(frozen=True, slots=True)
class Moment:
    """What the rules see at one reading."""

    t: float
    phase: Kind
    level_bpm: float  # HR now, as the loop believes it
    low: float
    high: float
    margin_bpm: float  # room kept inside each edge
    min_interval_s: float
    wait_s: float  # until the minimum interval allows a switch (0: now)
    active_s: float  # time in this phase, holds excluded
    planned_s: float  # the planned length of this interval
    safety_rest: bool
    eased_last_bout: bool
    may_start_work: bool  # False once "plan first" has run all its pairs
    response: ResponseEstimate

    @property
    def top(self) -> float:
        return self.high - self.margin_bpm

    @property
    def bottom(self) -> float:
        return self.low + self.margin_bpm


@dataclass(frozen=True, slots=True)
class Action:
    switch_to: Kind | None = None
    reason: str = ""
    cue: Cue | None = None


def extreme(m: Moment, predict: Predict, switch_at: float) -> tuple[float, float]:
    """The peak (in work) or trough (in rest) if the effort changes at ``switch_at``, and in how
    many seconds it comes."""
    other: Kind = "rest" if m.phase == "work" else "work"
    hi, t_hi, lo, t_lo = predict([(switch_at, other)])
    return (hi, t_hi - m.t) if m.phase == "work" else (lo, t_lo - m.t)


def next_extreme(m: Moment, predict: Predict) -> tuple[float, float]:
    """:func:`extreme` for a switch at the next decision the minimum interval allows."""
    return extreme(m, predict, m.t + max(m.wait_s, DECISION_STEP_S))


def forced_excursion(m: Moment, predict: Predict) -> float:
    """How far the other phase, held for the minimum interval, would carry HR out of the band
    (bpm; 0 or less when it stays inside)."""
    other: Kind = "rest" if m.phase == "work" else "work"
    hi, _, lo, _ = predict([(m.t, other), (m.t + m.min_interval_s, m.phase)])
    return hi - m.top if other == "work" else m.bottom - lo


def band_first(m: Moment, predict: Predict) -> Action:
    """The default: each interval ends when the heart rate says so."""
    peak_or_trough, in_s = next_extreme(m, predict)
    can_switch = m.wait_s <= 0.0
    if m.phase == "work":
        work_bpm = m.response.work_bpm
        if can_switch and peak_or_trough > m.top:
            return Action("rest", reach_reason(peak_or_trough, in_s))
        if peak_or_trough > m.high + EASE_OFF_TOLERANCE_BPM or (
                m.active_s < EARLY_EASE_OFF_S and m.level_bpm < m.high
                and (m.eased_last_bout or work_bpm > m.high + FAR_ABOVE_BPM)):
            return Action(cue="ease off")
        if (work_bpm < m.bottom and m.level_bpm < m.bottom and peak_or_trough < m.bottom
                and m.active_s >= 2.0 * m.min_interval_s):
            return Action(cue="pick it up")
        return Action()
    if m.safety_rest or not can_switch:
        return Action()
    if peak_or_trough < m.bottom:
        overshoot = forced_excursion(m, predict)
        if overshoot <= 0.0 or m.bottom - peak_or_trough >= UNDERSHOOT_PER_OVERSHOOT * overshoot:
            return Action("work", fall_reason(peak_or_trough, in_s))
        return Action()  # even the shortest bout would overshoot: rest a little lower first
    if (m.active_s >= m.planned_s and m.level_bpm < m.top
            and forced_excursion(m, predict) <= 0.0):
        # HR settled inside the band: work again when a shortest work bout fits under the top;
        # if it does not (the rest effort alone now holds the band, e.g. after drift), resting
        # on keeps HR in the band.
        return Action("work", "planned length reached")
    return Action()


def plan_first(m: Moment, predict: Predict) -> Action:
    """``keep_pairs``: planned lengths, the band held by cues inside each work bout."""
    peak_or_trough, in_s = next_extreme(m, predict)
    can_switch = m.wait_s <= 0.0
    if m.phase == "work":
        if can_switch and m.active_s >= m.planned_s:
            return Action("rest", "planned length reached")
        if can_switch and peak_or_trough > m.high + PAIRS_OVERRUN_BPM:
            return Action("rest", reach_reason(peak_or_trough, in_s))
        hi, _, lo, _ = predict([(m.t + m.response.dead_time_s + CUE_LOOKAHEAD_S, "work")])
        if hi > m.top:
            return Action(cue="ease off")
        if lo < m.bottom and m.response.work_bpm < m.bottom:
            return Action(cue="pick it up")
        return Action()
    if m.safety_rest or not can_switch or not m.may_start_work:
        return Action()
    if peak_or_trough < m.bottom:
        return Action("work", fall_reason(peak_or_trough, in_s))
    if m.active_s >= m.planned_s:
        return Action("work", "planned length reached")
    return Action()


def expected_remaining(m: Moment, predict: Predict, keep_pairs: bool,
                       horizon_s: float) -> float | None:
    """Seconds until the rules are expected to end this phase; None if nothing will."""
    if keep_pairs:
        return max(m.wait_s, m.planned_s - m.active_s)
    timer_s = max(0.0, m.planned_s - m.active_s)

    def due(after_s: float) -> bool:
        value, _ = extreme(m, predict, m.t + after_s)
        return value > m.top if m.phase == "work" else value < m.bottom

    if due(m.wait_s):
        return m.wait_s
    if not due(horizon_s):
        return None if m.phase == "work" else max(m.wait_s, timer_s)
    lo, hi = m.wait_s, horizon_s  # due(lo) is False, due(hi) is True
    while hi - lo > 1.0:
        mid = (lo + hi) / 2.0
        lo, hi = (lo, mid) if due(mid) else (mid, hi)
    return hi if m.phase == "work" else min(hi, max(m.wait_s, timer_s))


def reach_reason(peak_bpm: float, in_s: float) -> str:
    if in_s < 1.0:
        return f"HR at {peak_bpm:.0f}, the band's top"
    return f"HR predicted to reach {peak_bpm:.0f} in {in_s:.0f} s"


def fall_reason(trough_bpm: float, in_s: float) -> str:
    return f"HR predicted to fall to {trough_bpm:.0f} in {in_s:.0f} s"
