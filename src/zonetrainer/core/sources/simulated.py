"""The simulated strap: a :class:`HeartRateSource` around a simulated :class:`Athlete`.

A closed loop: the session tells the strap what the athlete is asked to do (:meth:`follow`),
the athlete's effort follows the phase, and the heart rate follows the effort with the
physiology of :mod:`zonetrainer.core.sim`. Doubles as the demo mode (``run --simulate``).

Compliance model for the controller's cues (a modelling choice, stated so results can be
judged): the athlete reacts ``REACTION_S`` after a cue appears; "ease off" (also "ease off a
little", "slow to ...") lowers the work effort by ``CUE_STEP_BPM`` (twice that for "... more")
and again every ``CUE_REPEAT_S`` while the cue stays on, "pick it up" raises it the same way,
never more than ``CUE_MAX_BPM`` away from the habitual effort. Each new work bout starts at
the habitual effort again (athletes tend to start each bout as hard as the last began), so cues
are needed in every bout. Other cues ("rest now", exercise hints) change nothing beyond the
phase itself.
"""

from __future__ import annotations

import logging
from typing import Final

import numpy as np

from zonetrainer.core.model import (
    Band,
    HeartRateSample,
    LinkState,
    Phase,
    SessionState,
    SourceStatus,
)
from zonetrainer.core.profile import Profile
from zonetrainer.core.sim import Athlete, AthleteParams
from zonetrainer.core.sources.base import HeartRateSource

log = logging.getLogger(__name__)

REACTION_S: Final = 3.0
CUE_STEP_BPM: Final = 5.0
CUE_REPEAT_S: Final = 15.0
CUE_MAX_BPM: Final = 30.0
#: Effort added per ramp step by simulated_source_for's athlete.
RAMP_STEP_BPM: Final = 10.0
#: What a strap reports: a fresh coin cell in a chest strap shows most of its charge.
BATTERY_PCT: Final = 87


class SimulatedStrap(HeartRateSource):
    """One reading a second at whole seconds of session time (1, 2, 3, ...), from ``athlete``.

    Efforts are steady-state heart rates in bpm: ``work_hr_bpm`` in work, ``rest_hr_bpm`` in
    rest, ``warmup_hr_bpm`` in warm-up and cool-down (default: halfway between rest and work),
    ``ramp_start_hr_bpm + ramp_step * ramp_step_bpm`` in a ramp block. Before the first state and
    after "done" the athlete idles at their resting heart rate.
    """

    def __init__(self, athlete: Athlete, *, work_hr_bpm: float, rest_hr_bpm: float,
                 warmup_hr_bpm: float | None = None, ramp_start_hr_bpm: float | None = None,
                 ramp_step_bpm: float | None = None, source_id: str = "simulated") -> None:
        if not rest_hr_bpm < work_hr_bpm:
            raise ValueError(f"SimulatedStrap: rest effort {rest_hr_bpm:g} bpm must be below "
                             f"the work effort {work_hr_bpm:g} bpm")
        self.athlete = athlete
        self.work_hr_bpm = work_hr_bpm
        self.rest_hr_bpm = rest_hr_bpm
        self.warmup_hr_bpm = (warmup_hr_bpm if warmup_hr_bpm is not None
                              else (work_hr_bpm + rest_hr_bpm) / 2.0)
        self.ramp_start_hr_bpm = (ramp_start_hr_bpm if ramp_start_hr_bpm is not None
                                  else self.warmup_hr_bpm - 15.0)
        self.ramp_step_bpm = ramp_step_bpm if ramp_step_bpm is not None else 8.0
        self.source_id = source_id
        self.effort_bpm = athlete.params.rest_hr_bpm
        self.phase: Phase | None = None
        self.adjust_bpm = 0.0  # cue compliance, added to the work effort
        self._cue: str | None = None
        self._cue_next_s: float | None = None
        self._now_s = 0.0
        self._next_t = 1
        self._started = False
        self._stopped = False

    async def start(self) -> None:
        self._started = True
        self._stopped = False

    async def stop(self) -> None:
        self._stopped = True

    def status(self) -> SourceStatus:
        link: LinkState
        if self._stopped:
            link = "ended"
        elif not self._started or self.athlete.link_ok:
            link = "connected"
        else:
            link = "lost"
        return SourceStatus(self.source_id, link, name="Simulated strap",
                            battery_pct=BATTERY_PCT, body_location="Chest",
                            detail=f"simulated athlete, seed {self.athlete.seed}")

    def follow(self, state: SessionState) -> None:
        """Set the effort from the phase the athlete is asked to do, and react to cues."""
        previous = self.phase
        phase = state.phase
        if phase == "work" and previous != "work" and previous != "hold":
            self.adjust_bpm = 0.0  # a new bout starts at the habitual effort
        self._follow_cue(state.cue if phase == "work" else None)
        if phase == "hold":
            pass  # keep the effort of the phase before
        elif phase == "done":
            self.effort_bpm = self.athlete.params.rest_hr_bpm
        elif phase == "rest":
            self.effort_bpm = self.rest_hr_bpm
        elif phase in ("warmup", "cooldown"):
            self.effort_bpm = self.warmup_hr_bpm
        elif state.block_kind == "ramp" and state.ramp_step is not None:
            self.effort_bpm = self.ramp_start_hr_bpm + state.ramp_step * self.ramp_step_bpm
        else:
            self.effort_bpm = self.work_hr_bpm + self.adjust_bpm
        self.phase = phase

    def _follow_cue(self, text: str | None) -> None:
        # graded and numeric cues (issue 13) ask for the same direction; "more" for two steps
        cue = ("ease off" if text is not None and text.startswith(("ease off", "slow")) else
               "pick it up" if text is not None and text.startswith(("pick it up", "speed up"))
               else None)
        if cue is None:
            self._cue, self._cue_next_s = None, None
            return
        if cue != self._cue:
            self._cue, self._cue_next_s = cue, self._now_s + REACTION_S
        if self._cue_next_s is not None and self._now_s >= self._cue_next_s:
            steps = 2.0 if text is not None and text.endswith("more") else 1.0
            step = (-CUE_STEP_BPM if cue == "ease off" else CUE_STEP_BPM) * steps
            self.adjust_bpm = float(np.clip(self.adjust_bpm + step, -CUE_MAX_BPM, CUE_MAX_BPM))
            self._cue_next_s += CUE_REPEAT_S

    def drain(self, now_s: float) -> list[HeartRateSample]:
        """Advance the athlete second by second up to ``now_s``; the readings that fell due."""
        out: list[HeartRateSample] = []
        if self._stopped:
            return out
        while self._next_t <= now_s:
            t = float(self._next_t)
            self.athlete.advance(t - self._now_s, self.effort_bpm)
            self._now_s = t
            self._next_t += 1
            sample = self.athlete.sample(t)
            if sample is not None:
                out.append(HeartRateSample(sample.t_s, sample.hr_bpm, sample.rr_ms,
                                           sample.contact, sample.energy_kj, self.source_id))
        return out


