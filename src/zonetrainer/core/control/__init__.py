"""The zone-control loop: when to switch between work and rest, learnt from the athlete's heart.

Public face of the package; everything else in it is an inside (``_``-prefixed modules):
``_controller`` (:class:`ZoneController`, the stable API also offered as
``zonetrainer.control``), ``_filter`` (the heart rate the loop decides on), ``_model`` (online
identification of the heart's response), ``_policy`` (when to end a work bout), ``_rest``
(heart-rate-controlled rests of strength sets), ``_shape`` (the configuration's checks),
``_base`` (what both loops share) and ``_memory`` (what one session tells the next).
"""

from zonetrainer.core.control._controller import HOLD_AFTER_S, ZoneController
from zonetrainer.core.control._filter import HeartRateFilter
from zonetrainer.core.control._lever import EffortLever
from zonetrainer.core.control._memory import EXTRA_KEY as BOUT_HISTORY_KEY
from zonetrainer.core.control._memory import BoutHistory, BoutHistoryError, recall
from zonetrainer.core.control._rest import RestController
from zonetrainer.core.control._shape import ControllerConfigError, check_config

__all__ = [
    "BOUT_HISTORY_KEY",
    "HOLD_AFTER_S",
    "BoutHistory",
    "BoutHistoryError",
    "ControllerConfigError",
    "EffortLever",
    "HeartRateFilter",
    "RestController",
    "ZoneController",
    "check_config",
    "recall",
]
