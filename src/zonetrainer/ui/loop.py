"""The one place where asyncio and Qt meet: a qasync event loop on the Qt thread.

qasync runs asyncio on Qt's own event loop (one thread, no locks): bleak's coroutines and the
session runner are ordinary asyncio tasks, and their callbacks may touch widgets directly.
Every task is kept in a :class:`TaskSet` so none is garbage-collected half-way (asyncio keeps
only weak references to tasks).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import qasync
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


class TaskSet:
    """Strong references to running tasks; a failed task is logged and reported, never lost."""

    def __init__(self, on_error: Callable[[BaseException], None] | None = None) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._on_error = on_error

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str = "") -> asyncio.Task[Any]:
        task = asyncio.get_event_loop().create_task(coro, name=name or None)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("task %s failed", task.get_name(), exc_info=exc)
            if self._on_error is not None:
                self._on_error(exc)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()


def install(app: QApplication) -> asyncio.AbstractEventLoop:
    """Attach an asyncio loop to a QApplication whose event loop something else spins
    (pytest-qt's qtbot, a script calling processEvents). Undo with :func:`uninstall`."""
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    return loop


def uninstall(loop: asyncio.AbstractEventLoop) -> None:
    """Stop and close a loop made by :func:`install`, cancelling what still runs on it."""
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    app = QApplication.instance()
    for _ in range(5):  # let the cancelled tasks unwind while the loop still runs
        if app is None or all(t.done() for t in pending):
            break
        app.processEvents()
    # Not loop.stop(): for an already-running loop qasync calls QApplication.exit(), which emits
    # aboutToQuit and leaves the next loop on this application unable to run its tasks.
    if hasattr(loop, "_QEventLoop__is_running"):  # qasync 0.27-0.29 keep the flag here
        loop._QEventLoop__is_running = False
    else:
        loop.stop()
    asyncio.events._set_running_loop(None)  # install() set it; qasync leaves it to the caller
    loop.close()
    asyncio.set_event_loop(None)


def run(app: QApplication) -> int:
    """Run the application until its last window closes; asyncio tasks run meanwhile."""
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    with loop:
        loop.run_until_complete(closed.wait())
    return 0
