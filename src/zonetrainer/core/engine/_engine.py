"""One session: samples in, frozen states and record batches out. Pure and synchronous.

The engine never reads a clock: time is what the samples say (``feed``) and what the runner
says (``tick``). It walks the plan's blocks (see :mod:`zonetrainer.core.engine`), feeds
RR intervals to a DFA alpha1 tracker, counts time in the band and per zone
(:mod:`zonetrainer.core.signal`), and keeps everything new for the next :class:`RecordBatch`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Final

from zonetrainer.core.control import BoutHistory
from zonetrainer.core.engine._blocks import (
    SAFETY_REASON,
    BlockWalk,
    ControlledWalk,
    ControllerFactory,
    Ended,
    FixedWalk,
    walk_for,
)
from zonetrainer.core.engine._effort import EffortTally
from zonetrainer.core.engine._memory import BoutLedger, check_blocks
from zonetrainer.core.engine._ramp import RampTally
from zonetrainer.core.engine._signal import Alpha1Source, SignalWatch, default_alpha1
from zonetrainer.core.model import (
    Alpha1Reading,
    Band,
    EffortSample,
    HeartRateSample,
    IntervalRecord,
    Phase,
    RecordBatch,
    SessionEvent,
    SessionState,
    SessionSummary,
    ZoneTable,
)
from zonetrainer.core.plan import Plan
from zonetrainer.core.ramp import RampCourse
from zonetrainer.core.signal import live_hr, mean_hr_bpm

log = logging.getLogger(__name__)

#: Without a sample, a tick steps the plan only once this much block time has passed since the
#: last step: a strap reads about once a second, and a tick between two readings must not look
#: like a missing reading to the controller.
TICK_STEP_S: Final = 1.0
#: An effort reading older than this is not shown as live: FTMS machines and effort sensors
#: notify about once a second, so a few seconds of silence is a dropped link, not a steady belt.
EFFORT_LIVE_S: Final = 5.0

_FIRST_PHASE: Final[dict[str, Phase]] = {"warmup": "warmup", "cooldown": "cooldown",
                                          "intervals": "work", "steady": "work", "ramp": "work"}


class SessionEngine:
    """Walks ``plan`` for one athlete; ``feed`` samples and ``tick`` the time, read states.

    ``safety_max_bpm``: above it every block turns into a rest within one reading.
    ``controller_factory`` builds the zone controller of each ``intervals`` block (default: a
    :class:`~zonetrainer.core.control.ZoneController` that starts from ``history``, how the
    athlete's work bouts went in their previous session, see
    :mod:`zonetrainer.core.control`).
    ``alpha1_factory`` builds the DFA alpha1 tracker (None: no alpha1).
    """

    def __init__(self, plan: Plan, band: Band, zones: ZoneTable, safety_max_bpm: float | None,
                 controller_factory: ControllerFactory | None = None,
                 alpha1_factory: Callable[[], Alpha1Source | None] | None = default_alpha1,
                 history: BoutHistory | None = None) -> None:
        self.plan = plan
        self.band = band
        self.zones = zones
        self.safety_max_bpm = safety_max_bpm
        self._factory = controller_factory
        self._ledger = BoutLedger(history)
        self.intervals: list[IntervalRecord] = []
        self.events: list[SessionEvent] = []
        self._signal = SignalWatch(band, zones,
                                   alpha1_factory() if alpha1_factory is not None else None,
                                   self.events)
        self._counter = self._signal.counter
        self._samples: list[HeartRateSample] = []
        self._efforts: list[EffortSample] = []
        self._sent_efforts = 0
        self._readings = self._signal.readings
        self._sent = (0, 0, 0, 0)  # samples, intervals, events, readings already batched
        self._now_s = 0.0
        self._paused = False
        self._done = False
        self._block_index = -1
        self._walk: BlockWalk | None = None
        self._block_t = 0.0
        self._last_step_t = -TICK_STEP_S
        self._works_in_block = 0
        # actual minus planned length of finished rest-controlled blocks and skipped ramp steps
        self._shift_s = 0.0
        self._ramp = RampTally(plan)
        self._interval_start_s = 0.0
        self._interval_hrs: list[HeartRateSample] = []  # accepted readings of this interval
        self._interval_effort = EffortTally()
        self._paused_s = 0.0  # time paused in the whole session, and in the open interval
        self._interval_paused_s = 0.0
        self._state: SessionState | None = None
        check_blocks(plan, band, safety_max_bpm)
        self._start_block(0)

    # -- inputs ---------------------------------------------------------------------------------
    def feed(self, sample: HeartRateSample) -> SessionState:
        """Take one reading; returns the state after it. After the end, readings are ignored."""
        self.ingest(sample)
        return self.state

    def ingest(self, sample: HeartRateSample) -> None:
        """:meth:`feed` without building a state (the runner reads the state once per tick)."""
        if self._done:
            return
        self._state = None  # built again when asked for
        self._advance(sample.t_s)
        self._samples.append(sample)
        accepted_hr = self._signal.take(sample)
        if accepted_hr is not None:
            self._interval_hrs.append(replace(sample, hr_bpm=accepted_hr))
        hr = live_hr(sample)  # spikes included: the block's own filter judges them
        if not self._paused and not self._done:
            self._step(hr)

    def ingest_effort(self, sample: EffortSample) -> None:
        """Take one effort reading (a fitness machine's or an effort sensor's): it is recorded,
        shown, and given to the block's loop before its next decision."""
        if self._done:
            return
        self._state = None
        self._efforts.append(sample)
        # The target of a bout: what the machine was told, else what the loop asked for (cues).
        # Paused readings (a stopped belt) stay out of the bout's mean, as paused time stays
        # out of its timer time.
        if not self._paused:
            self._interval_effort.add(sample, sample.target if sample.target is not None else (
                self._walk.target_effort if self._walk is not None else None))
        if self._walk is not None:
            self._walk.take_effort(sample.value)

    def tick(self, now_s: float) -> SessionState:
        """Let time pass with no reading: notice silence, end blocks that are due."""
        if self._done:
            return self.state
        self._advance(now_s)
        if (not self._paused and not self._done
                and self._block_t - self._last_step_t >= TICK_STEP_S):
            self._step(None)
        return self._make_state()

    # -- intents --------------------------------------------------------------------------------
    def pause(self) -> SessionState:
        """Freeze the plan (phase clocks stop); readings are still recorded and counted."""
        if not self._paused and not self._done:
            self._paused = True
            self._event("pause")
        return self._make_state()

    def resume(self) -> SessionState:
        if self._paused and not self._done:
            self._paused = False
            self._event("resume")
            if self._walk is not None:
                self._walk.resumed()
        return self._make_state()

    def skip(self) -> SessionState:
        """End the current block now and start the next one."""
        if not self._done and self._walk is not None:
            self._event("skip", f"block {self._block_index + 1} ({self._walk.block.kind})")
            self._close_open("skipped")
            self._start_block(self._block_index + 1)
        return self._make_state()

    def end_interval(self) -> SessionState:
        """Skip the current interval: in an intervals block end the work bout (set) or the rest
        now and go on to the next phase; in a ramp end this step and start the next (the last
        step ends the ramp); a warm-up, steady or cool-down block is one interval, so it ends
        the block (as :meth:`skip`). During a safety rest nothing changes."""
        walk = self._walk
        if isinstance(walk, FixedWalk) and walk.ramp_step is not None:
            if not self._done and not self._paused:
                step, left_s = walk.ramp_step + 1, walk.remaining_s(self._block_t) or 0.0
                ended = walk.skip_step(self._block_t)
                if ended:  # the session is shorter by what was left of the step
                    self._event("skip_step", f"step {step} of {walk.block.steps} in block "
                                             f"{self._block_index + 1} (ramp)")
                    self._shift_s -= left_s
                self._take_ended(walk, ended)
            return self._make_state()
        if not isinstance(walk, ControlledWalk):
            return self.skip() if not self._paused else self._make_state()
        if not self._done and not self._paused:
            ended = walk.end_interval(self._block_t)
            if ended:
                self._event("end_interval", f"{ended[0].kind} in block {self._block_index + 1}")
            self._take_ended(walk, ended)
        return self._make_state()

    def nudge_effort(self, steps: int) -> SessionState:
        """The athlete moved the effort by ``steps`` (+1 harder, -1 easier; keys +/-)."""
        if not self._done and self._walk is not None and steps:
            self._walk.nudge_effort(steps)
            self._event("effort_nudge", f"{steps:+d}")
            self._state = None
        return self.state

    def end(self, reason: str = "ended by user") -> SessionState:
        """Stop the session now; the open interval ends with ``reason``."""
        if not self._done:
            self._event("end", reason)
            self._close_open(reason)
            self._finish()
        return self._make_state()

    def add_event(self, event: SessionEvent) -> None:
        """Record an event from outside (e.g. the source's link events)."""
        self.events.append(event)

    # -- outputs --------------------------------------------------------------------------------
    @property
    def state(self) -> SessionState:
        return self._state if self._state is not None else self._make_state()

    @property
    def done(self) -> bool:
        return self._done

    @property
    def elapsed_s(self) -> float:
        return self._now_s

    @property
    def samples(self) -> tuple[HeartRateSample, ...]:
        return tuple(self._samples)

    @property
    def efforts(self) -> tuple[EffortSample, ...]:
        return tuple(self._efforts)

    @property
    def alpha1_readings(self) -> tuple[Alpha1Reading, ...]:
        return tuple(self._readings)

    def take_batch(self) -> RecordBatch:
        """Everything recorded since the previous call."""
        s, i, e, a = self._sent
        batch = RecordBatch(samples=tuple(self._samples[s:]), intervals=tuple(self.intervals[i:]),
                            events=tuple(self.events[e:]), alpha1=tuple(self._readings[a:]),
                            efforts=tuple(self._efforts[self._sent_efforts:]))
        self._sent_efforts = len(self._efforts)
        self._sent = (len(self._samples), len(self.intervals), len(self.events),
                      len(self._readings))
        return batch

    def summary(self) -> SessionSummary:
        """Figures of the session so far (final once ``done``)."""
        self._counter.advance(self._now_s)
        return replace(self._counter.summary(self._now_s, self.intervals),
                       timer_s=self._now_s - self._paused_s)

    # -- internals ------------------------------------------------------------------------------
    def _advance(self, t_s: float) -> None:
        if t_s <= self._now_s:
            return
        if not self._paused and not self._done:
            self._block_t += t_s - self._now_s
        elif self._paused and not self._done:
            self._paused_s += t_s - self._now_s
            self._interval_paused_s += t_s - self._now_s
        self._now_s = t_s
        self._signal.advance(t_s)

    def _live_effort(self) -> EffortSample | None:
        """The latest effort reading, if it is recent enough to show as live."""
        if not self._efforts:
            return None
        latest = self._efforts[-1]
        return latest if self._now_s - latest.t_s <= EFFORT_LIVE_S else None

    def _live(self) -> bool:
        return self._signal.live_hr_at(self._now_s) is not None

    def _event(self, kind: str, detail: str = "") -> None:
        self.events.append(SessionEvent(self._now_s, kind, detail))

    @property
    def ramp_course(self) -> RampCourse | None:
        """How the plan's ramp went so far (None: the plan has no ramp block)."""
        if not self._ramp.ramps:
            return None
        return self._ramp.course(self._walk, self._done)

    @property
    def bout_history(self) -> BoutHistory | None:
        """How this session's zone-controlled work bouts went (for the athlete's next session,
        :mod:`zonetrainer.core.control`); None when it had none. Possibly not ``usable``
        (too few bouts to tell): the runner then stores nothing."""
        return self._ledger.session

    @property
    def history_in(self) -> BoutHistory | None:
        """How the athlete's work bouts went last time, as given."""
        return self._ledger.history_in

    def _new_interval(self) -> None:
        self._interval_start_s = self._now_s
        self._interval_hrs = []
        self._interval_effort = EffortTally()
        self._interval_paused_s = 0.0

    def _start_block(self, index: int) -> None:
        self._new_interval()
        if index >= len(self.plan.blocks):
            self._finish()  # which notes the last block's bouts
            return
        self._ledger.note(self._block_index, self._walk)
        self._block_index = index
        self._walk = walk_for(self.plan.blocks[index], self.band, self.safety_max_bpm,
                              self._factory or self._ledger.factory())
        self._block_t = 0.0
        self._last_step_t = -TICK_STEP_S
        self._works_in_block = 0

    def _finish(self) -> None:
        self._ledger.note(self._block_index, self._walk)
        self._done = True
        self._walk = None
        self._counter.advance(self._now_s)

    def _step(self, hr_bpm: float | None) -> None:
        walk = self._walk
        if walk is None:
            return
        self._last_step_t = self._block_t
        self._take_ended(walk, walk.update(self._block_t, hr_bpm))

    def _take_ended(self, walk: BlockWalk, ended: list[Ended]) -> None:
        for e in ended:
            self._record(e.kind, e.planned_s, e.reason, walk)
        if walk.done and walk.block.kind == "ramp":
            self._ramp.leave(walk, ended[-1].reason if ended else "")
        if walk.done:
            if walk.block.kind == "intervals" and walk.block.control == "rest":
                self._shift_s += self._block_t - walk.block.planned_s  # rests set its length
            self._start_block(self._block_index + 1)

    def _record(self, kind: str, planned_s: float, reason: str, walk: BlockWalk) -> None:
        hrs = self._interval_hrs
        exercise = None
        if kind == "work":
            found = walk.block.exercise_for(self._works_in_block)
            exercise = found.name if found else None
            self._works_in_block += 1
        record = IntervalRecord(
            index=len(self.intervals), kind=kind,  # type: ignore[arg-type]
            start_s=self._interval_start_s, end_s=self._now_s, planned_s=planned_s,
            end_reason=reason, exercise=exercise,
            avg_hr_bpm=mean_hr_bpm(hrs, end_s=self._now_s),  # time-weighted, as the summary
            max_hr_bpm=max((h.hr_bpm or 0.0 for h in hrs), default=None),
            avg_effort=self._interval_effort.mean_value,
            avg_target_effort=self._interval_effort.mean_target,
            effort_unit=self._interval_effort.unit,
            timer_s=self._now_s - self._interval_start_s - self._interval_paused_s)
        self.intervals.append(record)
        if reason == SAFETY_REASON:
            self._ramp.safety_rests += walk.block.kind == "ramp"
            hr_now = self._signal.live_hr_at(self._now_s) or 0.0
            self._event("safety_rest", f"HR {hr_now:.0f} bpm above the ceiling of "
                                       f"{self.safety_max_bpm or 0:.0f} bpm")
        self._new_interval()

    def _close_open(self, reason: str) -> None:
        walk = self._walk
        if walk is None:
            return
        if self._now_s > self._interval_start_s or not self.intervals:
            self._record(walk.open_kind, walk.open_planned_s, reason, walk)
        if walk.block.kind == "ramp":
            self._ramp.leave(walk, reason)

    def _make_state(self) -> SessionState:
        live = self._live()
        walk = self._walk
        phase: Phase
        if self._done or walk is None:
            phase, remaining, next_phase = "done", None, None
        else:
            phase = walk.phase
            if not live and walk.block.kind == "intervals":
                phase = "hold"
            remaining = walk.remaining_s(self._block_t)
            next_phase = walk.next_phase()
            timed_block = walk.block.kind == "intervals" and walk.block.control == "both"
            if next_phase is None or (timed_block and remaining is not None
                                      and walk.block.planned_s - self._block_t <= remaining):
                following = self._block_index + 1
                next_phase = (_FIRST_PHASE[self.plan.blocks[following].kind]
                              if following < len(self.plan.blocks) else "done")
        hr = self._signal.live_hr_at(self._now_s)
        effort = self._live_effort()
        block = walk.block if walk is not None else None
        exercise = None
        if block is not None and (phase != "rest" or next_phase == "work"):
            exercise = block.exercise_for(self._works_in_block)  # during a rest: the next one
        state = SessionState(
            elapsed_s=self._now_s,
            phase=phase,
            phase_elapsed_s=self._now_s - self._interval_start_s,
            phase_remaining_s=remaining,
            next_phase=next_phase,
            block_index=self._block_index,
            interval_index=len(self.intervals),
            hr_bpm=hr,
            signal_live=live,
            zone=self.zones.zone_of(hr) if hr is not None else None,
            in_band=self.band.contains(hr) if hr is not None else None,
            band=self.band,
            session_duration_s=self.plan.planned_s + self._shift_s + (
                max(0.0, self._block_t - block.planned_s)
                if block is not None and block.kind == "intervals" and block.control == "rest"
                else 0.0),
            cue=walk.cue if walk is not None and not self._paused else None,
            cue_level=walk.cue_level if walk is not None and not self._paused else 0,
            exercise=exercise,
            alpha1=self._signal.alpha1,
            corrected_share=self._signal.corrected_share,
            time_in_band_s=self._counter.time_in_band_s,
            time_in_zone_s=self._counter.zone_times(),
            paused=self._paused,
            safety_rest=walk.safety_rest if walk is not None else False,
            ramp_step=walk.ramp_step if walk is not None else None,
            ramp_steps=block.steps if block is not None and block.kind == "ramp" else None,
            block_kind=block.kind if block is not None else "",
            effort=effort.value if effort is not None else None,
            target_effort=walk.target_effort if walk is not None else None,
            effort_unit=effort.unit if effort is not None else None,
        )
        self._state = state
        return state


__all__ = ["Alpha1Source", "Ended", "SessionEngine", "default_alpha1"]
