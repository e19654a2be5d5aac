"""Cues: a sound at each phase change and warning, an optional voice, a tempo click for strength.

Each can be switched off. The sounds are short sine tones made with numpy (``write_sounds``);
they play through QtMultimedia and the voice through QtTextToSpeech when those load (both need
a sound system: on a machine without one the cue is logged once and skipped, never an error).
"""

from __future__ import annotations

import logging
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np

from zonetrainer.core.model import SessionState
from zonetrainer.ui.text import tempo_position
from zonetrainer.ui.theme import RESOURCES_DIR

log = logging.getLogger(__name__)

SOUNDS_DIR: Final = RESOURCES_DIR / "sounds"
SAMPLE_RATE_HZ: Final = 22050
#: name -> (tone frequencies in Hz played one after another, each tone's length in s)
TONES: Final[dict[str, tuple[tuple[float, ...], float]]] = {
    "work": ((660.0, 880.0), 0.18),  # rising: go
    "rest": ((880.0, 660.0), 0.18),  # falling: ease down
    "warning": ((990.0, 990.0, 990.0), 0.09),
    "done": ((523.0, 659.0, 784.0), 0.16),
    "click": ((1500.0,), 0.03),
    # 3-2-1 before a phase change the loop has decided: short ticks, the last one higher
    "tick": ((1200.0,), 0.07),
    "tick_last": ((1760.0,), 0.14),
    # safety: a low-high siren, unlike every other tone, played until the rest begins
    "safety": ((440.0, 1320.0, 440.0, 1320.0), 0.16),
}
#: Seconds before a decided phase change at which a tick sounds (the last one is higher).
PRE_WARNING_S: Final = (3, 2, 1)

PHRASES: Final[dict[str, str]] = {
    "work": "back to work", "rest": "rest now", "cooldown": "cool down", "warmup": "warm up",
    "hold": "signal lost, hold your effort", "done": "session finished",
    "safety": "safety: heart rate over your ceiling, rest now",
}
COUNT_WORDS: Final = {3: "three", 2: "two", 1: "one"}


def tone(frequencies: tuple[float, ...], each_s: float) -> np.ndarray:
    """16-bit mono samples of the tones, each with a 5 ms fade so it does not click."""
    n = int(SAMPLE_RATE_HZ * each_s)
    t = np.arange(n) / SAMPLE_RATE_HZ
    fade = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.005)
    parts = [np.sin(2 * np.pi * f * t) * fade for f in frequencies]
    return (np.concatenate(parts) * 0.6 * 32767).astype("<i2")


def write_sounds(directory: Path = SOUNDS_DIR) -> list[Path]:
    """Write every cue as a WAV file into ``directory``; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (frequencies, each_s) in TONES.items():
        path = directory / f"{name}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE_HZ)
            out.writeframes(tone(frequencies, each_s).tobytes())
        paths.append(path)
    return paths


class CueOutput(Protocol):
    def play(self, sound: str) -> None: ...
    def say(self, phrase: str) -> None: ...


class QtCueOutput:
    """Plays WAVs with QSoundEffect and speaks with QTextToSpeech, each if it can load."""

    def __init__(self, directory: Path = SOUNDS_DIR) -> None:
        self._effects: dict[str, Any] = {}
        self._speech: Any = None
        self.notes: list[str] = []
        try:
            from PySide6.QtCore import QUrl
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
            if QMediaDevices.defaultAudioOutput().isNull():
                raise OSError("no audio output device")
            for name in TONES:
                effect = QSoundEffect()
                effect.setSource(QUrl.fromLocalFile(str(directory / f"{name}.wav")))
                self._effects[name] = effect
        except (ImportError, OSError) as exc:  # e.g. libpulse missing on a headless machine
            self.notes.append(f"sounds off: {exc}")
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
            if QTextToSpeech.availableEngines():
                speech = QTextToSpeech()
                if speech.state() == QTextToSpeech.State.Error:  # e.g. speechd not running
                    self.notes.append(f"voice off: {speech.errorString() or 'engine failed'}")
                else:
                    self._speech = speech
            else:
                self.notes.append("voice off: no text-to-speech engine on this system")
        except (ImportError, OSError) as exc:
            self.notes.append(f"voice off: QtTextToSpeech did not load ({exc})")
        for note in self.notes:
            log.info(note)

    @property
    def can_play(self) -> bool:
        return bool(self._effects)

    @property
    def can_speak(self) -> bool:
        return self._speech is not None

    def play(self, sound: str) -> None:
        effect = self._effects.get(sound)
        if effect is not None:
            effect.play()

    def say(self, phrase: str) -> None:
        if self._speech is not None:
            self._speech.say(phrase)


@dataclass
class CueSettings:
    sounds: bool = True
    voice: bool = False
    tempo_click: bool = True


class CuePlayer:
    """Decides which cue a change of state deserves and hands it to an output."""

    def __init__(self, output: CueOutput, settings: CueSettings | None = None) -> None:
        self.output = output
        self.settings = settings or CueSettings()
        self._tempo_part: tuple[int, str] | None = None
        self._safety = False
        self._warned: tuple[tuple[str, int, int], int] | None = None  # phase key, second

    def phase_changed(self, previous: str, phase: str) -> None:
        if not previous or previous == phase:
            return
        if self.settings.sounds:
            sound = {"work": "work", "done": "done", "hold": "warning"}.get(phase, "rest")
            self.output.play(sound)
        if self.settings.voice and phase in PHRASES:
            self.output.say(PHRASES[phase])

    def cue_raised(self, cue: str, level: int = 1) -> None:
        """A cue from the controller: "ease off", "pick it up". A first cue (level 0) is text
        only; repeated (1) it sounds; escalated (2) it is also spoken when the voice is on."""
        if level >= 1 and self.settings.sounds:
            self.output.play("warning")
        if level >= 2 and self.settings.voice:
            self.output.say(cue)

    def _safety_and_countdown(self, state: SessionState) -> None:
        if state.safety_rest and not self._safety:  # a tone no other cue has, and the voice
            if self.settings.sounds:
                self.output.play("safety")
            if self.settings.voice:
                self.output.say(PHRASES["safety"])
        self._safety = state.safety_rest
        remaining = state.phase_remaining_s
        if remaining is None or state.paused or state.phase == "hold" or state.done:
            return
        key = (state.phase, state.block_index, state.interval_index)
        second = next((s for s in PRE_WARNING_S if s - 1 < remaining <= s), None)
        if second is None or self._warned == (key, second):
            return
        self._warned = (key, second)
        if self.settings.sounds:
            self.output.play("tick_last" if second == 1 else "tick")
        if self.settings.voice:
            self.output.say(COUNT_WORDS[second])

    def state_changed(self, state: SessionState, tempo_elapsed_s: float | None = None) -> None:
        """A click at the start of each part of a repetition (lower, pause, lift, pause);
        ``tempo_elapsed_s``: time into the set without its pauses (default: the phase's).
        Also the safety tone as a safety rest begins, and 3-2-1 before a phase change."""
        self._safety_and_countdown(state)
        exercise = state.exercise
        if (not self.settings.tempo_click or state.phase != "work" or exercise is None
                or exercise.tempo is None or state.paused or exercise.tempo.rep_s <= 0):
            self._tempo_part = None
            return
        elapsed_s = state.phase_elapsed_s if tempo_elapsed_s is None else tempo_elapsed_s
        rep = int(elapsed_s // exercise.tempo.rep_s)
        part = (rep, tempo_position(exercise.tempo, elapsed_s)[0])
        if part != self._tempo_part:
            self._tempo_part = part
            self.output.play("click")
