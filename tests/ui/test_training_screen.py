"""The training screen as read from the treadmill (issue 14): colour by band at the edges, the
safety banner, a layout that never moves, type that scales to full screen, contrast, a countdown
that only goes down, the intents of the keys, and the summary against the stored session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from zonetrainer.core.model import Exercise, Tempo
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.ui import text
from zonetrainer.ui.app import build_window
from zonetrainer.ui.presenter import SessionPresenter
from zonetrainer.ui.readout import FitLabel
from zonetrainer.ui.theme import (
    BANNER,
    SCREEN_BACKGROUNDS,
    SCREEN_TEXT,
    THEMES,
    band_colour,
    contrast_ratio,
)
from zonetrainer.ui.training import TrainingView

from .conftest import Answers, RecordingCues
from .states import BAND, state

ROOT = Path(__file__).resolve().parents[2]
ANN = Profile(name="Ann", age_years=40.0, rest_hr_bpm=58.0)


def view_of(qtbot: QtBot, width: int = 1280, height: int = 800) -> TrainingView:
    view = TrainingView(SessionPresenter())
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_heart_rate_is_coloured_by_the_band_with_one_rule_at_the_edges(qtbot: QtBot) -> None:
    view = view_of(qtbot)
    cases = {BAND.low_bpm - 1: "below", BAND.low_bpm: "in", BAND.high_bpm - 1: "in",
             BAND.high_bpm: "above"}
    for hr, where in cases.items():
        view.presenter.accept(state(hr_bpm=hr, in_band=BAND.contains(hr)))
        assert view.hr_label._colour == band_colour("light", where), hr
        assert view.zone_label.text().startswith(text.POSITION_WORDS[where])
    view.presenter.accept(state(hr_bpm=170.0, safety_rest=True))
    assert view.hr_label._colour == SCREEN_TEXT["light"]["ceiling"]
    assert len({band_colour("light", w) for w in ("below", "in", "above", "ceiling")}) == 4


def test_with_a_resting_hr_the_band_is_one_zone_and_its_bottom_is_in_it() -> None:
    band, zones = ANN.band(), ANN.zones()
    assert band.method == "karvonen" and "%HR-reserve" in zones.source
    assert band.contains(band.low_bpm) and not band.contains(band.high_bpm)
    inside = {zones.zone_of(hr) for hr in range(int(band.low_bpm), int(band.high_bpm))}
    assert inside == {2}  # the whole band, bottom edge included, is zone 2
    assert zones.zone_of(band.high_bpm) == 3 and zones.zone_of(band.low_bpm - 1) == 1


def test_a_safety_rest_is_a_red_banner_in_the_largest_type(qtbot: QtBot) -> None:
    view = view_of(qtbot)
    view.presenter.accept(state())
    assert view.banner.isHidden()
    view.presenter.accept(state(phase="rest", safety_rest=True, hr_bpm=171.0, cue="rest now"))
    assert view.banner.isVisible() and view.banner.title.text() == "REST NOW"
    assert view.banner.why.text().startswith("SAFETY")
    assert BANNER["background"] in view.banner.styleSheet()
    assert view.banner.width() == view.screen_area.width()
    others = [w for w in view.findChildren(FitLabel)
              if w.isVisible() and w not in (view.hr_label, view.banner.title)]
    assert all(view.banner.title.px > w.px for w in others), [
        (w.objectName(), w.px) for w in others if w.px >= view.banner.title.px]
    assert SCREEN_BACKGROUNDS["light"]["safety"] in view.screen_area.styleSheet()
    # it lasts until the heart comes down: no countdown to a forecast end, the rest counted up
    view.presenter.accept(state(phase="rest", safety_rest=True, hr_bpm=170.0, cue="rest now",
                                phase_elapsed_s=42.0, phase_remaining_s=206.0))
    assert view.countdown_text() == f"resting {text.clock_text(42.0)}"


def geometry(view: TrainingView) -> dict[str, tuple[int, int, int, int]]:
    """Every widget shown on the live screen and its controls (the summary page is not shown),
    by identity: a stack that shows another page reorders its children, and lays out a page
    only as it shows it (the details row: lap and effort, or the strength row in its place).
    Hidden with its room kept (the "bpm" beside words), a widget still counts."""
    return {f"{w.objectName()}#{id(w)}": (w.x(), w.y(), w.width(), w.height())
            for w in view.findChildren(QWidget)
            if not w.isWindow() and not view.summary.isAncestorOf(w)
            and not any(page.isAncestorOf(w) and view.details.currentWidget() is not page
                        for page in (view.details.widget(0), view.details.widget(1)))}


def test_layout_never_moves_when_texts_change(qtbot: QtBot) -> None:
    view = view_of(qtbot)
    view.presenter.accept(state(hr_bpm=None, signal_live=False))
    view.presenter.accept(state())
    qtbot.wait(10)
    before = geometry(view)
    row = Exercise("Goblet squat", "sit back, chest up", Tempo(3, 1, 1, 0))
    for changed in (state(cue="ease off: heart rate lags, this pace would overshoot the band "
                              "and that is a very long cue that would wrap twice"),
                    state(paused=True), state(phase="hold", hr_bpm=None, signal_live=False),
                    state(hr_bpm=188.0, safety_rest=True), state(exercise=row),
                    state(phase="cooldown", phase_remaining_s=5999.0, elapsed_s=9999.0),
                    state(effort=9.4, target_effort=9.6, effort_unit="km/h")):
        view.presenter.accept(changed)
        qtbot.wait(10)
        after = geometry(view)
        moved = {k: (before[k], after[k]) for k in before.keys() & after.keys()
                 if before[k] != after[k] and not k.startswith("safety")}
        assert not moved, (changed, moved)
        page = view.details.currentWidget()
        assert page.geometry() == view.details.rect(), changed  # a page fills the row


def test_full_screen_digits_are_a_third_and_the_countdown_a_fifth(tmp_path: Path) -> None:
    """``dashboard --fullscreen`` on a 1920x1080 screen (the offscreen platform's own screen
    is 800x800, and a full-screen window takes the screen's size): a child process."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "24in", "x": 0, "y": 0, "width": 1920,
                                               "height": 1080, "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    out = subprocess.run([sys.executable, "-m", "tests.ui.fullscreen_probe",
                          str(tmp_path / "db.sqlite"), str(tmp_path / "settings.ini")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    shown = json.loads(out.stdout.strip().splitlines()[-1])
    assert shown["window"] == [1920, 1080] and shown["full"], shown
    assert shown["menus_hidden"] and shown["tabs_hidden"] and shown["hr_text"] == "131"
    assert shown["hr_ink"] >= 0.30 * 1080, shown
    assert shown["countdown_ink"] >= 0.18 * 1080, shown
    assert shown["hr_fits"] and shown["countdown_fits"], shown
    # from 3 m (1/200 of the distance, ui.instruction): the longest cue, the phase, the safety
    # rest's why; the next phase, a long line in half the width, from 2 m
    read_m = shown["read_m"]
    assert all(fits for _, fits in read_m.values()), read_m
    assert min(read_m[k][0] for k in ("cueLabel", "phaseLabel", "safetyWhy")) >= 3.0, read_m
    assert read_m["nextLabel"][0] >= 2.0, read_m


def test_every_text_of_the_screen_has_4_5_to_1_contrast() -> None:
    for theme in THEMES:
        for mood, background in SCREEN_BACKGROUNDS[theme].items():
            for role, colour in SCREEN_TEXT[theme].items():
                ratio = contrast_ratio(colour, background)
                assert ratio >= 4.5, (theme, mood, role, round(ratio, 2))
    assert contrast_ratio(BANNER["text"], BANNER["background"]) >= 4.5


def test_a_jumping_forecast_only_counts_down_and_says_about(qtbot: QtBot) -> None:
    presenter = SessionPresenter()
    view = TrainingView(presenter)
    qtbot.addWidget(view)
    presenter.reset(load_plan("fatmax-intervals"))
    block = next(i for i, b in enumerate(presenter.tracker.plan.blocks)  # type: ignore[union-attr]
                 if b.kind == "intervals")
    shown = []
    # the loop's forecast jumps 2:09 -> 1:30 -> 0:41, then back up to 1:10
    for t, remaining in ((0, 129.0), (1, 128.0), (2, 90.0), (3, 41.0), (4, 70.0), (30, 30.0)):
        presenter.accept(state(elapsed_s=400.0 + t, phase_elapsed_s=1.0 + t,
                               phase_remaining_s=remaining, block_index=block,
                               block_kind="intervals"))
        shown.append(view.countdown_text())
    assert all(s.startswith("about ") for s in shown)
    seconds = [int(m) * 60 + int(x) for m, x in (s.split()[1].split(":") for s in shown)]
    assert seconds == sorted(seconds, reverse=True) and seconds[0] == 129
    # down with the clock and at most 3x as fast towards the forecast; never up (at 4 s the
    # forecast rose to 1:10); 26 s later it has caught up to 0:41, not jumped to 0:30
    assert seconds[:5] == [129, 128, 125, 122, 119] and seconds[-1] == 41
    assert view.count_tile.value.text() == "1 of " + str(
        presenter.tracker.plan.blocks[block].repeats)  # type: ignore[union-attr]
    assert view.next_label.text().startswith("next: rest about")


class Controls:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        return lambda *args: self.calls.append((name, args))


def test_pause_and_skip_wait_for_the_first_reading_and_keys_nudge_the_effort(
        qtbot: QtBot, aloop: object) -> None:
    presenter = SessionPresenter()
    view = TrainingView(presenter)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.effort_nudged.connect(presenter.nudge_effort)
    controls = Controls()

    async def run(_on_state: object) -> None:
        import asyncio
        await asyncio.sleep(3600)

    presenter.start(run, controls)  # type: ignore[arg-type]
    assert not view.pause_button.isEnabled() and not view.skip_button.isEnabled()
    presenter.accept(state(hr_bpm=None, signal_live=False))
    assert not view.pause_button.isEnabled()
    presenter.accept(state(effort=9.4, target_effort=9.6, effort_unit="km/h"))
    assert view.pause_button.isEnabled() and view.skip_button.isEnabled()
    assert view.effort_label.text() == "belt 9.4 km/h · target 9.6"
    view.effort_nudged.emit(1)
    assert ("nudge_effort", (1,)) in controls.calls
    controls.calls.clear()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert ("nudge_effort", (1,)) in controls.calls and ("nudge_effort", (-1,)) in controls.calls
    presenter.end()


def test_the_summary_shows_the_stored_session(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings,
        answers: Answers) -> None:
    win = build_window(store, qsettings, "light", 0.0, cue_output=RecordingCues(),
                       confirm=answers, seed=1)
    qtbot.addWidget(win)
    win.save_profile(ANN)
    ids = []
    for _ in range(2):
        win.plans.select("fatmax-intervals")
        with qtbot.waitSignal(win.presenter.session_finished, timeout=60_000) as finished:
            win.start()
        ids.append(int(finished.args[0][0]))
    summary = win.training.summary
    assert win.training.pages.currentWidget() is summary
    record, previous = store.load(ids[1]), store.load(ids[0])
    s = record.summary
    assert summary.headline.text() == (f"{s.time_in_band_s / 60:.1f} min in band of "
                                       f"{text.clock_text(s.duration_s)} · "
                                       f"{100 * s.band_share:.0f} % from first reaching it")
    assert f"max {s.max_hr_bpm:.0f} bpm" in summary.hr.text()
    assert f"zone 2 {text.clock_text(s.time_in_zone_s[1])}" in summary.zones.text()
    assert summary.table.rowCount() == len(record.intervals) > 3
    for row, interval in enumerate(record.intervals):
        assert summary.table.item(row, 5).text() == interval.end_reason
        assert summary.table.item(row, 3).text() == text.clock_text(interval.actual_s)
    minutes = (s.time_in_band_s - previous.summary.time_in_band_s) / 60
    assert f"{minutes:+.1f} min in band" in summary.comparison.text()
    summary.history_button.click()
    assert win.tabs.currentWidget() is win.history and win.history.selected_id() == ids[1]
    # a new Start shows the live screen again
    win.tabs.setCurrentWidget(win.training)
    assert replace(state(), hr_bpm=1.0).hr_bpm == 1.0


def test_cues_by_level_a_distinct_safety_tone_and_3_2_1_before_a_change() -> None:
    from zonetrainer.ui.cues import TONES, CuePlayer, CueSettings

    out = RecordingCues()
    player = CuePlayer(out, CueSettings(sounds=True, voice=True, tempo_click=False))
    player.cue_raised("ease off", 0)
    assert out.played == [] and out.said == []  # a first cue is text only
    player.cue_raised("ease off", 1)
    assert out.played == ["warning"] and out.said == []
    player.cue_raised("ease off", 2)
    assert out.played == ["warning", "warning"] and out.said == ["ease off"]
    out.played.clear()
    out.said.clear()
    for tenth in range(60, -1, -1):  # 6.0 s to 0.0 s before the loop's switch, every 0.1 s
        player.state_changed(state(phase_remaining_s=tenth / 10))
    assert out.played == ["tick", "tick", "tick_last"] and out.said == ["three", "two", "one"]
    out.played.clear()
    for _ in range(3):
        player.state_changed(state(phase="rest", safety_rest=True, phase_remaining_s=None))
    assert out.played == ["safety"]  # once, as the safety rest begins
    assert TONES["safety"] not in [TONES[k] for k in TONES if k != "safety"]


def test_the_live_plot_range_follows_every_reading(qtbot: QtBot) -> None:
    view = view_of(qtbot)
    view.prepare(BAND, None)
    for t, hr in enumerate((131.0, 176.0, 58.0, 120.0)):
        view.presenter.accept(state(elapsed_s=400.0 + t, hr_bpm=hr))
    view.plots.redraw()
    low, high = view.plots.y_range()
    assert low <= 58.0 - 2 and high >= 176.0 + 2, (low, high)
    assert low <= BAND.low_bpm and high >= BAND.high_bpm


def test_skip_in_a_ramp_skips_a_step_and_asks_only_before_ending_the_test(qtbot: QtBot) -> None:
    asked: list[tuple[str, str]] = []
    answer = [False]

    def confirm(_parent: object, title: str, question: str) -> bool:
        asked.append((title, question))
        return answer[0]

    view = TrainingView(SessionPresenter(), confirm=confirm)
    qtbot.addWidget(view)
    skips: list[bool] = []
    view.skip_requested.connect(lambda: skips.append(True))
    view.skip_button.setEnabled(True)
    view.presenter.accept(state(block_kind="intervals"))
    view.request_skip()
    assert skips == [True] and asked == []  # a bout is skipped without a question
    view.presenter.accept(state(block_kind="ramp", ramp_step=3, ramp_steps=10))
    view.request_skip()
    assert skips == [True, True] and asked == []  # step 4 of 10: one step, no question
    view.presenter.accept(state(block_kind="ramp", ramp_step=9, ramp_steps=10))
    view.request_skip()  # the last step: skipping it ends the test, so it asks
    assert skips == [True, True] and [title for title, _ in asked] == ["End the ramp test?"]
    assert "last step" in asked[0][1] and "ended early" in asked[0][1]
    answer[0] = True
    view.request_skip()
    assert skips == [True, True, True]


def test_history_detail_shades_work_and_rest_and_an_empty_plot_has_plain_axes(
        qtbot: QtBot) -> None:
    from tests.export.records import make_record
    from zonetrainer.ui.history_detail import SessionDetail

    detail = SessionDetail()
    qtbot.addWidget(detail)
    axis = detail.plot.getPlotItem().getAxis("left")
    assert axis.labelString().find("x0.001") == -1 and not axis.autoSIPrefix
    record = make_record()
    detail.show_record(record)
    for phase in ("work", "rest"):
        spans = [i for i in record.intervals if i.kind == phase]
        assert list(detail.shades[phase].opts["x0"]) == [i.start_s / 60 for i in spans]
    detail.clear()
    assert list(detail.shades["work"].opts["x0"]) == []
