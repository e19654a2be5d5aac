"""The session loop (asyncio): source -> engine -> recorder, paced by the injected clock.

One task owns the loop. On every tick it drains the source, feeds each sample to the engine,
ticks the engine, tells the source what the athlete is asked to do (the simulated athlete is a
closed loop), reports the state, and every ``batch_every_s`` of session time hands the recorder a
batch, so a crash loses at most that much. Cancelling the task (Ctrl-C under ``asyncio.run``)
ends the session cleanly: the last batch and the summary are still stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Final

from zonetrainer.core import control
from zonetrainer.core.clock import Clock, VirtualClock
from zonetrainer.core.control import BoutHistory
from zonetrainer.core.engine import Alpha1Source, SessionEngine, default_alpha1
from zonetrainer.core.model import SessionHeader, SessionState, SessionSummary
from zonetrainer.core.plan import Plan
from zonetrainer.core.profile import Profile, usual_plan_effort
from zonetrainer.core.recorder import Recorder
from zonetrainer.core.sources.base import EffortSource, HeartRateSource
from zonetrainer.core.sources.effort_driver import EffortDriver
from zonetrainer.core.threshold import ramp_extras

log = logging.getLogger(__name__)

#: Ticks in session seconds. A strap reads about once a second; a virtual clock needs no finer
#: step than that, while a real-time display should answer an intent within a quarter second.
VIRTUAL_TICK_S: Final = 1.0
REAL_TICK_S: Final = 0.25

#: On a virtual clock, let other tasks run every this many ticks (see SessionRunner._sleep_until).
VIRTUAL_YIELD_EVERY: Final = 16

#: A batch every 2 s of session time: a crash loses at most about 2 s of recording.
BATCH_EVERY_S: Final = 2.0

StateCallback = Callable[[SessionState], None]


class SessionRunner:
    """Runs one session; :meth:`pause`, :meth:`resume`, :meth:`skip` and :meth:`end` are the
    intents a dashboard or the terminal sends while :meth:`run` is running.

    After :meth:`run` returns (or is cancelled), ``session_id`` and ``summary`` hold the result.

    ``effort_source``: a fitness machine or an effort sensor. Its readings go to
    :meth:`SessionEngine.ingest_effort`, its events into the record, and the state's
    ``target_effort`` to its :meth:`~EffortSource.request_target` whenever it changes (at once
    on a safety rest). Nothing it does mid-session ends the session (see EffortDriver).
    """

    def __init__(self, engine: SessionEngine, source: HeartRateSource, clock: Clock,
                 recorder: Recorder, header: SessionHeader,
                 on_state: StateCallback | None = None, tick_s: float | None = None,
                 batch_every_s: float = BATCH_EVERY_S, remember_bouts: bool = True,
                 effort_source: EffortSource | None = None) -> None:
        if tick_s is None:
            tick_s = VIRTUAL_TICK_S if isinstance(clock, VirtualClock) else REAL_TICK_S
        if tick_s <= 0 or batch_every_s <= 0:
            raise ValueError("tick_s and batch_every_s must be positive")
        self.engine = engine
        self.source = source
        self.clock = clock
        self.recorder = recorder
        self.header = header
        self.on_state = on_state
        self.tick_s = tick_s
        self.batch_every_s = batch_every_s
        #: Store how the work bouts went, for this athlete's next session (control_memory):
        #: not for a replay (someone's recording) or a profile that is not a stored athlete.
        self.remember_bouts = remember_bouts
        self.session_id: int | None = None
        self.summary: SessionSummary | None = None
        self.end_reason: str | None = None
        #: What :meth:`run` stored with the summary (``Recorder.finish``'s extras): a ramp
        #: session's aerobic-threshold result under ``threshold.EXTRA_KEY``, how the work bouts
        #: went under ``control.BOUT_HISTORY_KEY``.
        self.extra: dict[str, str] = {}
        self.effort_source = effort_source
        self._effort = (None if effort_source is None
                        else EffortDriver(effort_source, clock.now_s,
                                          [block.incline_pct for block in engine.plan.blocks]))
        self._wake = asyncio.Event()
        self._ticks = 0

    # -- intents --------------------------------------------------------------------------------
    # Each returns the new state at once; ``on_state`` hears of it on the next tick (never from
    # inside the call, so an intent sent from ``on_state`` itself is safe).
    def pause(self) -> SessionState:
        return self._intent(self.engine.pause())

    def resume(self) -> SessionState:
        return self._intent(self.engine.resume())

    def skip(self) -> SessionState:
        return self._intent(self.engine.skip())

    def end_interval(self) -> SessionState:
        """Skip the current interval (see :meth:`SessionEngine.end_interval`)."""
        return self._intent(self.engine.end_interval())

    def end(self, reason: str = "ended by user") -> SessionState:
        return self._intent(self.engine.end(reason))

    def nudge_effort(self, steps: int) -> SessionState:
        """The athlete moved the effort (+1 harder, -1 easier): see
        :meth:`SessionEngine.nudge_effort`."""
        return self._intent(self.engine.nudge_effort(steps))

    def _intent(self, state: SessionState) -> SessionState:
        self._wake.set()
        return state

    # -- the loop -------------------------------------------------------------------------------
    async def run(self) -> tuple[int, SessionSummary]:
        """Start the source, run until the plan ends (or an intent or the source ends it),
        store everything, stop the source. Returns (session id, summary)."""
        await self.source.start()
        try:
            if self._effort is not None:
                await self._effort.start()  # a machine that cannot be reached: a clear error
        except BaseException:
            await self.source.stop()
            raise
        try:
            self.session_id = self.recorder.begin(self.header)
            try:
                await self._loop(self.session_id)
            except asyncio.CancelledError:
                log.info("session cancelled: storing what was recorded")
                self._close("interrupted")
                raise
            except Exception as exc:
                # A failing callback or source must not cost the recording: keep what can be
                # kept (the recorder itself may be what failed), then let the error through.
                log.error("session stopped by an error: %s", exc)
                try:
                    self._close("stopped by an error")
                except Exception as second:  # the first error is the one to raise
                    log.error("could not store the end of the session: %s", second)
                raise
            self._close(self.end_reason or "plan finished")
        finally:
            try:
                if self._effort is not None:
                    await self._effort.stop()
            finally:
                await self.source.stop()
        assert self.summary is not None
        return self.session_id, self.summary

    async def _loop(self, session_id: int) -> None:
        engine, source = self.engine, self.source
        next_tick_s = self.clock.now_s()
        next_batch_s = next_tick_s + self.batch_every_s
        while not engine.done:
            next_tick_s += self.tick_s
            await self._sleep_until(next_tick_s)
            now_s = self.clock.now_s()
            for event in source.take_events():
                engine.add_event(event)
            if self._effort is not None:
                events, efforts = self._effort.take(now_s)
                for event in events:
                    engine.add_event(event)
                for effort in efforts:
                    engine.ingest_effort(effort)
            for sample in source.drain(now_s):
                engine.ingest(sample)
            state = engine.tick(now_s)
            if not engine.done and source.finished:
                self.end_reason = "recording ended"
                state = engine.end(self.end_reason)
            source.follow(state)
            if self._effort is not None:
                self._effort.steer(state)
            self._publish(state)
            if now_s >= next_batch_s:
                self.recorder.write(session_id, engine.take_batch())
                next_batch_s = now_s + self.batch_every_s

    @property
    def _is_virtual(self) -> bool:
        return isinstance(self.clock, VirtualClock)

    async def _sleep_until(self, t_s: float) -> None:
        clock = self.clock
        if isinstance(clock, VirtualClock):
            # Handing the loop over on every tick costs a poll of the selector each time, most
            # of an hour's run; every VIRTUAL_YIELD_EVERY ticks keeps cancellation and other
            # tasks going.
            self._ticks += 1
            if self._ticks % VIRTUAL_YIELD_EVERY:
                clock.advance_to(t_s)
            else:
                await clock.sleep_until(t_s)
            return
        # An intent (end) wakes the loop at once instead of after the tick.
        sleeper = asyncio.ensure_future(self.clock.sleep_until(t_s))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()
            self._wake.clear()

    def _close(self, reason: str) -> None:
        """End the engine if needed, write the last batch and the summary."""
        if self.session_id is None:
            return
        if not self.engine.done:
            self.engine.end(reason)
        self.recorder.write(self.session_id, self.engine.take_batch())
        self.summary = self.engine.summary()
        self.extra = self._extras()
        self.recorder.finish(self.session_id, self.summary, self.extra, self.end_status())
        self._publish(self.engine.state)

    def end_status(self) -> str:
        """"ended early" when something ended the session before its plan did (the athlete,
        a replay that ran out, Ctrl-C, an error: each leaves an "end" event), or its ramp did
        not run as planned (a step or the whole ramp skipped: a threshold test cut short, see
        :class:`zonetrainer.core.ramp.RampCourse`); else "finished"."""
        if any(e.kind == "end" for e in self.engine.events):
            return "ended early"
        course = self.engine.ramp_course
        return "ended early" if course is not None and not course.as_planned else "finished"

    def _extras(self) -> dict[str, str]:
        extras: dict[str, str] = {}
        history = self.engine.bout_history
        if self.remember_bouts and history is not None and history.usable:
            # (an unusable one is not stored: the last usable one stays the newest)
            extras[control.BOUT_HISTORY_KEY] = history.to_json()
        try:
            extras.update(ramp_extras(self.engine.plan, self.engine.alpha1_readings,
                                      self.engine.ramp_course))
        except Exception as exc:  # an analysis bug must not cost the recording itself
            log.exception("could not analyse the ramp: %s", exc)
        return extras

    def _publish(self, state: SessionState) -> None:
        if self.on_state is not None:
            self.on_state(state)


def runner_for(plan: Plan, profile: Profile, source: HeartRateSource, clock: Clock,
               recorder: Recorder, started_at: datetime,
               on_state: StateCallback | None = None,
               alpha1_factory: Callable[[], Alpha1Source | None] | None = default_alpha1,
               history: BoutHistory | None = None,
               remember_bouts: bool = True,
               effort_source: EffortSource | None = None) -> SessionRunner:
    """A runner for ``plan`` done by ``profile``: the profile's band, zones and safety ceiling
    drive the engine; the header records them, the profile and the plan's sport.
    ``started_at`` is the wall-clock start for the record (the core reads no clock itself).
    ``history``: how the athlete's work bouts went last time (:func:`control.recall`).
    ``effort_source``: a fitness machine or effort sensor (see :class:`SessionRunner`)."""
    band, zones = profile.band(), profile.zones()
    plan = with_usual_effort(plan, profile)
    engine = SessionEngine(plan, band, zones, profile.safety_ceiling_bpm,
                           alpha1_factory=alpha1_factory, history=history)
    header = SessionHeader(started_at=started_at, plan_name=plan.name,
                           athlete_name=profile.name, band=band, zones=zones,
                           source_id=source.source_id, profile_json=profile.to_json(),
                           sport=plan.sport)
    return SessionRunner(engine, source, clock, recorder, header, on_state=on_state,
                         remember_bouts=remember_bouts, effort_source=effort_source)


def with_usual_effort(plan: Plan, profile: Profile) -> Plan:
    """``plan`` with the profile's usual effort on every intervals block that names none (a
    block's own effort always wins)."""
    usual = usual_plan_effort(profile)
    if usual is None:
        return plan
    blocks = tuple(replace(b, effort=usual) if b.kind == "intervals" and b.effort is None
                   else b for b in plan.blocks)
    return replace(plan, blocks=blocks)


async def run_session(engine: SessionEngine, source: HeartRateSource, clock: Clock,
                      recorder: Recorder, header: SessionHeader,
                      on_state: StateCallback | None = None, tick_s: float | None = None,
                      batch_every_s: float = BATCH_EVERY_S) -> tuple[int, SessionSummary]:
    """Run one session to its end; returns (session id, summary). See :class:`SessionRunner`."""
    runner = SessionRunner(engine, source, clock, recorder, header, on_state=on_state,
                           tick_s=tick_s, batch_every_s=batch_every_s)
    return await runner.run()
