"""When work and rest switch, keeping the plan's shape (issue 13).

A work bout runs its planned length; it may end sooner only after ``min_work_s`` (default 60 %
of the planned work, never under 60 s), when the heart is predicted over the band's top and
cues (or the lever at its lowest) have not held it. A rest ends when HR has settled to the
band's bottom, not before ``min_rest_s`` and at the latest at twice the planned rest. Safety,
a lost signal and the athlete end an interval at any time (handled by the controller).
"""

from __future__ import annotations

from typing import Final

from zonetrainer.core.control._policy import (
    DECISION_STEP_S,
    PLANNED_REACHED,
    Action,
    Moment,
    Predict,
    fall_reason,
    reach_reason,
)

#: The shortest work bout as a share of the planned one, and in seconds (issue 13).
MIN_WORK_SHARE: Final = 0.6
MIN_WORK_FLOOR_S: Final = 60.0

#: The shortest rest as a share of the planned one: a rest that HR settles early still lets the
#: athlete breathe, and the work bouts keep about their planned length (the time a shorter rest
#: leaves goes to the pairs after it).
MIN_REST_SHARE: Final = 1.0

#: The longest rest, in planned rests (issue 13).
MAX_REST_FACTOR: Final = 2.0

#: Without a lever, a work bout past ``min_work_s`` ends when the peak a switch at the next
#: decision leads to is predicted this far above the top: twice the strap noise's SD, so the
#: plan's length is kept unless the band is clearly lost.
EARLY_END_BPM: Final = 3.0

TIME_SHORT: Final = "the block's time left is needed for the work bouts still to come"
REST_LONGEST: Final = "rest at its longest (twice the planned rest)"


def default_min_work_s(work_s: float) -> float:
    """60 % of the planned work, never under 60 s (nor over the planned work itself)."""
    return min(work_s, max(MIN_WORK_FLOOR_S, MIN_WORK_SHARE * work_s))


def shape_rule(m: Moment, predict: Predict, *, min_work_s: float, rest_s: float,
               min_rest_s: float, lever_floor: bool | None, must_start: bool = False,
               rest_above_work: bool = False) -> Action:
    """The switch, if any. ``lever_floor``: None without a lever; else whether the lever is
    at its lowest (only then may the band end a work bout early). ``must_start``: the block's
    time left is just enough for the work bouts still to come at their shortest.
    ``rest_above_work``: this rest's mean HR so far is not yet under the last work bout's (a
    slow heart after a first bout that began low): the rest goes on, up to its longest, so
    that work HR stays above rest HR."""
    if m.phase == "work":
        if m.active_s >= max(m.planned_s, min_work_s):
            return Action("rest", PLANNED_REACHED)
        if m.active_s < min_work_s:
            return Action()
        hi, t_hi, _, _ = predict([(m.t + DECISION_STEP_S, "rest")])
        if lever_floor is None and hi > m.high + EARLY_END_BPM:
            return Action("rest", reach_reason(hi, t_hi - m.t, m.high))
        if lever_floor and m.level_bpm > m.high + EARLY_END_BPM:
            return Action("rest", reach_reason(m.level_bpm, 0.0, m.high))
        return Action()
    if m.safety_rest or not m.may_start_work:
        return Action()
    if must_start:
        return Action("work", TIME_SHORT)
    if m.active_s >= MAX_REST_FACTOR * rest_s:
        return Action("work", REST_LONGEST)
    if m.active_s < _shortest_rest(m, rest_s, min_rest_s) or rest_above_work:
        return Action()
    _, _, lo, t_lo = predict([(m.t + DECISION_STEP_S, "work")])
    # the predicted trough counts once the model has seen a rest of this athlete: before, its
    # rest level is the prior's, and a slow heart (a slow component of recovery of 150-350 s)
    # would start work while still far above the bottom
    if m.level_bpm <= m.bottom or (lo <= m.bottom and not m.first_rest):
        if m.active_s >= m.planned_s:
            return Action("work", PLANNED_REACHED)
        return Action("work", fall_reason(min(lo, m.level_bpm), max(0.0, t_lo - m.t)))
    return Action()


def expected_remaining(m: Moment, predict: Predict, *, min_work_s: float, rest_s: float,
                       min_rest_s: float, lever: bool) -> float | None:
    """Seconds until :func:`shape_rule` is expected to end this phase, for a countdown: the
    planned end, or sooner (work) / later (rest) where the prediction says the heart will."""
    if m.phase == "work":
        planned = max(0.0, max(m.planned_s, min_work_s) - m.active_s)
        if lever:
            return planned
        earliest = max(0.0, min_work_s - m.active_s)

        def over(after_s: float) -> bool:
            return predict([(m.t + after_s, "rest")])[0] > m.high + EARLY_END_BPM

        if earliest >= planned or not over(planned):
            return planned
        if over(earliest):
            return earliest
        lo, hi = earliest, planned
        while hi - lo > 1.0:
            mid = (lo + hi) / 2.0
            lo, hi = (lo, mid) if over(mid) else (mid, hi)
        return hi
    if not m.may_start_work:
        return None  # the block's last rest: the block's own end ends it
    earliest = max(0.0, _shortest_rest(m, rest_s, min_rest_s) - m.active_s)
    latest = max(earliest, MAX_REST_FACTOR * rest_s - m.active_s)

    def settled(after_s: float) -> bool:
        return predict([(m.t + after_s, "rest"), (m.t + after_s + DECISION_STEP_S, "work")])[
            2] <= m.bottom

    if settled(earliest):
        return earliest
    if not settled(latest):
        return latest
    lo, hi = earliest, latest
    while hi - lo > 1.0:
        mid = (lo + hi) / 2.0
        lo, hi = (lo, mid) if settled(mid) else (mid, hi)
    return hi


def _shortest_rest(m: Moment, rest_s: float, min_rest_s: float) -> float:
    """A rest lasts at least ``min_rest_s``, and its planned length where work bouts that
    ended early left time over for it (never over twice the planned rest): the block's time
    goes to the rests between the plan's pairs, not to one long rest at its end."""
    return max(min_rest_s, min(m.planned_s, MAX_REST_FACTOR * rest_s))
