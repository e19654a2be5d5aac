"""Fixtures of the dashboard tests: an asyncio loop on Qt's (qasync), settings in tmp_path,
a cue output that records what it would play, and a real SQLite store in tmp_path."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from zonetrainer.ui import loop


@pytest.fixture
def aloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A fresh qasync loop per test (bleak keeps one BlueZ connection per loop)."""
    event_loop = loop.install(qapp)
    try:
        yield event_loop
    finally:
        loop.uninstall(event_loop)


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


class RecordingCues:
    """A cue output that keeps what it was asked to play and say (sound cards are optional)."""

    def __init__(self) -> None:
        self.played: list[str] = []
        self.said: list[str] = []

    def play(self, sound: str) -> None:
        self.played.append(sound)

    def say(self, phrase: str) -> None:
        self.said.append(phrase)


@pytest.fixture
def cues() -> RecordingCues:
    return RecordingCues()


class Answers:
    """Answers confirmation questions instead of a modal dialog, and keeps the questions."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, parent: QWidget, title: str, question: str) -> bool:
        self.asked.append(title)
        return self.answer


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[object]:
    from zonetrainer.core.store import Store

    opened = Store.open(tmp_path / "sessions.sqlite")
    try:
        yield opened
    finally:
        opened.close()
