"""A plan block's effort and shortest work bout (issue 13), read from TOML::

    [[block]]
    kind = "intervals"
    repeats = 5
    work_s = 240
    rest_s = 120
    effort = { work = 10.0, rest = 5.0, unit = "km/h" }   # or unit = "W"
    min_work_s = 150           # optional; default 60 % of work_s, never under 60 s

``work`` is where the zone-control loop starts the work effort (it then sets it from the heart
rate); ``rest`` is the rest effort. A machine's own limits are respected on top of these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

#: The efforts a plan may name, per unit: a treadmill's belt (km/h) or a trainer's power (W).
EFFORT_RANGES: Final = {"km/h": (0.0, 30.0), "W": (0.0, 2000.0)}


@dataclass(frozen=True, slots=True)
class PlanEffort:
    """The efforts of one intervals block, in ``unit``."""

    work: float
    rest: float
    unit: str


def parse_effort(raw: Any, fail: Callable[[str], Exception]) -> PlanEffort:
    """``raw`` as a :class:`PlanEffort`; ``fail(message)`` builds the error to raise."""
    if not isinstance(raw, dict):
        raise fail('must be a table like { work = 10.0, rest = 5.0, unit = "km/h" }')
    unknown = sorted(set(raw) - {"work", "rest", "unit"})
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} (work, rest, unit)")
    unit = raw.get("unit")
    if unit not in EFFORT_RANGES:
        raise fail(f'unit must be "km/h" or "W", not {unit!r}')
    low, high = EFFORT_RANGES[unit]
    values: dict[str, float] = {}
    for key in ("work", "rest"):
        value = raw.get(key)
        if value is None:
            raise fail(f"{key} is missing")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(f"{key} must be a number, not {value!r}")
        if not low <= value <= high:
            raise fail(f"{key} must be between {low:g} and {high:g} {unit}, not {value}")
        values[key] = float(value)
    if values["work"] <= values["rest"]:
        raise fail(f"work ({values['work']:g}) must be above rest ({values['rest']:g})")
    return PlanEffort(values["work"], values["rest"], unit)


def parse_min_work(raw: Any, work_s: float, fail: Callable[[str], Exception]) -> float:
    """A block's ``min_work_s``: a number of seconds from 10 up to ``work_s``."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise fail(f"must be a number of seconds, not {raw!r}")
    if not 10.0 <= raw <= work_s:
        raise fail(f"must be between 10 and work_s ({work_s:g}), not {raw}")
    return float(raw)
