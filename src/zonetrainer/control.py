"""The zone-control loop's public entry point.

``from zonetrainer.control import ZoneController`` (see zonetrainer.core.control).
"""

from zonetrainer.core.control import ControllerConfigError, ZoneController

__all__ = ["ControllerConfigError", "ZoneController"]
