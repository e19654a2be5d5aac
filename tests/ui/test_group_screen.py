"""The group screen and the coach's window: tiles from real runners' states, flagged tiles first,
one athlete's intents touching only them, a tile opening that athlete's training view, cues
with the name."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.e2e.test_cli_run import SHORT_PLAN
from zonetrainer.cli.group import sim_profile
from zonetrainer.cli.run import simulated_source
from zonetrainer.core.clock import Clock, ScaledClock, VirtualClock
from zonetrainer.core.group import GroupSession
from zonetrainer.core.model import Band, SessionState, SourceStatus
from zonetrainer.core.plan import load_plan, parse_plan
from zonetrainer.core.recorder import MemoryRecorder
from zonetrainer.core.runner import runner_for
from zonetrainer.ui.group_app import GroupWindow
from zonetrainer.ui.group_screen import GroupScreen
from zonetrainer.ui.group_tiles import MIN_TEXT_PX, grid_for, ordered, tile_view
from zonetrainer.ui.theme import ZONE_COLOURS
from zonetrainer.ui.training import TrainingView

from .conftest import Answers, RecordingCues

BAND = Band(120.0, 135.0, "custom", "test band", 5.0)
STATE = SessionState(elapsed_s=600.0, phase="work", phase_elapsed_s=60.0,
                     phase_remaining_s=125.0, next_phase="rest", block_index=1,
                     interval_index=2, hr_bpm=128.0, signal_live=True, zone=2, in_band=True,
                     band=BAND, session_duration_s=2400.0, time_in_band_s=412.0)


def at(hr: float | None, **changes: object) -> SessionState:
    return replace(STATE, hr_bpm=hr, signal_live=hr is not None, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(("state", "level", "colour", "flagged"), [
    (at(110.0), "below", 2, True), (at(128.0), "in", 3, False), (at(140.0), "above", 4, True),
    (at(181.0), "over", 5, True), (at(150.0, safety_rest=True), "over", 5, True),
    (at(None), "lost", 0, True),
])
def test_the_heart_rate_is_coloured_by_the_athletes_own_band(
        state: SessionState, level: str, colour: int, flagged: bool) -> None:
    view = tile_view("Ann", state, None, 180.0)
    assert (view.level, view.colour, view.flagged) == (level, ZONE_COLOURS["light"][colour],
                                                      flagged)
    assert view.hr_text == ("–" if state.hr_bpm is None else f"{state.hr_bpm:.0f}")
    assert view.phase_text == "WORK 2:05"
    assert view.band_text == "in band 6:52 · 120-135"
    if state.safety_rest:
        assert view.cue_text == "SAFETY REST"


def test_the_same_heart_rate_is_in_one_athletes_band_and_above_anothers() -> None:
    other = replace(STATE, band=Band(100.0, 115.0, "custom", "", 5.0))
    assert tile_view("Ann", at(128.0), None, 180.0).level == "in"
    assert tile_view("Bob", replace(other, hr_bpm=128.0), None, 180.0).level == "above"


def test_flagged_tiles_come_first_most_urgent_first_others_keep_their_order() -> None:
    views = [tile_view("Ann", at(128.0), None, 180.0), tile_view("Bob", at(110.0), None, 180.0),
             tile_view("Cleo", at(128.0), None, 180.0), tile_view("Dev", at(190.0), None, 180.0),
             tile_view("Eva", at(None), None, 180.0), tile_view("Finn", at(140.0), None, 180.0)]
    assert ordered(views) == ["Dev", "Finn", "Bob", "Eva", "Ann", "Cleo"]


@pytest.mark.parametrize("count", range(1, 31))
def test_the_grid_holds_every_tile_with_no_empty_row(count: int) -> None:
    cols, rows = grid_for(count, 1400, 860)
    assert cols * rows >= count and cols * (rows - 1) < count


def test_tiles_fill_the_screen(qtbot: QtBot) -> None:
    names = [f"A{k}" for k in range(12)]
    screen = GroupScreen(names, dict.fromkeys(names, 180.0))
    qtbot.addWidget(screen)
    screen.resize(1400, 860)
    screen.show()
    tiles = [screen.tiles[n].geometry() for n in names]
    covered = sum(t.width() * t.height() for t in tiles)
    assert covered > 0.85 * 1400 * 860
    assert all(t.width() > 300 and t.height() > 250 for t in tiles)  # 4 x 3
    screen.show_state("A7", at(150.0))
    assert screen.order[0] == "A7" and screen.tiles["A7"].geometry().topLeft().x() < 20


def group_of(count: int, clocks: list[Clock], plan_text: str | None = None
             ) -> tuple[GroupSession, MemoryRecorder]:
    plan = parse_plan(plan_text, "short.toml") if plan_text else load_plan("fatmax-intervals")
    recorder = MemoryRecorder()
    members = []
    for k in range(count):
        profile = sim_profile(k)
        source = simulated_source(profile, 10 + k)
        source.source_id = f"simulated-{k + 1}"
        members.append((profile.name, runner_for(plan, profile, source, clocks[k], recorder,
                                                 datetime.now(UTC))))
    return GroupSession(members), recorder


def test_a_whole_group_trains_on_the_window_and_each_is_stored_with_named_cues(
        qtbot: QtBot, aloop: object, cues: RecordingCues) -> None:
    group, recorder = group_of(3, [VirtualClock() for _ in range(3)], SHORT_PLAN)
    window = GroupWindow(group, cue_output=cues, confirm=Answers())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    window.start_all()
    qtbot.waitUntil(lambda: not window.running and group.done, timeout=60_000)
    assert len(recorder.records) == 3
    assert {r.header.athlete_name for r in recorder.records.values()} == set(group.members)
    for name, member in group.members.items():
        assert member.error is None and member.state is not None and member.state.done
        assert window.presenters[name].state == member.state
        assert window.tiles_screen.tiles[name].view.level == "done"
    assert cues.said and all(any(p.startswith(f"{n}, ") for n in group.members)
                             for p in cues.said)
    assert window.message.text() == "0 of 3 athletes training, 3 ended"


def test_one_athletes_end_touches_no_other_and_a_tile_opens_their_training_view(
        qtbot: QtBot, aloop: object) -> None:
    clock = ScaledClock(40.0)
    group, recorder = group_of(3, [clock] * 3)
    window = GroupWindow(group, confirm=Answers())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    window.start("Sim Bob")
    qtbot.waitUntil(lambda: group.members["Sim Bob"].state is not None, timeout=20_000)
    assert not group.members["Sim Ann"].started  # each when ready
    window.start_all()
    qtbot.waitUntil(lambda: all(m.state is not None for m in group.members.values()),
                    timeout=20_000)
    tile = window.tiles_screen.tiles["Sim Cleo"]
    press = QMouseEvent(QMouseEvent.Type.MouseButtonPress, QPointF(10, 10),
                        tile.mapToGlobal(QPointF(10, 10)), Qt.MouseButton.LeftButton,
                        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tile, press)
    view = window.views["Sim Cleo"]
    assert isinstance(view, TrainingView) and view.presenter is window.presenters["Sim Cleo"]
    assert view.isVisible()
    window.act("Sim Ann", "end")
    qtbot.waitUntil(lambda: group.members["Sim Ann"].finished, timeout=20_000)
    assert all(not m.finished for n, m in group.members.items() if n != "Sim Ann")
    ann_end = group.members["Sim Ann"].state
    assert ann_end is not None
    window.pause_all()
    qtbot.waitUntil(lambda: all(m.state is not None and m.state.paused
                                for n, m in group.members.items() if n != "Sim Ann"),
                    timeout=20_000)
    window.close()  # ends every session first, then closes
    qtbot.waitUntil(lambda: group.done and not window.running, timeout=20_000)
    assert len(recorder.records) == 3
    assert all(r.status == "ended early" for r in recorder.records.values())
    ann = next(r for r in recorder.records.values() if r.header.athlete_name == "Sim Ann")
    others = [r for r in recorder.records.values() if r.header.athlete_name != "Sim Ann"]
    assert all(len(o.samples) > len(ann.samples) for o in others)
    view.close()


def test_a_simulated_strap_in_a_gap_never_reads_lost_beside_a_live_number() -> None:
    """The session holds the last reading up to 3 s into a gap; the simulated strap says its
    link is lost at once. The tile used to show both: '131' over 'strap lost, searching'."""
    profile = sim_profile(5)
    source = simulated_source(profile, 6)  # this athlete's strap has gaps and contact losses
    seen: list[tuple[str, str, str]] = []

    def on_state(state: SessionState) -> None:
        view = tile_view("Ann", state, source.status(), profile.safety_ceiling_bpm)
        seen.append((view.hr_text, view.level, view.signal_text))

    runner = runner_for(load_plan("fatmax-intervals"), profile, source, VirtualClock(),
                        MemoryRecorder(), datetime.now(UTC), on_state=on_state)
    asyncio.run(runner.run())
    lost = [s for s in seen if s[2].startswith("strap lost")]
    assert len(lost) >= 5  # the strap did drop, several times
    assert all(hr == "–" and level == "lost" for hr, level, _ in lost), lost[:5]
    assert any(hr != "–" for hr, _, _ in seen)


def lost_status(name: str) -> SourceStatus:
    link = "lost" if name == "A0" else "connected"
    return SourceStatus(name, link, battery_pct=87)  # type: ignore[arg-type]


@pytest.mark.parametrize(("width", "height", "two_lines"), [
    (1920, 1030, True),  # a full-HD screen less the window's tool bar and status line
    (1400, 860, True), (1000, 640, False)])
def test_thirty_tiles_draw_no_text_below_the_minimum_and_keep_what_matters(
        qtbot: QtBot, width: int, height: int, two_lines: bool) -> None:
    names = [f"A{k}" for k in range(30)]
    screen = GroupScreen(names, dict.fromkeys(names, 180.0), status_of=lost_status)
    qtbot.addWidget(screen)
    screen.resize(width, height)
    screen.show()
    long_cue = "Steady effort: a pace you could talk at"
    for k, name in enumerate(names):
        screen.show_state(name, at(128.0 + k % 3, cue=long_cue if k % 2 == 0 else None))
    screen.grab()  # every tile paints
    for name in names:
        drawn = screen.tiles[name].drawn
        assert drawn and min(px for _, px in drawn) >= MIN_TEXT_PX, (name, drawn)
        texts = [t for t, _ in drawn]
        assert len(texts) == (5 if two_lines else 4), texts
    lost = [t for t, _ in screen.tiles["A0"].drawn]
    assert lost[2] == "–" and "strap lost" in lost[-1], lost
    cued = [t for t, _ in screen.tiles["A2"].drawn]
    assert cued[2] == "130" and cued[3].startswith("Steady effort")
    if two_lines:
        assert cued[4].startswith("in band 6:52") and "strap ok" in cued[4]
        plain = [t for t, _ in screen.tiles["A1"].drawn]
        assert plain[3].startswith("in band 6:52") and plain[4].startswith("strap ok")


def test_skip_all_asks_before_it_ends_a_ramp_test_and_no_skips_nobody(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    group, _ = group_of(2, [VirtualClock() for _ in range(2)])
    answers = Answers(answer=False)
    window = GroupWindow(group, confirm=answers)
    qtbot.addWidget(window)
    first, second = list(window.presenters)
    skipped: list[str] = []
    for name, presenter in window.presenters.items():
        monkeypatch.setattr(presenter, "skip", lambda n=name: skipped.append(n))
    ramp = {"block_kind": "ramp", "phase": "work", "ramp_steps": 10}
    window.presenters[first].accept(at(140.0, ramp_step=9, **ramp))  # the last step
    window.presenters[second].accept(at(120.0, ramp_step=3, **ramp))
    window.skip_all()
    assert answers.asked == ["End their ramp tests?"] and skipped == []
    window.act(first, "skip")  # one athlete's own skip on the last step: asked too
    assert answers.asked[-1] == "End the ramp test?" and skipped == []
    window.act(second, "skip")  # not the last step: one step, no question
    assert skipped == [second] and len(answers.asked) == 2
    answers.answer = True
    window.skip_all()
    assert skipped == [second, first, second]
