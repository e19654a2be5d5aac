"""``half_past_tz``: the process's local time 5 h 30 min ahead of UTC for one test, so a test
of local-time output can fail on a machine whose clock is set to UTC."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest


@pytest.fixture
def half_past_tz() -> Iterator[None]:
    """A POSIX zone string: no tz database needed."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "XYZ-05:30"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
