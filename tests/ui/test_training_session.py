"""The training view driven by the real engine and runner, faster than real time."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pytestqt.qtbot import QtBot

from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.model import SessionState
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.recorder import MemoryRecorder
from zonetrainer.ui import text
from zonetrainer.ui.devices import SIMULATED
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.session import SessionSetup, start_session
from zonetrainer.ui.theme import band_colour
from zonetrainer.ui.training import TrainingView

from .strap import FollowingStrap

PROFILE = Profile(name="Test", age_years=40)


@dataclass(frozen=True)
class Shown:
    state: SessionState
    hr: str
    unit_visible: bool
    colour: str
    phase: str
    countdown: str
    next: str
    cue: str


def run_session(qtbot: QtBot, gaps: tuple[tuple[float, float], ...] = ()
                ) -> tuple[list[Shown], TrainingView, MemoryRecorder]:
    presenter = SessionPresenter()
    view = TrainingView(presenter)
    qtbot.addWidget(view)
    shown: list[Shown] = []

    def capture(state: SessionState) -> None:  # connected after the view: sees what it shows
        style = view.hr_label.styleSheet()
        match = re.search(r"color: (#[0-9a-f]{6})", style)
        shown.append(Shown(state, view.hr_label.text(), not view.hr_unit.isHidden(),
                           match.group(1) if match else "", view.phase_label.text(),
                           view.countdown_text(), view.next_label.text(),
                           view.cue_label.text()))

    presenter.state_changed.connect(capture)
    band = PROFILE.band()
    view.prepare(band, PROFILE.zones())
    recorder = MemoryRecorder()
    setup = SessionSetup(load_plan("fatmax-intervals"), PROFILE, SIMULATED, speed=0)
    start_session(presenter, setup, recorder, clock=VirtualClock(),
                  source=FollowingStrap(band, gaps=gaps))
    assert presenter.running
    failures: list[str] = []
    presenter.session_failed.connect(failures.append)
    qtbot.waitUntil(lambda: not presenter.running, timeout=60_000)
    assert not failures
    return shown, view, recorder


def test_view_shows_phase_countdown_and_zone_colour_as_the_session_advances(
        qtbot: QtBot, aloop: object) -> None:
    shown, view, recorder = run_session(qtbot)
    phases = [s.state.phase for s in shown]
    for phase in ("warmup", "work", "rest", "cooldown", "done"):
        assert phase in phases, f"the session never showed {phase}"
    assert shown[-1].state.done and shown[-1].phase == "DONE"
    # Once done, the last reading is said to be the last, grey: it is no longer live.
    assert shown[-1].hr == f"last {shown[-1].state.hr_bpm:.0f} bpm"
    assert shown[-1].colour == band_colour("light", None) and not shown[-1].unit_visible
    assert shown[-1].state.elapsed_s >= 0.9 * 40 * 60
    live = [s for s in shown if s.state.signal_live and s.state.hr_bpm is not None]
    assert len(live) > 1000
    zones_seen = set()
    for s in shown:
        st = s.state
        assert s.phase.startswith(text.PHASE_TITLES[st.phase])
        if st.phase in ("work", "rest") and st.block_kind == "intervals":
            assert s.countdown.startswith("about "), s  # the loop's forecast, said to be one
        if st.signal_live and st.hr_bpm is not None and not st.done:
            assert s.hr == f"{st.hr_bpm:.0f}" and s.unit_visible
            # coloured by the band (below blue, in green, above orange), not by the zone
            assert s.colour == band_colour("light", text.band_position(st))
            zones_seen.add(text.band_position(st))
        if st.phase == "work" and st.next_phase == "rest":
            assert s.next.startswith("next: rest")
    # Below the band and in it at least (how far above it the zone control lets the heart rate
    # go is the controller's business): the colour really changes with the band position.
    assert {"below", "in"} <= zones_seen
    # The countdown shown only goes down inside each phase, forecast or not.
    by_phase: dict[tuple[str, int, int], list[str]] = {}
    for s in shown:
        if s.state.phase in ("work", "rest") and not s.state.paused:
            key = (s.state.phase, s.state.block_index, s.state.interval_index)
            by_phase.setdefault(key, []).append(s.countdown.removeprefix("about "))
    assert len(by_phase) >= 4
    for seen in by_phase.values():
        seconds = [int(m) * 60 + int(sec) for m, sec in (c.split(":") for c in seen)]
        assert seconds == sorted(seconds, reverse=True), seen
    record = next(iter(recorder.records.values()))
    assert record.status == "finished"
    assert len(view.presenter.hr) == len(shown)  # every state reached the plots' buffer
    assert view.plots.redraws > 0


def test_signal_loss_shows_signal_lost_and_no_heart_rate(qtbot: QtBot, aloop: object) -> None:
    shown, view, _ = run_session(qtbot, gaps=((600.0, 640.0),))
    lost = [s for s in shown if 605 <= s.state.elapsed_s < 640]
    assert lost and all(not s.state.signal_live for s in lost if s.state.elapsed_s >= 604)
    for s in lost:
        if not s.state.signal_live:
            assert s.hr == "signal lost"
            assert not re.search(r"\d", s.hr)
            assert not s.unit_visible
            assert s.colour == band_colour("light", None)
    # A hold says to go on with the phase it interrupted, and after 10 s what usually helps;
    # its clock counts the loss up instead of freezing the interrupted countdown.
    holds = [s for s in shown if s.state.phase == "hold" and 595 <= s.state.elapsed_s < 645]
    assert holds
    before = max((s for s in shown if s.state.elapsed_s < holds[0].state.elapsed_s),
                 key=lambda s: s.state.elapsed_s)
    assert before.state.phase != "hold"
    doing = "keep resting" if before.state.phase == "rest" else "keep your pace"
    for s in holds:
        assert s.cue.startswith(doing), s.cue
        lasted = s.state.elapsed_s - holds[0].state.elapsed_s
        assert (text.HOLD_TIP in s.cue) == (lasted >= text.HOLD_TIP_AFTER_S), (lasted, s.cue)
        assert s.countdown == f"lost {text.clock_text(lasted)}"
    back = [s for s in shown if 645 <= s.state.elapsed_s < 650]
    assert back and all(re.fullmatch(r"\d+", s.hr) for s in back)
    # the plot has a hole (NaN), not a line bridging the gap
    t_s, hr_bpm = view.presenter.hr.since(610.0)
    assert (hr_bpm[t_s < 635] != hr_bpm[t_s < 635]).all()
