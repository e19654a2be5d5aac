"""The zone-control loop's decision rules, as pure functions of one moment.

:class:`zonetrainer.core.control.ZoneController` keeps the state (phase, clocks, the learnt
response, the interval records); at every usable reading it builds a :class:`Moment` and asks
:func:`band_first` or :func:`plan_first` what to do. A rule answers with an :class:`Action`:
switch (and why), and which cue to show.
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

#: A work effort whose identified steady HR lies further than this above the band's top gets
#: "ease off" all through each bout while HR is under the top, even when switching alone could
#: hold the band: far above it bouts are short and HR sweeps the band. 25, not the 35 that
#: separates the benchmark's groups: after one or two bouts much shorter than the athlete's tau
#: the fit cannot tell effort from tau, and the tau prior pulls the effort down (40-50 bpm
#: above came out 25-32 at the second bout); 35 left 9 of the 24 second bouts of the 40-60 bpm
#: group without an early cue, 25 one, with no loss in band for the 10-35 group (0.985).
#: In the first bout, while HR rises at least TREND_MIN_RISE_BPM_PER_S, the effort the rise
#: heads for at the model's tau counts too (trend + rise x tau): the fit has no work response
#: of this athlete yet.
FAR_ABOVE_BPM: Final = 25.0

#: When even the shortest work bout would carry HR over the top (efforts far apart, fast
#: responders), rest goes on below the bottom until the undershoot reaches this share of the
#: overshoot it avoids: above the band is the wrong metabolism and nearer the safety ceiling.
#: 0.5 lowered the worst overshoot of the benchmark's 40-60 bpm group from 16.7 to 13.0 bpm
#: without losing time in band (0.3-1.0 tried).
UNDERSHOOT_PER_OVERSHOOT: Final = 0.5

#: The one exception to the minimum interval besides safety: a work bout ends before it when
#: working one second longer is predicted (by the identified model) to carry HR more than this
#: over the band's top. Only fast hearts far above the band get there (tau 25-45 s, 40-60 bpm
#: above: HR climbs 2-3 bpm/s and goes on for the dead time, so a 25 s bout peaked 10-13 bpm
#: over the top in the benchmark); for them a shorter bout is the lesser evil, as a safety rest
#: is. The rest that follows keeps the full minimum, so the loop cannot chatter: at most one
#: early end per pair. 5 bpm: about twice the strap noise's SD (1.5-3 bpm, DESIGN.md).
#: Benchmark, 40-60 bpm group: worst overshoot 13.0 bpm without the exception, 7.7-8.5 with 3, 5
#: or 6 bpm; with 5 it ends 34 % of that group's work bouts early (the shortest 16 s), none of
#: the other groups'. (Judged on the readings' trend as well, it also cut 10 % of the 10-35 bpm
#: group's bouts, for no gain in their worst overshoot.)
OVERRUN_BPM: Final = 5.0

#: ... and never before this share of the minimum interval: HR must have answered the bout
#: (dead time 5-15 s, DESIGN.md) before a prediction may cut it. Never in a block's first bout
#: either: there the prediction rests on priors and a 15 s trend, not on a response of this
#: athlete, and a block may begin with HR already high, which the minimum interval and the
#: safety ceiling govern.
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

#: In "plan first" (keep_pairs) cues look this far past the dead time: about the time an
#: athlete needs to change pace and the HR to start answering.
CUE_LOOKAHEAD_S: Final = 10.0

#: In "plan first" (keep_pairs) a work bout still ends early when cues have not held HR and it
#: is predicted this far above the top: the band outranks the plan's shape.
PAIRS_OVERRUN_BPM: Final = 3.0


#: The reason of an interval that ran its planned length.
PLANNED_REACHED: Final = "planned length reached"

#: A rest that ends this much after its planned length ended because HR settled, not because
#: of the plan: a few decisions' worth, so a rest ending at its length keeps the plain reason.
LATE_REST_S: Final = 5.0


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
            return Action("rest", reach_reason(peak_or_trough, in_s, m.high))
        if not can_switch and m.active_s >= OVERRUN_FLOOR_SHARE * m.min_interval_s:
            peak_next, next_in_s = extreme(m, predict, m.t + DECISION_STEP_S)
            if peak_next > m.high + OVERRUN_BPM:
                return Action("rest", overrun_reason(peak_next, next_in_s, m.high))
        if m.first_bout and m.rise_bpm_per_s >= TREND_MIN_RISE_BPM_PER_S:
            # no work response seen yet: the effort a fast rise heads for, at the model's tau
            # (the prior's at first), is the better guess of how hard this is
            work_bpm = max(work_bpm, m.trend_bpm + m.rise_bpm_per_s * m.response.tau_s)
        if (peak_or_trough > m.high + EASE_OFF_TOLERANCE_BPM
                or (m.level_bpm < m.high and work_bpm > m.high + FAR_ABOVE_BPM)):
            return Action(cue="ease off")
        if m.active_s < EARLY_EASE_OFF_S and m.level_bpm < m.high and m.eased_last_bout:
            return Action(cue="ease off", cue_carried_over=True)
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
        return Action("work", settled_reason(m))
    return Action()


def settled_reason(m: Moment) -> str:
    """Why a rest that ran at least its planned length ends: the plan, or, when HR kept it
    going well past that, the heart rate (a user read "planned length reached" on a rest planned
    at 2:00 that lasted 11:20)."""
    if m.active_s < m.planned_s + LATE_REST_S:
        return PLANNED_REACHED
    return f"HR settled in the band ({m.level_bpm:.0f}), {m.active_s - m.planned_s:.0f} s " \
           "after the planned length"


def unseen_overrun(t: float, since_s: float, min_interval_s: float, high: float,
                   predict: Predict) -> bool:
    """Signal lost in work (not in the first bout): whether the model, run open loop from HR
    as it last knew it, has HR more than OVERRUN_BPM over the top even if the athlete rests
    now. A fast riser working on unseen gets there well before the 30 s a lost work bout may
    last; no sooner than the exception's floor after the bout began (``since_s`` ago)."""
    if since_s < OVERRUN_FLOOR_SHARE * min_interval_s:
        return False
    return predict([(t, "rest")])[0] > high + OVERRUN_BPM


