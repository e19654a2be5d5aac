"""Device picker (real bleak over the fake BlueZ), plan picker, cues."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from zonetrainer.core.model import Band, Exercise, SessionState, Tempo
from zonetrainer.core.plan import load_plan
from zonetrainer.ui.cues import CuePlayer, CueSettings, write_sounds
from zonetrainer.ui.devices import DevicePicker
from zonetrainer.ui.loop import TaskSet
from zonetrainer.ui.plan_picker import PlanPicker, plan_profile

from .conftest import RecordingCues


def test_device_picker_lists_the_straps_a_scan_finds(qtbot: QtBot, aloop: object,
                                                     fake_bluez: object) -> None:
    fake_bluez.add_strap("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D", rssi_dbm=-58)  # type: ignore[attr-defined]
    fake_bluez.add_strap("C0:FF:EE:00:33:44", "TICKR 1234", rssi_dbm=-75)  # type: ignore[attr-defined]
    picker = DevicePicker(TaskSet(), scan_s=1.5)
    qtbot.addWidget(picker)
    progress: list[int] = []
    picker.progress.valueChanged.connect(progress.append)
    with qtbot.waitSignal(picker.scan_finished, timeout=20_000) as finished:
        picker.start_scan()
    assert finished.args == [2]
    assert progress == sorted(progress) and len(progress) >= 3 and progress[-1] == 100
    found = picker.found()
    assert found[0] == ("C0:FF:EE:00:11:22", "Polar H10 0A1B2C3D")  # strongest first
    assert ("C0:FF:EE:00:33:44", "TICKR 1234") in found
    picker.devices.setCurrentRow(1)
    picker.accept_selection()
    assert picker.choice.address == "C0:FF:EE:00:33:44" and not picker.choice.simulated


def test_device_picker_without_bluetooth_offers_the_simulated_strap(qtbot: QtBot,
                                                                    aloop: object) -> None:
    from zonetrainer.core.sources.base import SourceError

    async def no_adapter(timeout_s: float, on_progress: object = None) -> list[object]:
        raise SourceError("Bluetooth is not available: no adapter")

    picker = DevicePicker(TaskSet(), scan=no_adapter)
    qtbot.addWidget(picker)
    with qtbot.waitSignal(picker.scan_failed, timeout=5_000):
        picker.start_scan()
    assert "no adapter" in picker.message.text() and "simulated" in picker.message.text()
    picker.choose_simulated()
    assert picker.choice.simulated


def test_plan_picker_previews_the_plan(qtbot: QtBot) -> None:
    picker = PlanPicker()
    qtbot.addWidget(picker)
    names = [picker.plans.item(i).text() for i in range(picker.plans.count())]
    assert "fatmax-intervals" in names and picker.plan is not None
    assert picker.plan.name == "fatmax-intervals"
    with qtbot.waitSignal(picker.plan_chosen) as chosen:
        picker.select("back-strength-circuit")
    assert chosen.args[0].name == "back-strength-circuit"
    xs, ys = picker.outline.getData()
    plan = load_plan("back-strength-circuit")
    assert xs[-1] * 60 == plan.planned_s  # the chart spans the whole plan
    assert ys.max() == 1.0 and ys.min() < 0.5  # work and rest both drawn
    steps_x, _, starts = plan_profile(load_plan("fatmax-intervals"))
    assert [kind for _, kind in starts] == ["warmup", "intervals", "cooldown"]
    assert len(steps_x) == 1 + 1 + 5 * 2 + 1
    picker.show_plan("/nonexistent/plan.toml")
    assert "no such plan" in picker.error.text()


BAND = Band(110, 125, "pct_hrmax", "test", 5.0)


def _state(phase: str, elapsed_s: float, exercise: Exercise | None = None) -> SessionState:
    return SessionState(elapsed_s=elapsed_s, phase=phase, phase_elapsed_s=elapsed_s,  # type: ignore[arg-type]
                        phase_remaining_s=60.0, next_phase="rest", block_index=1,
                        interval_index=0, hr_bpm=120.0, signal_live=True, zone=2, in_band=True,
                        band=BAND, session_duration_s=600.0, exercise=exercise)


def test_cues_sound_voice_and_tempo_click_each_switchable() -> None:
    out = RecordingCues()
    player = CuePlayer(out, CueSettings(sounds=True, voice=True, tempo_click=True))
    player.phase_changed("", "warmup")  # the start is not a change
    player.phase_changed("warmup", "work")
    player.phase_changed("work", "rest")
    player.cue_raised("ease off", 2)  # escalated: tone and voice
    assert out.played == ["work", "rest", "warning"]
    assert out.said == ["back to work", "rest now", "ease off"]
    squat = Exercise("Squat", "", Tempo(2, 0, 1, 1))  # 4 s a repetition, three parts
    for t in range(0, 8):
        player.state_changed(_state("work", float(t), squat))
    assert out.played.count("click") == 6  # lower, lift, pause in each of two repetitions
    player.settings = CueSettings(sounds=False, voice=False, tempo_click=False)
    before = (list(out.played), list(out.said))
    player.phase_changed("rest", "work")
    player.cue_raised("pick it up")
    player.state_changed(_state("work", 20.0, squat))
    assert (out.played, out.said) == before


def test_cue_sounds_are_real_wav_files(tmp_path: object) -> None:
    import wave
    from pathlib import Path

    for path in write_sounds(Path(str(tmp_path))):
        with wave.open(str(path)) as wav:
            assert wav.getnframes() > 100 and wav.getframerate() == 22050
