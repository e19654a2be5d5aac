"""How long to wait before the next attempt to reach a strap that dropped.

A pure function of the attempt number, so the whole schedule is a table a test can read.
No jitter: each strap has its own loop, and BlueZ queues concurrent connects itself.
"""

from __future__ import annotations

from typing import Final

#: The first retry is immediate: most drops are a single missed connection event (a turn of
#: the body between strap and adapter), and the strap is usually still advertising.
FIRST_DELAY_S: Final = 0.0

#: The second attempt waits a little so a strap that is rebooting (battery contact) has time
#: to start advertising again.
BASE_DELAY_S: Final = 0.25

#: Each further attempt doubles the wait, the usual exponential backoff, so an absent strap
#: does not keep the adapter busy with back-to-back connects.
GROWTH: Final = 2.0

#: The wait never exceeds 2 s: issue 3 asks that a returning strap be connected again within
#: 5 s, and a BLE connect plus service discovery takes about 1-2 s on BlueZ, so 2 s of
#: waiting leaves a margin. A desktop adapter can afford one connect attempt every 2 s.
MAX_DELAY_S: Final = 2.0


def delay_s(attempt: int) -> float:
    """Seconds to wait before reconnect attempt ``attempt`` (0 for the first after a drop)."""
    if attempt < 0:
        raise ValueError(f"attempt must be 0 or more, not {attempt}")
    if attempt == 0:
        return FIRST_DELAY_S
    # Cap the exponent first: GROWTH ** attempt overflows a float near attempt 1024.
    exponent = min(attempt - 1, 16)
    return min(MAX_DELAY_S, BASE_DELAY_S * GROWTH**exponent)
