"""Issue 16, point 5: 200 seeded mutations (truncate, bit-flip, zero-fill) of every shipped
recording through import and replay: a clear error or a recording, never a traceback or a hang.

The decoder is pure Python (nick.fit takes 2 s whole), so in the suite a file longer than
``WINDOW`` is cut to its first ``WINDOW`` bytes before it is mutated: the header, the field
definitions and the first records, where a decoder branches. ``ZT_FUZZ_FULL=1`` mutates the
whole files (about 15 minutes).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.errors import UserError
from zonetrainer.core.imports import read_recording, recording_to_record
from zonetrainer.core.sources.base import SourceError
from zonetrainer.core.sources.replay import ReplaySource

#: The shipped recordings: ../shared/data beside the checkout (as CI lays it), else the copies
#: in tests/data.
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
DATA = SHARED if SHARED.is_dir() else Path(__file__).resolve().parents[1] / "data"
RECORDINGS = sorted([*DATA.glob("fit/*.fit"), *DATA.glob("tcx/*.tcx")])
MUTATIONS = 200
WINDOW = None if os.environ.get("ZT_FUZZ_FULL") else 8 * 1024
#: A case taking longer than this is a hang (the slowest whole file reads in about 2 s).
HANG_S = 30


class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def fire(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"no answer in {seconds} s")
    previous = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def mutate(data: bytes, rng: random.Random, n: int) -> bytes:
    out = bytearray(data)
    kind = n % 3
    if kind == 0:  # truncated anywhere, down to nothing
        return bytes(out[:rng.randrange(len(out))])
    if kind == 1:  # 1 to 8 bits flipped
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        return bytes(out)
    span = rng.choice((1, 4, 16, 256, len(out) // 4, len(out)))  # zero-filled: a bad sector
    at = rng.randrange(max(1, len(out) - span + 1))
    out[at:at + span] = bytes(min(span, len(out) - at))
    return bytes(out)


def import_and_replay(path: Path) -> str:
    """What a user sees: "error" (a clear one), "empty" or "ok"."""
    try:
        recording = read_recording(path)
    except UserError:
        return "error"
    recording_to_record(recording)
    source = ReplaySource(recording, VirtualClock())
    try:
        asyncio.run(source.start())
    except SourceError:
        return "empty"
    source.drain(1e9)
    return "ok"


@pytest.mark.parametrize("original", RECORDINGS, ids=lambda p: p.name)
def test_mutated_recordings_give_clear_errors_never_tracebacks(
        original: Path, tmp_path: Path) -> None:
    data = original.read_bytes()[:WINDOW]
    rng = random.Random(f"issue16:{original.name}")
    failures: list[str] = []
    seen: dict[str, int] = {}
    for n in range(MUTATIONS):
        path = tmp_path / f"m{n}{original.suffix}"
        path.write_bytes(mutate(data, rng, n))
        try:
            with deadline(HANG_S):
                outcome = import_and_replay(path)
        except Exception:  # every escape is the failure this test counts
            failures.append(f"mutation {n}: {traceback.format_exc(limit=-3)}")
            continue
        finally:
            path.unlink()
        seen[outcome] = seen.get(outcome, 0) + 1
    assert not failures, f"{len(failures)} of {MUTATIONS} crashed:\n" + "\n".join(failures[:5])
    assert sum(seen.values()) == MUTATIONS
