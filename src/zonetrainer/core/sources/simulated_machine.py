"""A simulated fitness machine (a treadmill or a smart trainer) for ``run --simulate --machine
sim-treadmill`` and for tests: an :class:`EffortSource` whose effort drives the simulated
strap's athlete, so machine, heart and loop form one closed loop.

Until the loop names a target the machine is in "manual mode": it runs the effort the athlete
chooses for the phase (the simulated strap's effort, turned back into speed or power by the
athlete's :class:`EffortResponse`). Once targeted, the belt or flywheel moves towards the
target at ``accel_per_s`` and the heart follows what the machine runs. The simulated treadmill
holds the grade a plan names and reports it; the simulated heart answers the speed only.
"""

from __future__ import annotations

from typing import Final, Literal

from zonetrainer.core.model import (
    EffortSample,
    EffortUnit,
    HeartRateSample,
    SessionEvent,
    SourceStatus,
)
from zonetrainer.core.sim import EffortResponse, bike_response, treadmill_response
from zonetrainer.core.sources.base import EffortRange, EffortSource
from zonetrainer.core.sources.simulated import SimulatedStrap

SimKind = Literal["treadmill", "indoor_bike"]

#: The names ``run --machine`` knows as simulated machines.
SIM_NAMES: Final[dict[str, SimKind]] = {"sim-treadmill": "treadmill", "sim-bike": "indoor_bike",
                                        "sim-trainer": "indoor_bike"}

#: Supported ranges of typical home machines: a treadmill 1-18 km/h in 0.1 km/h (FTMS
#: treadmills commonly report 0.1 km/h steps), a smart trainer 25-1500 W in 1 W.
RANGES: Final[dict[SimKind, EffortRange]] = {
    "treadmill": EffortRange(1.0, 18.0, 0.1, "km/h"),
    "indoor_bike": EffortRange(25.0, 1500.0, 1.0, "W")}

#: A treadmill belt changes speed at about 1 km/h per second (0 to 16 km/h in some 15 s on
#: home treadmills); an ERG trainer reaches a new power within a few seconds: 50 W/s.
ACCEL_PER_S: Final[dict[SimKind, float]] = {"treadmill": 1.0, "indoor_bike": 50.0}


class SimulatedMachine(EffortSource):
    """One reading a second at whole seconds; controllable, with :data:`RANGES`."""

    def __init__(self, kind: SimKind, response: EffortResponse, strap: SimulatedStrap,
                 source_id: str = "simulated machine") -> None:
        self.kind = kind
        self.unit: EffortUnit = RANGES[kind].unit
        self.response = response
        self.strap = strap
        self.source_id = source_id
        self.accel_per_s = ACCEL_PER_S[kind]
        self.target: float | None = None
        self.effort: float | None = None
        self.targets: list[float] = []  # every target asked for, for tests
        self.incline_pct: float | None = None  # the grade held (treadmill), None: never set
        self._next_t = 1
        self._started = self._stopped = False
        self._events: list[SessionEvent] = []

    @property
    def controllable(self) -> bool:
        return self._started and not self._stopped

    @property
    def supported_range(self) -> EffortRange:
        return RANGES[self.kind]

    async def start(self) -> None:
        if not self._started:
            r = self.supported_range
            self._events.append(SessionEvent(0.0, "machine_control", (
                f"{self.status().name}: control taken, range {r.low:g}-{r.high:g} {r.unit}, "
                f"step {r.step:g}")))
        self._started, self._stopped = True, False

    def take_events(self) -> list[SessionEvent]:
        events, self._events = self._events, []
        return events

    async def stop(self) -> None:
        self._stopped = True
        self.target = None

    def status(self) -> SourceStatus:
        name = "Simulated treadmill" if self.kind == "treadmill" else "Simulated trainer"
        return SourceStatus(self.source_id, "ended" if self._stopped else "connected", name=name,
                            detail="" if self.target is not None else "manual mode")

    def request_target(self, value: float) -> None:
        if self.controllable:
            self.target = self.supported_range.clamp(value)
            self.targets.append(self.target)

    def request_incline(self, incline_pct: float) -> None:
        if self.controllable and self.kind == "treadmill":
            self.incline_pct = incline_pct

    def manual_effort(self) -> float:
        """What the athlete would run on their own now."""
        wanted = self.response.effort_for_hr(self.strap.effort_bpm, self.strap.athlete.params)
        return self.supported_range.clamp(wanted)

    def drain(self, now_s: float) -> list[EffortSample]:
        out: list[EffortSample] = []
        if self._stopped:
            return out
        while self._next_t <= now_s:
            goal = self.target if self.target is not None else self.manual_effort()
            now = self.effort if self.effort is not None else goal
            step = max(-self.accel_per_s, min(self.accel_per_s, goal - now))
            self.effort = round(now + step, 2)
            out.append(EffortSample(float(self._next_t), self.effort, self.unit, self.source_id,
                                    target=self.target, incline_pct=self.incline_pct))
            self._next_t += 1
        return out


class MachineDrivenStrap(SimulatedStrap):
    """The simulated strap of an athlete on a :class:`SimulatedMachine`: once the machine is
    targeted, the heart follows the machine's effort instead of the phase's."""

    machine: SimulatedMachine | None = None

    def drain(self, now_s: float) -> list[HeartRateSample]:
        machine = self.machine
        if machine is not None and machine.target is not None and machine.effort is not None:
            self.effort_bpm = machine.response.steady_hr_bpm(machine.effort, self.athlete.params)
        return super().drain(now_s)


def simulated_machine_for(strap: SimulatedStrap, kind: SimKind,
                          response: EffortResponse | None = None,
                          ) -> tuple[MachineDrivenStrap, SimulatedMachine]:
    """``strap``'s athlete on a simulated machine: a strap and a machine sharing the athlete."""
    driven = MachineDrivenStrap(strap.athlete, work_hr_bpm=strap.work_hr_bpm,
                                rest_hr_bpm=strap.rest_hr_bpm, warmup_hr_bpm=strap.warmup_hr_bpm,
                                ramp_start_hr_bpm=strap.ramp_start_hr_bpm,
                                ramp_step_bpm=strap.ramp_step_bpm, source_id=strap.source_id)
    if response is None:
        response = treadmill_response() if kind == "treadmill" else bike_response()
    machine = SimulatedMachine(kind, response, driven)
    driven.machine = machine
    return driven, machine
