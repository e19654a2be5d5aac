"""The simulated athlete: heart-rate physiology and a chest strap's faults, for demos and tests.

Pure numpy and Python, no clock and no asyncio: the caller moves time with :meth:`Athlete.advance`
and reads the strap with :meth:`Athlete.sample`. The same seed gives the same run.

Model (DESIGN.md "simulated athlete"): the heart rate the current effort would reach in a steady
state (``target_hr_bpm``) reaches the heart after a dead time; above the resting rate it is
followed by two first-order components (fast and slow). Recovery is asymmetric: when the effort
drops, only ``recovery_gain_ratio`` of the drop is recovered at the kinetics' pace, the rest of
the elevation fades with ``recovery_residual_tau_s`` (the slow phase of recovery; it is why
heart rate in the rests of an interval session creeps upward). After ``drift_onset_s`` the rate
drifts upward (cardiovascular drift), in proportion to effort up to the aerobic threshold. The
strap adds AR(1) noise to the rate it reports, and gaps, spikes and contact losses
(:mod:`zonetrainer.core.sim`); beats come from :mod:`zonetrainer.core.sim`.

The reported rate's noise is drawn apart from the RR fluctuations on purpose: fitted at 1 Hz
on real recordings it is slow (phi about 0.9 per second) and a few bpm large, which, put into
the beats, would swamp the 4-16-beat structure that DFA alpha1 reads. So the RR series carries
the alpha1 of the intensity, and its mean follows the true rate, not the noisy reported one.

Random numbers come from three generators seeded from ``seed`` (strap noise, faults, beats),
and noise and faults draw a fixed count per sample, so two runs with the same seed but
different efforts (say, two controllers) see the same noise and the same faults.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from zonetrainer.core.model import HeartRateSample
from zonetrainer.core.sim._draws import BlockDraws
from zonetrainer.core.sim._faults import StrapFaults
from zonetrainer.core.sim._params import AthleteParams
from zonetrainer.core.sim._rr import BeatGenerator, IntensityCurve

#: Largest physiology step; ``advance`` cuts longer steps into these.
_MAX_STEP_S = 1.0
#: The strap noise's normal draws are taken this many at a time (_draws.BlockDraws).
_NOISE_BLOCK = 512


class Athlete:
    """The physiology and the strap of one simulated athlete, deterministic for a seed.

    ``faults=False`` switches every strap fault off (gaps, spikes, contact loss, missed and
    extra beats); ``noise=False`` also removes the strap's AR(1) noise, so a test can be exact.
    """

    def __init__(self, params: AthleteParams | None = None, seed: int = 0, *,
                 faults: bool = True, noise: bool = True) -> None:
        self.params = params = params if params is not None else AthleteParams()
        self.seed = seed
        self.faults = faults
        self.noise = noise
        root = np.random.SeedSequence(seed)
        noise_seq, fault_seq, beat_seq = root.spawn(3)
        self._noise_rng = np.random.default_rng(noise_seq)
        self.faults_model = StrapFaults(params, np.random.default_rng(fault_seq), faults)
        self.t_s = 0.0
        self._fast_bpm = 0.0  # the two components, in bpm above rest
        self._slow_bpm = 0.0
        self._peak_bpm = 0.0  # recent effort not yet recovered, above rest
        self._drift_bpm = 0.0
        self._queue: deque[tuple[float, float]] = deque()  # (time due at the heart, target)
        self._delayed_bpm = params.rest_hr_bpm
        self._noise_bpm = 0.0
        self._gains = (math.nan, 0.0, 0.0, 0.0)  # (step, 1 - exp(-step / tau) for each tau)
        self._noise_draws: BlockDraws[float] = BlockDraws(
            lambda: self._noise_rng.standard_normal(_NOISE_BLOCK).tolist())
        curve = IntensityCurve(params.rest_hr_bpm, params.aet_hr_bpm, params.lt2_hr_bpm,
                               params.hrmax_bpm, alpha1_easy=params.alpha1_easy,
                               rmssd_rest_ms=params.rmssd_rest_ms,
                               rmssd_exercise_ms=params.rmssd_exercise_ms)
        self.beats = BeatGenerator(curve, np.random.default_rng(beat_seq),
                                   params.missed_beat_share if faults else 0.0,
                                   params.extra_beat_share if faults else 0.0)

    @property
    def true_hr_bpm(self) -> float:
        """The heart's rate now, without the strap's noise or faults (for evaluation)."""
        p = self.params
        return min(p.hrmax_bpm, p.rest_hr_bpm + self._fast_bpm + self._slow_bpm + self._drift_bpm)

    @property
    def link_ok(self) -> bool:
        """False during a gap or a contact loss (what the strap's status shows)."""
        return self.faults_model.link_ok

    @property
    def fault_counts(self) -> dict[str, int]:
        """How many gaps, contact losses and spikes have started so far."""
        return dict(self.faults_model.counts)

    def advance(self, dt_s: float, target_hr_bpm: float) -> None:
        """Move the physiology ``dt_s`` seconds on, towards the steady state of this effort."""
        if dt_s < 0:
            raise ValueError(f"advance: dt_s must be 0 or more, not {dt_s}")
        p = self.params
        target = min(max(target_hr_bpm, p.rest_hr_bpm), p.hrmax_bpm)
        steps = max(1, math.ceil(dt_s / _MAX_STEP_S - 1e-9))
        h = dt_s / steps
        for _ in range(steps):
            # The effort that starts now reaches the heart dead_time_s later and then acts
            # over the whole step that begins there.
            self._queue.append((self.t_s + p.dead_time_s, target))
            while self._queue and self._queue[0][0] <= self.t_s + 1e-9:
                self._delayed_bpm = self._queue.popleft()[1]
            self.t_s += h
            self._step(h)

    def _step(self, h: float) -> None:
        p = self.params
        if h != self._gains[0]:  # steps are a second long but for the last: exp once per h
            self._gains = (h, 1.0 - math.exp(-h / p.recovery_residual_tau_s),
                           1.0 - math.exp(-h / p.tau_fast_s), 1.0 - math.exp(-h / p.tau_slow_s))
        _, peak_gain, fast_gain, slow_gain = self._gains
        u = self._delayed_bpm - p.rest_hr_bpm
        # The unrecovered peak: jumps up with effort, fades slowly when effort drops.
        self._peak_bpm = max(u, self._peak_bpm + (u - self._peak_bpm) * peak_gain)
        u_eff = u + (1.0 - p.recovery_gain_ratio) * (self._peak_bpm - u)
        self._fast_bpm += ((1.0 - p.slow_fraction) * u_eff - self._fast_bpm) * fast_gain
        self._slow_bpm += (p.slow_fraction * u_eff - self._slow_bpm) * slow_gain
        if self.t_s > p.drift_onset_s:
            span = max(p.aet_hr_bpm - p.rest_hr_bpm, 1.0)
            share = min(1.0, max(0.0, u / span))
            span_s = min(h, self.t_s - p.drift_onset_s)
            self._drift_bpm += p.drift_bpm_per_min / 60.0 * span_s * share

    def sample(self, t_s: float) -> HeartRateSample | None:
        """The strap's notification at ``t_s`` (call once a second), or None for a gap.

        ``rr_ms`` holds the beats since the previous call; beats that fall in a gap or a
        contact loss are lost, as with a real strap.
        """
        p = self.params
        true_hr = self.true_hr_bpm
        rr = self.beats.beats_until(t_s, true_hr)
        z = self._noise_draws.next()
        if self.noise:
            self._noise_bpm = p.noise_phi * self._noise_bpm + math.sqrt(
                1.0 - p.noise_phi ** 2) * p.noise_sd_bpm * z
        reading, spike_bpm = self.faults_model.next()
        if reading == "gap":
            return None
        if reading == "contact_loss":
            return HeartRateSample(t_s, None, (), False, None)
        hr_bpm = float(min(255, max(1, round(true_hr + self._noise_bpm + spike_bpm))))
        return HeartRateSample(t_s, hr_bpm, tuple(round(r, 1) for r in rr), True, None)
