"""A process that records a simulated session into a database until it is killed.

Run as ``python -m tests.store.crash_driver DB SPEED``. It writes one batch per 2 s of session
time through the store's recorder, paced by a ScaledClock, and after handing each batch over
prints ``handed <t_s>`` where t_s is the session time the batch reaches. The batches are the
deterministic ones of tests.support.store_data, so the test can rebuild what was handed.
"""

from __future__ import annotations

import asyncio
import sys

from tests.support import store_data as data
from zonetrainer.core.clock import ScaledClock
from zonetrainer.core.store import Store

BATCH_S = 2.0  # the engine writes a batch every ~2 s of session time
DURATION_S = 3600.0


async def main(db: str, speed: float) -> None:
    store = Store.open(db)
    recorder = store.recorder()
    session_id = recorder.begin(data.header())
    print(f"session {session_id}", flush=True)
    clock = ScaledClock(speed)
    for n, batch in enumerate(data.batches(DURATION_S, BATCH_S)):
        end_s = (n + 1) * BATCH_S
        await clock.sleep_until(end_s)
        recorder.write(session_id, batch)
        print(f"handed {end_s}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2])))
