"""The zone-control loop's decision rules, as pure functions of one moment.

:class:`zonetrainer.core.control.ZoneController` keeps the state (phase, clocks, the learnt
response, the interval records); at every usable reading it builds a :class:`Moment` and asks
the shape-keeping rule (:mod:`zonetrainer.core.control._timing`) what to do, which answers with
an :class:`Action`. Here: the moment, the predictions both use, and the reasons' wording.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from zonetrainer.core.control._model import ResponseEstimate

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
#: dead time of 5-15 s the HR shows it only when it is too late. A block's first bout goes by
#: the athlete's last session (zonetrainer.core.control).
EARLY_EASE_OFF_S: Final = 10.0

#: A lost signal in work ends the bout (``unseen_overrun``) once the model, run open loop, has
#: HR more than this over the band's top even if the athlete rests now: about twice the strap
#: noise's SD (1.5-3 bpm, DESIGN.md). (Issue 5 used it to cut work bouts short; since issue 13
#: only safety, a lost signal and the athlete end a bout before min_work_s.)
OVERRUN_BPM: Final = 5.0

#: ... and never before this share of the minimum interval: HR must have answered the bout
#: (dead time 5-15 s, DESIGN.md) before a prediction may end it.
OVERRUN_FLOOR_SHARE: Final = 0.5

#: In the first work bout the model has seen no work response of this athlete, and the prior
#: (tau 58 s) under-predicts a fast riser. While the readings rise at least this fast, the loop
#: also believes their trend carried over the dead time (:func:`trend_peak`), if higher. Not
#: later: the fitted model is better then, and the trend's noise would end bouts early (tried in
#: every bout at any rise, it cut the inside-the-band group's work share from 0.95 to 0.83).
#: Benchmark, 40-60 bpm group: worst overshoot (in a first bout) 11.6 bpm without it, 8.5 with.
#: 1 bpm/s: a slower rise gains at most about 15 bpm over a dead time (5-15 s), less than a
#: band's width, which the model's own prediction handles.
TREND_MIN_RISE_BPM_PER_S: Final = 1.0


#: The reason of an interval that ran its planned length.
PLANNED_REACHED: Final = "planned length reached"


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
    rise_bpm_per_s: float  # the trend of the readings (the filter's slope)
    trend_bpm: float  # the readings' trend line now
    first_bout: bool  # no interval has ended yet: the model has not seen a whole work bout
    may_start_work: bool  # False once "plan first" has run all its pairs
    response: ResponseEstimate
    first_rest: bool = False  # no rest has ended yet: the model has not seen a whole rest

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
    #: The cue repeats the last bout's (EARLY_EASE_OFF_S), not something seen in this one: it
    #: does not make this bout count as one that needed it.
    cue_carried_over: bool = False


def extreme(m: Moment, predict: Predict, switch_at: float) -> tuple[float, float]:
    """The peak (in work) or trough (in rest) if the effort changes at ``switch_at``, and in how
    many seconds it comes. In the first work bout, while HR rises fast, the higher of the
    model's peak and :func:`trend_peak`."""
    other: Kind = "rest" if m.phase == "work" else "work"
    hi, t_hi, lo, t_lo = predict([(switch_at, other)])
    if (m.phase == "work" and m.first_bout
            and m.rise_bpm_per_s >= TREND_MIN_RISE_BPM_PER_S):
        carried, in_s = trend_peak(m, switch_at)
        if carried > hi:
            return carried, in_s
    return (hi, t_hi - m.t) if m.phase == "work" else (lo, t_lo - m.t)


def trend_peak(m: Moment, switch_at: float) -> tuple[float, float]:
    """The peak the readings' own trend leads to if work ends at ``switch_at``: HR goes on
    rising for the dead time after it, slowing with the identified tau (a first-order response
    rising at rate r climbs r * tau * (1 - exp(-u / tau)) in u seconds, whatever its target)."""
    if m.rise_bpm_per_s <= 0.0:
        return m.trend_bpm, 0.0
    tau = m.response.tau_s
    u = max(0.0, switch_at - m.t) + m.response.dead_time_s
    return m.trend_bpm + m.rise_bpm_per_s * tau * (1.0 - math.exp(-u / tau)), u


def next_extreme(m: Moment, predict: Predict) -> tuple[float, float]:
    """:func:`extreme` for a switch at the next decision the minimum interval allows."""
    return extreme(m, predict, m.t + max(m.wait_s, DECISION_STEP_S))


def unseen_overrun(t: float, since_s: float, min_interval_s: float, high: float,
                   predict: Predict) -> bool:
    """Signal lost in work (not in the first bout): whether the model, run open loop from HR
    as it last knew it, has HR more than OVERRUN_BPM over the top even if the athlete rests
    now. A fast riser working on unseen gets there well before the 30 s a lost work bout may
    last; no sooner than the exception's floor after the bout began (``since_s`` ago)."""
    if since_s < OVERRUN_FLOOR_SHARE * min_interval_s:
        return False
    return predict([(t, "rest")])[0] > high + OVERRUN_BPM


def reach_reason(peak_bpm: float, in_s: float, top_bpm: float) -> str:
    """Why work ends on HR, with the band's top named ("HR at 147, the band's top" of a band
    topping at 126 was wrong): at it, over it, or predicted to reach a value."""
    if in_s < 1.0:
        where = "above" if round(peak_bpm) > round(top_bpm) else "near"  # it ends inside a margin
        return f"HR at {peak_bpm:.0f}, {where} the band's top of {top_bpm:.0f}"
    return f"HR predicted to reach {peak_bpm:.0f} in {in_s:.0f} s (the band's top is " \
           f"{top_bpm:.0f})"


def fall_reason(trough_bpm: float, in_s: float) -> str:
    return f"HR predicted to fall to {trough_bpm:.0f} in {in_s:.0f} s"
