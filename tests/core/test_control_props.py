"""Properties of the zone-control loop under arbitrary input (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from zonetrainer.control import ZoneController

readings = st.lists(
    st.tuples(st.sampled_from([0.5, 1.0, 1.0, 1.0, 2.0, 7.0]),
              st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                        st.floats(min_value=90, max_value=190))),
    min_size=1, max_size=400)


@settings(max_examples=60, deadline=None)
@given(readings)
def test_any_input_gives_a_valid_answer_and_keeps_the_minimum_interval(
        steps: list[tuple[float, float | None]]) -> None:
    c = ZoneController(120, 135, 240, 120, 600, safety_max=175.0, min_interval_s=20.0)
    t = 0.0
    for dt, hr in steps:
        answer = c.update(t, hr)
        assert answer in ("work", "rest", "hold", "done")
        assert c.cue in (None, "ease off a little", "ease off more", "pick it up")
        assert c.cue_level in (0, 1, 2)
        if c.predicted_hr_bpm is not None:
            assert math.isfinite(c.predicted_hr_bpm)
        t += dt
    for record in c.intervals:
        if record.end_reason in ("safety ceiling", "signal lost", "block ended"):
            continue
        if record.kind == "work":
            assert record.actual_s >= c.min_work_s - 1e-9, record
        elif not record.end_reason.startswith("the block's time left"):
            assert record.actual_s >= c.min_rest_s - 1e-9, record
    for a, b in zip(c.intervals, c.intervals[1:], strict=False):
        assert a.end_s == b.start_s and a.kind != b.kind
