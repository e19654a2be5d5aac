"""The effort source for a machine or sensor the athlete named, shared by ``run --machine`` /
``--sensor`` and the dashboard's machine picker."""

from __future__ import annotations

from typing import Literal

from zonetrainer.core.clock import Clock
from zonetrainer.core.errors import UserError
from zonetrainer.core.sources.base import EffortSource, HeartRateSource
from zonetrainer.core.sources.ble_sensors import EffortSensorSource
from zonetrainer.core.sources.ftms import FtmsSource
from zonetrainer.core.sources.simulated import SimulatedStrap
from zonetrainer.core.sources.simulated_machine import SIM_NAMES, simulated_machine_for

#: "machine": an FTMS machine to steer (or a simulated one); "sensor": a power meter or footpod.
EffortKind = Literal["machine", "sensor"]


def effort_source_for(kind: EffortKind, name: str, clock: Clock, strap: HeartRateSource,
                      ) -> tuple[HeartRateSource, EffortSource]:
    """The effort source ``name`` (an address, a part of a name, or a simulated machine such as
    ``sim-treadmill``) and the heart-rate source to use with it: a simulated machine drives the
    simulated strap's athlete, so it gets a strap of its own sharing that athlete."""
    sim = SIM_NAMES.get(name.strip().lower()) if kind == "machine" else None
    if sim is not None:
        if not isinstance(strap, SimulatedStrap):
            raise UserError(f"the simulated machine '{name}' needs the simulated athlete "
                            "(the simulated strap)")
        return simulated_machine_for(strap, sim)
    if kind == "machine":
        return strap, FtmsSource(name, clock)
    return strap, EffortSensorSource(name, clock)
