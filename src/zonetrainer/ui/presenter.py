"""Turns the engine's frozen states into Qt signals and the widgets' intents into engine calls.

The presenter owns no widget. It keeps the heart-rate history in a :class:`RingBuffer` that the
plots read on their own timer, so a burst of samples (a fast simulated clock) costs one append
each and never a redraw each.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Final, Protocol

from PySide6.QtCore import QObject, Signal

from zonetrainer.core.model import SessionState, SourceStatus
from zonetrainer.core.plan import Plan
from zonetrainer.core.ringbuffer import RingBuffer
from zonetrainer.ui.loop import TaskSet
from zonetrainer.ui.progress import Progress, ProgressTracker

log = logging.getLogger(__name__)

#: Six hours at up to two samples a second (PLOT_STEP_S): more than any plan ships, so the
#: overview never loses its start.
HISTORY_CAPACITY: Final = 6 * 3600 * 2
#: The plots' buffer takes a state whose reading differs from the last one taken, else one state
#: a second. The runner ticks four times a second (REAL_TICK_S) while a strap reads about once,
#: so three ticks in four repeated the reading: at every tick the buffer held 3 hours, not 6 (the
#: overview of a longer session lost its start) and the plots redrew four times per reading.
PLOT_STEP_S: Final = 1.0


class Controls(Protocol):
    """The intents a running session accepts (the engine offers exactly these)."""

    def pause(self) -> object: ...
    def resume(self) -> object: ...
    def end_interval(self) -> object: ...
    def end(self) -> object: ...
    def nudge_effort(self, steps: int) -> object: ...


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    """A stretch of one phase, for the work/rest background bands of the plots."""

    start_s: float
    end_s: float
    phase: str


CANCELLED: Final = "ended before the strap connected"

#: A running session: given the presenter's on_state callback, a coroutine that runs it to the end
#: and returns (session_id, summary).
SessionRun = Callable[[Callable[[SessionState], None]], Coroutine[Any, Any, Any]]


class SessionPresenter(QObject):
    state_changed = Signal(object)  # SessionState
    status_changed = Signal(object)  # SourceStatus
    phase_changed = Signal(str, str)  # previous phase, new phase
    cue_raised = Signal(str)  # a new cue, or one raised to a higher SessionState.cue_level
    running_changed = Signal(bool)
    session_finished = Signal(object)  # whatever the run returned: (session_id, summary)
    session_failed = Signal(str)

    def __init__(self, tasks: TaskSet | None = None, capacity: int = HISTORY_CAPACITY) -> None:
        super().__init__()
        self.tasks = tasks or TaskSet()
        self.hr = RingBuffer(capacity)
        self.spans: list[PhaseSpan] = []
        self.state: SessionState | None = None
        self.status: SourceStatus | None = None
        #: Seconds into the current phase without its pauses: the engine's phase clock runs on
        #: through a pause, the strength tempo must stand still and resume where it stopped.
        self.tempo_elapsed_s = 0.0
        self._paused_in_phase_s = 0.0
        #: Where the athlete is in the plan (counts, a countdown that only goes down, laps).
        self.tracker = ProgressTracker()
        self.progress: Progress | None = None
        self._controls: Controls | None = None
        self._status_fn: Callable[[], SourceStatus] | None = None
        self._running = False
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._running

    def start(self, run: SessionRun, controls: Controls,
              status_fn: Callable[[], SourceStatus] | None = None,
              plan: Plan | None = None) -> None:
        """Run a session on the asyncio loop; states arrive through :meth:`accept`."""
        if self._running:
            raise RuntimeError("a session is already running")
        self.reset(plan)
        self._controls, self._status_fn = controls, status_fn
        self._set_running(True)
        self._task = self.tasks.spawn(self._run(run), name="session")
        self._task.add_done_callback(self._cancelled)

    async def _run(self, run: SessionRun) -> None:
        try:
            result = await run(self.accept)
        except asyncio.CancelledError:
            self.session_failed.emit(CANCELLED)
            raise
        except Exception as exc:
            log.exception("session failed")
            self.session_failed.emit(str(exc) or type(exc).__name__)
        else:
            self.session_finished.emit(result)
        finally:
            self._controls = None
            self._task = None
            self._set_running(False)

    def _cancelled(self, task: asyncio.Task[None]) -> None:
        """A session cancelled before it ran (ended while its strap was still connecting)."""
        if task.cancelled() and self._running:
            self._controls = None
            self._task = None
            self.session_failed.emit(CANCELLED)
            self._set_running(False)

    def reset(self, plan: Plan | None = None) -> None:
        self.tracker.reset(plan)
        self.progress = None
        self.hr.clear()
        self.spans.clear()
        self.state = None
        self.tempo_elapsed_s = self._paused_in_phase_s = 0.0

    def accept(self, state: SessionState) -> None:
        """One new state from the engine: record it for the plots and tell the widgets."""
        previous = self.state
        self.state = state
        self.progress = self.tracker.follow(state)
        hr_bpm = state.hr_bpm if state.signal_live else None
        if self._plot_takes(state, hr_bpm):
            self.hr.append(state.elapsed_s, hr_bpm)
        self._extend_spans(state)
        self._follow_tempo(previous, state)
        if previous is None or previous.phase != state.phase:
            self.phase_changed.emit(previous.phase if previous else "", state.phase)
        if state.cue and (previous is None or previous.cue != state.cue
                          or previous.cue_level != state.cue_level):
            self.cue_raised.emit(state.cue)
        if self._status_fn is not None:
            status = self._status_fn()
            if status != self.status:
                self.status = status
                self.status_changed.emit(status)
        self.state_changed.emit(state)

    def _plot_takes(self, state: SessionState, hr_bpm: float | None) -> bool:
        """A new reading, a loss or its end, a second since the last sample, or the end."""
        t_s, values = self.hr.last(1)
        if not len(t_s) or state.done:
            return True
        last = float(values[0])
        same = math.isnan(last) if hr_bpm is None else hr_bpm == last
        return not same or not 0.0 <= state.elapsed_s - float(t_s[0]) < PLOT_STEP_S

    def _follow_tempo(self, previous: SessionState | None, state: SessionState) -> None:
        same_phase = previous is not None and (
            previous.phase, previous.block_index, previous.interval_index) == (
            state.phase, state.block_index, state.interval_index)
        if not same_phase:
            self._paused_in_phase_s = 0.0
        elif previous is not None and previous.paused:
            self._paused_in_phase_s += state.elapsed_s - previous.elapsed_s
        self.tempo_elapsed_s = max(0.0, state.phase_elapsed_s - self._paused_in_phase_s)

    def _extend_spans(self, state: SessionState) -> None:
        t = state.elapsed_s
        if self.spans and self.spans[-1].phase == state.phase:
            last = self.spans[-1]
            self.spans[-1] = PhaseSpan(last.start_s, t, last.phase)
        else:
            if self.spans:
                last = self.spans[-1]
                self.spans[-1] = PhaseSpan(last.start_s, t, last.phase)
            self.spans.append(PhaseSpan(t, t, state.phase))

    # intents from the widgets -------------------------------------------------------------
    def _call(self, name: str, *args: object) -> None:
        if self._controls is None:
            log.debug("%s ignored: no session running", name)
            return
        getattr(self._controls, name)(*args)

    def pause(self) -> None:
        self._call("pause")

    def resume(self) -> None:
        self._call("resume")

    def toggle_pause(self) -> None:
        self.resume() if self.state is not None and self.state.paused else self.pause()

    def skip(self) -> None:
        """Skip the current interval (a bout, a set, a rest, or a warm-up/cool-down)."""
        self._call("end_interval")

    def nudge_effort(self, steps: int) -> None:
        """+1 harder, -1 easier: the machine's target moves one step (SessionRunner)."""
        if self._controls is not None and not hasattr(self._controls, "nudge_effort"):
            log.debug("nudge ignored: these controls have no effort lever")
            return
        self._call("nudge_effort", steps)

    def end(self) -> None:
        """End the session; one still connecting to its strap (no state yet) is cancelled."""
        if self._running and self.state is None and self._task is not None:
            self._task.cancel()
            return
        self._call("end")

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.running_changed.emit(running)
