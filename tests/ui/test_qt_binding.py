"""The Qt binding must not leak references: PySide6 6.12.0 dropped one reference to True on
every Signal.emit, and Python 3.11 (where True is not immortal) aborts after a few hundred
emits: a dashboard would crash within minutes. pyproject.toml excludes that release."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)


def test_signal_emit_keeps_the_reference_count_of_true() -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for value in range(50):
        emitter.fired.emit(value)
    assert received == list(range(50))
    # A few references may come or go elsewhere; 50 lost ones are the bug.
    assert abs(sys.getrefcount(True) - before) < 10