def simulated_source_for(profile: Profile, band: Band, seed: int | None = None) -> SimulatedStrap:
    """A plausible athlete for ``profile``, working 10-35 bpm above the band's top and resting
    20-35 bpm below its bottom (never below their resting rate + 10, and work stays at least
    10 bpm above rest and 3 bpm below HRmax), seeded for repeatability (``seed=None``: a
    different athlete each time).

    A ramp starts 45 bpm below the athlete's aerobic threshold and climbs ``RAMP_STEP_BPM`` a
    step, so the 8 steps of a typical ramp test cross the threshold and reach the second one.

    The aerobic threshold is the profile's if known, else the band's top (every default band of
    DESIGN.md lies at or just below the aerobic threshold); the second threshold sits 55 % of
    the way from there to HRmax (about 88 % HRmax for a threshold at 75 %, as in Seiler 2010's
    three-zone model).
    """
    rng = np.random.default_rng(seed)
    hrmax = profile.hrmax_bpm
    rest = profile.rest_hr_bpm if profile.rest_hr_bpm is not None else float(rng.uniform(52, 70))
    aet = profile.aet_bpm if profile.aet_bpm is not None else band.high_bpm
    aet = min(max(aet, rest + 20.0), hrmax - 15.0)
    lt2 = aet + 0.55 * (hrmax - aet)
    params = AthleteParams(
        rest_hr_bpm=rest, hrmax_bpm=hrmax, aet_hr_bpm=aet, lt2_hr_bpm=lt2,
        dead_time_s=float(rng.uniform(5, 15)), tau_fast_s=float(rng.uniform(30, 80)),
        drift_bpm_per_min=float(rng.uniform(0.05, 0.35)),
        noise_phi=float(rng.uniform(0.85, 0.9)), noise_sd_bpm=float(rng.uniform(1.5, 3.0)))
    rest_effort = max(band.low_bpm - float(rng.uniform(20, 35)), rest + 10.0)
    # A band at or below the resting rate (possible with an odd profile) still gets an athlete
    # who works harder than they rest.
    work = max(min(band.high_bpm + float(rng.uniform(10, 35)), hrmax - 3.0), rest_effort + 10.0)
    warmup = min(max(band.low_bpm - float(rng.uniform(5, 12)), rest_effort + 5.0), work - 5.0)
    athlete = Athlete(params, seed=int(rng.integers(2**31)))
    log.debug("simulated athlete %s: work %.0f, rest %.0f bpm", params, work, rest_effort)
    return SimulatedStrap(athlete, work_hr_bpm=work, rest_hr_bpm=rest_effort,
                          warmup_hr_bpm=warmup, ramp_start_hr_bpm=max(rest + 10.0, aet - 45.0),
                          ramp_step_bpm=RAMP_STEP_BPM)
