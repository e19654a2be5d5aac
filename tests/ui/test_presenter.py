"""The presenter alone: states in, signals and buffers out; intents reach the controls."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from zonetrainer.core.model import Band, SessionState, SourceStatus
from zonetrainer.ui.cues import QtCueOutput
from zonetrainer.ui.presenter import PhaseSpan, SessionPresenter

BAND = Band(110, 125, "pct_hrmax", "test", 5.0)


def state(t: float, phase: str, hr: float | None = 120.0, cue: str | None = None,
          paused: bool = False) -> SessionState:
    return SessionState(elapsed_s=t, phase=phase, phase_elapsed_s=0.0,  # type: ignore[arg-type]
                        phase_remaining_s=10.0, next_phase=None, block_index=0,
                        interval_index=0, hr_bpm=hr, signal_live=hr is not None, zone=2,
                        in_band=True, band=BAND, session_duration_s=100.0, cue=cue,
                        paused=paused)


class Controls:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self) -> None:
        self.calls.append("resume")

    def end_interval(self) -> None:
        self.calls.append("end_interval")

    def end(self) -> None:
        self.calls.append("end")


def test_states_become_signals_spans_and_buffer(qtbot: QtBot) -> None:
    presenter = SessionPresenter(capacity=100)
    phases: list[tuple[str, str]] = []
    cues: list[str] = []
    presenter.phase_changed.connect(lambda a, b: phases.append((a, b)))
    presenter.cue_raised.connect(cues.append)
    for t, phase, hr, cue in ((1, "warmup", 100.0, None), (2, "warmup", 101.0, None),
                              (3, "work", None, None), (4, "work", 130.0, "ease off"),
                              (5, "work", 131.0, "ease off"), (6, "rest", 120.0, None)):
        presenter.accept(state(t, phase, hr, cue))
    assert phases == [("", "warmup"), ("warmup", "work"), ("work", "rest")]
    assert cues == ["ease off"]  # once, not on every state that still carries it
    assert presenter.spans == [PhaseSpan(1, 3, "warmup"), PhaseSpan(3, 6, "work"),
                               PhaseSpan(6, 6, "rest")]
    t_s, hr_bpm = presenter.hr.last()
    assert t_s.tolist() == [1, 2, 3, 4, 5, 6] and math.isnan(hr_bpm[2])



def test_the_plot_buffer_takes_each_reading_and_keeps_four_hours_of_ticks(qtbot: QtBot) -> None:
    """The runner ticks four times a second and a strap reads once: the ticks between two
    readings repeat it, and the buffer that a 6-hour overview needs must not fill in 3 hours."""
    presenter = SessionPresenter()
    for i in range(4 * 3600 * 4):
        t_s = i / 4
        reading = 120.0 + (int(t_s) % 7)  # a new reading each whole second
        presenter.accept(state(t_s, "work", None if 600 <= t_s < 610.5 else reading))
    t_s, hr_bpm = presenter.hr.last()
    assert t_s[0] == 0.0 and t_s[-1] == 4 * 3600 - 1  # the start is there, and the last reading
    assert set(np.diff(t_s[t_s < 599])) == {1.0}  # each reading once, and no repeat in between
    lost = t_s[np.isnan(hr_bpm)]
    assert lost[0] == 600.0 and lost[-1] >= 609.0  # a loss at once, then a gap of NaN
    assert t_s[np.searchsorted(t_s, 610.5)] == 610.5  # the first reading after it at once

def test_intents_reach_the_controls_only_while_running(qtbot: QtBot, aloop: object) -> None:
    presenter = SessionPresenter()
    presenter.pause()  # nothing running: ignored, no error
    controls = Controls()
    statuses: list[SourceStatus] = []
    presenter.status_changed.connect(statuses.append)
    import asyncio
    release = asyncio.Event()

    async def run(on_state: Any) -> str:
        on_state(state(1, "work"))
        await release.wait()
        return "stored"

    presenter.start(run, controls, lambda: SourceStatus("s", "connected", battery_pct=90))
    qtbot.waitUntil(lambda: presenter.state is not None)
    presenter.toggle_pause()
    presenter.accept(state(2, "work", paused=True))
    presenter.toggle_pause()
    presenter.skip()
    presenter.end()
    assert controls.calls == ["pause", "resume", "end_interval", "end"]
    assert len(statuses) == 1 and statuses[0].battery_pct == 90  # only on change
    with qtbot.waitSignal(presenter.session_finished) as finished:
        release.set()
    assert finished.args == ["stored"] and not presenter.running


def test_a_failing_session_is_reported(qtbot: QtBot, aloop: object) -> None:
    presenter = SessionPresenter()

    async def run(on_state: Any) -> None:
        raise RuntimeError("strap exploded")

    with qtbot.waitSignal(presenter.session_failed) as failed:
        presenter.start(run, Controls())
    assert failed.args == ["strap exploded"] and not presenter.running


def test_the_qt_cue_output_never_fails_without_a_sound_system(qtbot: QtBot) -> None:
    output = QtCueOutput()
    output.play("work")
    output.say("rest now")
    # Either it can play, or it says why not (this machine may lack libpulse or a TTS engine).
    assert output.can_play or any("sounds off" in n for n in output.notes)
    assert output.can_speak or any("voice off" in n for n in output.notes)


def test_a_new_session_clears_the_plots_at_once(qtbot: QtBot, aloop: object) -> None:
    from zonetrainer.ui.training import TrainingView

    presenter = SessionPresenter()
    view = TrainingView(presenter)
    qtbot.addWidget(view)
    for t in range(1, 30):
        presenter.accept(state(float(t), "work"))
    view.plots.redraw(overview=True)
    assert len(view.plots.overview_curve.getData()[0]) == 29
    import asyncio
    release = asyncio.Event()

    async def run(on_state: Any) -> None:
        await release.wait()

    presenter.start(run, Controls())
    assert view.plots.overview_curve.getData()[0] is None or len(
        view.plots.overview_curve.getData()[0]) == 0
    with qtbot.waitSignal(presenter.session_finished):
        release.set()


@pytest.mark.parametrize("started", [False, True])
def test_ending_while_the_strap_still_connects_cancels(qtbot: QtBot, aloop: object,
                                                       started: bool) -> None:
    import asyncio

    presenter = SessionPresenter()
    controls = Controls()
    failures: list[str] = []
    presenter.session_failed.connect(failures.append)
    entered = asyncio.Event()

    async def run(on_state: Any) -> None:
        entered.set()
        await asyncio.Event().wait()  # a Connect that never answers

    presenter.start(run, controls)
    if started:
        qtbot.waitUntil(entered.is_set)
    presenter.end()
    qtbot.waitUntil(lambda: not presenter.running)
    qtbot.wait(50)
    assert failures == ["ended before the strap connected"]  # exactly once
    assert controls.calls == []
