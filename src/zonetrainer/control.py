"""The zone-control loop's public entry point.

``from zonetrainer.control import ZoneController, EffortLever`` (see zonetrainer.core.control).
"""

from zonetrainer.core.control import ControllerConfigError, EffortLever, ZoneController

__all__ = ["ControllerConfigError", "EffortLever", "ZoneController"]
