"""Skipping in a ramp (issue 14): Ctrl+N ends one step, never the whole test; the engine's
RampCourse says how the ramp went against its plan, in words the result screens show."""

from __future__ import annotations

from tests.core.test_engine import engine, plan, sample
from zonetrainer.core.model import IntervalRecord, SessionEvent, SessionRecord
from zonetrainer.core.ramp import (
    NOT_REACHED,
    RAMP_FINISHED,
    STEP_SKIPPED,
    RampCourse,
    course_of_record,
)

RAMP = plan('[[block]]\nkind = "warmup"\nduration_s = 30\n'
            '[[block]]\nkind = "ramp"\nsteps = 3\nstep_s = 60\n'
            '[[block]]\nkind = "cooldown"\nduration_s = 30\n')


def feed(e: object, start: int, stop: int, hr: float = 120.0) -> object:
    state = None
    for t in range(start, stop):
        state = e.feed(sample(t, hr))  # type: ignore[attr-defined]
    return state


def test_skip_in_a_ramp_ends_one_step_and_the_next_runs_its_whole_length() -> None:
    e = engine(RAMP)
    state = feed(e, 1, 50)  # 19 s into step 1 (the ramp began at 30 s)
    assert state.block_kind == "ramp" and state.ramp_step == 0 and state.ramp_steps == 3
    assert state.session_duration_s == 240.0
    state = e.end_interval()
    assert state.block_kind == "ramp" and state.ramp_step == 1  # one step, not the test
    assert state.phase == "work" and state.phase_remaining_s == 60.0
    assert state.session_duration_s == 199.0  # shorter by the 41 s left of step 1
    assert [(i.kind, i.end_s, i.end_reason) for i in e.intervals][-1] == ("work", 49.0,
                                                                           STEP_SKIPPED)
    assert [(ev.kind, ev.detail) for ev in e.events][-1] == ("skip_step",
                                                             "step 1 of 3 in block 2 (ramp)")
    state = feed(e, 50, 109)
    assert state.ramp_step == 1 and state.phase_remaining_s == 1.0
    state = feed(e, 109, 111)
    assert state.ramp_step == 2  # step 2 ran its 60 s
    state = feed(e, 111, 170)
    assert state.block_kind == "cooldown" and state.ramp_step is None
    assert [i.end_reason for i in e.intervals][1:4] == [STEP_SKIPPED, "step done", RAMP_FINISHED]
    course = e.ramp_course
    assert course == RampCourse(3, 3, (1,), RAMP_FINISHED, 0)
    assert not course.as_planned and course.ran_to_end
    assert course.describe() == "The ramp did not run as planned: step 1 of 3 was skipped."


def test_skipping_the_last_step_ends_the_ramp_and_says_so() -> None:
    e = engine(RAMP)
    feed(e, 1, 35)
    e.end_interval()
    e.end_interval()
    state = e.end_interval()  # step 3 of 3: the ramp ends (the dashboard asks first)
    assert state.block_kind == "cooldown"
    assert e.ramp_course == RampCourse(3, 3, (1, 2, 3), STEP_SKIPPED, 0)
    assert e.ramp_course.describe() == ("The test was cut short: its last step (3 of 3) was "
                                        "skipped; steps 1 and 2 of 3 were skipped before.")
    assert e.ramp_course.meaning(False).endswith(". A whole ramp may give an estimate.")


def test_no_skip_in_a_safety_rest_or_while_paused() -> None:
    e = engine(RAMP)
    feed(e, 1, 40)
    state = feed(e, 40, 45, hr=190.0)  # above the ceiling of 175
    assert state.safety_rest
    state = e.end_interval()
    assert state.safety_rest and state.ramp_step == 0 and state.block_kind == "ramp"
    feed(e, 45, 60, hr=120.0)
    e.pause()
    state = e.end_interval()
    assert state.ramp_step == 0 and state.paused
    assert not any(ev.kind == "skip_step" for ev in e.events)
    assert e.ramp_course is not None and e.ramp_course.safety_rests == 1


def test_the_course_of_a_ramp_ended_by_the_user_or_never_reached() -> None:
    e = engine(RAMP)
    feed(e, 1, 100)  # in step 2
    e.end("ended by user")
    assert e.ramp_course == RampCourse(3, 2, (), "ended by user", 0)
    assert e.ramp_course.describe() == "The test was cut short at step 2 of 3 (ended by user)."
    e = engine(RAMP)
    feed(e, 1, 10)
    e.end("ended by user")
    assert e.ramp_course is not None and e.ramp_course.ended == NOT_REACHED
    assert e.ramp_course.describe() == ("The test was cut short: the session ended before the "
                                        "ramp began.")
    e = engine(RAMP)
    feed(e, 1, 225)  # the whole ramp, then ended in the cool-down: the ramp ran as planned
    e.end("ended by user")
    assert e.ramp_course is not None and e.ramp_course.as_planned
    assert e.ramp_course.describe() == "" and e.ramp_course.meaning(True) == ""
    e = engine(RAMP)
    feed(e, 1, 40)
    e.skip()  # the whole block (not what Ctrl+N does any more)
    assert e.ramp_course == RampCourse(3, 1, (), "skipped", 0)


def test_a_plan_without_a_ramp_has_no_course() -> None:
    e = engine(plan('[[block]]\nkind = "steady"\nduration_s = 60\n'))
    assert e.ramp_course is None and e.state.ramp_steps is None


def test_course_json_and_a_record_stored_before_courses_were() -> None:
    course = RampCourse(10, 6, (4,), "ended by user", 1)
    assert RampCourse.from_json(course.to_json()) == course
    header = None  # course_of_record reads only intervals, events, status and extra

    def record(intervals: tuple[IntervalRecord, ...], events: tuple[SessionEvent, ...],
               status: str) -> SessionRecord:
        return SessionRecord(1, header, (), intervals, events, None, status)  # type: ignore[arg-type]

    def interval(reason: str) -> IntervalRecord:
        return IntervalRecord(0, "work", 0.0, 1.0, 1.0, reason)

    finished = record((interval("step done"), interval(RAMP_FINISHED)), (), "ended early")
    assert course_of_record(finished) == RampCourse(0, ended=RAMP_FINISHED)  # ended in cool-down
    ended = record((interval("step done"), interval("ended by user")),
                   (SessionEvent(100.0, "end", "ended by user"),), "ended early")
    assert course_of_record(ended) == RampCourse(0, ended="ended by user")
    assert course_of_record(ended).describe() == "The test was cut short (ended by user)."
    skipped = record((interval("skipped"),), (SessionEvent(50.0, "skip", "block 2 (ramp)"),),
                     "finished")
    assert course_of_record(skipped) == RampCourse(0, ended="skipped")
    assert course_of_record(record((), (), "imported")) is None