def plan_first(m: Moment, predict: Predict) -> Action:
    """``keep_pairs``: planned lengths, the band held by cues inside each work bout."""
    peak_or_trough, in_s = next_extreme(m, predict)
    can_switch = m.wait_s <= 0.0
    if m.phase == "work":
        if can_switch and m.active_s >= m.planned_s:
            return Action("rest", PLANNED_REACHED)
        if can_switch and peak_or_trough > m.high + PAIRS_OVERRUN_BPM:
            return Action("rest", reach_reason(peak_or_trough, in_s, m.high))
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
        return Action("work", PLANNED_REACHED)
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


def reach_reason(peak_bpm: float, in_s: float, top_bpm: float | None = None) -> str:
    """Why work ends on HR: at the top, over it (with the top's number: "HR at 147, the band's
    top" of a band topping at 126 was wrong), or predicted to reach a value."""
    if top_bpm is None:
        return (f"HR at {peak_bpm:.0f}" if in_s < 1.0
                else f"HR predicted to reach {peak_bpm:.0f} in {in_s:.0f} s")
    if in_s < 1.0:
        where = "above" if round(peak_bpm) > round(top_bpm) else "near"  # it ends inside a margin
        return f"HR at {peak_bpm:.0f}, {where} the band's top of {top_bpm:.0f}"
    return f"HR predicted to reach {peak_bpm:.0f} in {in_s:.0f} s (the band's top is " \
           f"{top_bpm:.0f})"


def overrun_reason(peak_bpm: float, in_s: float, top_bpm: float | None = None) -> str:
    return f"{reach_reason(peak_bpm, in_s, top_bpm)}: ended before the minimum interval"


def fall_reason(trough_bpm: float, in_s: float) -> str:
    return f"HR predicted to fall to {trough_bpm:.0f} in {in_s:.0f} s"
