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
(:mod:`zonetrainer.core.athlete_faults`); beats come from :mod:`zonetrainer.core.athlete_rr`.

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
from dataclasses import dataclass

import numpy as np

from zonetrainer.core.athlete_faults import StrapFaults
from zonetrainer.core.athlete_rr import BeatGenerator, IntensityCurve
from zonetrainer.core.model import HeartRateSample


@dataclass(frozen=True, slots=True)
class AthleteParams:
    """One athlete's physiology and strap. Every default names where it comes from."""

    #: A healthy untrained-to-recreational adult at rest: 60 bpm (normal range 60-100, AHA;
    #: lower in trained people).
    rest_hr_bpm: float = 60.0
    #: Tanaka, Monahan and Seals 2001 (208 - 0.7 x age) for a 35-year-old: 183.5 bpm.
    hrmax_bpm: float = 183.5
    #: Aerobic threshold (DFA alpha1 = 0.75, Rogers et al. 2021), here about 75 % HRmax, the
    #: middle of the VT1 range reported in the same work.
    aet_hr_bpm: float = 138.0
    #: Second threshold (alpha1 about 0.5, Rogers et al. 2021), about 88 % HRmax.
    lt2_hr_bpm: float = 162.0
    #: Dead time between a change of effort and the first heart-rate response: DESIGN.md 5-15 s.
    #: The two real rides fit 0 and 4 s (fit_athlete.py), so the default is the range's bottom.
    dead_time_s: float = 5.0
    #: Fast time constant: Hunt et al. 2015 treadmill fits give 58 +/- 24 s (DESIGN.md). With
    #: the slow component below, a single-lag fit of the whole step response gives 73 s, what
    #: scripts/fit_athlete.py fits on the better-fitting real ride in ../shared/data (73 s,
    #: r2 0.97; the other ride 44 s, r2 0.93; power as effort).
    tau_fast_s: float = 50.0
    #: Slow component: a modelling choice (minutes, a fifth of the amplitude) that lets a long
    #: steady effort keep creeping up as real recordings do.
    tau_slow_s: float = 240.0
    slow_fraction: float = 0.2
    #: DESIGN.md: recovery gain about 0.8 of the rise gain.
    recovery_gain_ratio: float = 0.8
    #: How fast the unrecovered part fades: a modelling choice of the same order as the slow
    #: component of excess post-exercise oxygen consumption (several minutes).
    recovery_residual_tau_s: float = 600.0
    #: Cardiovascular drift: DESIGN.md 0.05-0.35 bpm/min, starting after about 10 min; the two
    #: real rides fit 0.38 and 0.39 bpm/min (fit_athlete.py), so the default sits high in the range.
    drift_bpm_per_min: float = 0.3
    drift_onset_s: float = 600.0
    #: Strap noise as AR(1) at 1 Hz: DESIGN.md phi 0.85-0.9, SD 1.5-3 bpm. The real rides'
    #: residuals are more persistent still (fast part phi 0.975-0.98, SD 1.4-3.4 bpm in
    #: fit_athlete.py, but not cleanly separable from slow unmodelled changes, and watches
    #: smooth what they record), so phi takes the top of the DESIGN range.
    noise_phi: float = 0.9
    noise_sd_bpm: float = 2.0
    #: RR variability (see athlete_rr.IntensityCurve for the sources).
    rmssd_rest_ms: float = 35.0
    rmssd_exercise_ms: float = 4.5
    alpha1_easy: float = 1.15
    #: Strap faults. Gaps of 2-10 s (DESIGN.md). The recordings (7.7 h, fit_athlete.py) show
    #: 0.4 gaps/h, 0.13 contact losses/h and no spikes, but a watch records a smoothed value
    #: and hides short dropouts; the defaults are a few times higher (an assumption) so that a
    #: one-hour demo shows each fault. Set them to 0 (or use faults=False) for exact tests.
    gap_rate_per_h: float = 2.0
    gap_min_s: int = 2
    gap_max_s: int = 10
    spike_rate_per_h: float = 1.0
    spike_bpm: tuple[float, float] = (25.0, 60.0)
    contact_loss_rate_per_h: float = 1.0
    contact_loss_min_s: int = 3
    contact_loss_max_s: int = 20
    #: Missed and extra beats: DESIGN.md 0.5-2 % of beats.
    missed_beat_share: float = 0.005
    extra_beat_share: float = 0.005

    def __post_init__(self) -> None:
        checks = (
            (25 <= self.rest_hr_bpm < self.aet_hr_bpm, "rest_hr_bpm must be 25+ and below aet"),
            (self.aet_hr_bpm < self.lt2_hr_bpm < self.hrmax_bpm <= 230,
             "need aet_hr_bpm < lt2_hr_bpm < hrmax_bpm <= 230"),
            (self.dead_time_s >= 0, "dead_time_s must be 0 or more"),
            (self.tau_fast_s > 0 and self.tau_slow_s > 0, "time constants must be positive"),
            (0 <= self.slow_fraction <= 1, "slow_fraction must be within 0..1"),
            (0 < self.recovery_gain_ratio <= 1, "recovery_gain_ratio must be within (0, 1]"),
            (self.recovery_residual_tau_s > 0, "recovery_residual_tau_s must be positive"),
            (self.drift_bpm_per_min >= 0 and self.drift_onset_s >= 0, "drift must be >= 0"),
            (0 <= self.noise_phi < 1 and self.noise_sd_bpm >= 0, "noise: 0 <= phi < 1, sd >= 0"),
            (min(self.gap_rate_per_h, self.spike_rate_per_h, self.contact_loss_rate_per_h) >= 0,
             "fault rates must be 0 or more"),
            (1 <= self.gap_min_s <= self.gap_max_s, "need 1 <= gap_min_s <= gap_max_s"),
            (1 <= self.contact_loss_min_s <= self.contact_loss_max_s,
             "need 1 <= contact_loss_min_s <= contact_loss_max_s"),
            (0 <= self.missed_beat_share + self.extra_beat_share < 0.5
             and min(self.missed_beat_share, self.extra_beat_share) >= 0,
             "beat artefact shares must be >= 0 and below 0.5 together"),
        )
        for ok, message in checks:
            if not ok:
                raise ValueError(f"AthleteParams: {message}")

    def without_faults(self) -> AthleteParams:
        """The same athlete with a perfect strap: no gaps, spikes, losses or beat artefacts."""
        from dataclasses import replace

        return replace(self, gap_rate_per_h=0.0, spike_rate_per_h=0.0,
                       contact_loss_rate_per_h=0.0, missed_beat_share=0.0,
                       extra_beat_share=0.0)


#: Largest physiology step; ``advance`` cuts longer steps into these.
_MAX_STEP_S = 1.0


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
        u = self._delayed_bpm - p.rest_hr_bpm
        # The unrecovered peak: jumps up with effort, fades slowly when effort drops.
        self._peak_bpm = max(u, self._peak_bpm + (u - self._peak_bpm)
                             * (1.0 - math.exp(-h / p.recovery_residual_tau_s)))
        u_eff = u + (1.0 - p.recovery_gain_ratio) * (self._peak_bpm - u)
        self._fast_bpm += ((1.0 - p.slow_fraction) * u_eff - self._fast_bpm) * (
            1.0 - math.exp(-h / p.tau_fast_s))
        self._slow_bpm += (p.slow_fraction * u_eff - self._slow_bpm) * (
            1.0 - math.exp(-h / p.tau_slow_s))
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
        z = float(self._noise_rng.standard_normal())
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


def random_cohort(n: int, seed: int) -> list[AthleteParams]:
    """``n`` varied athletes, deterministic for ``seed``: ages 20-70, about 40 % trained.

    HRmax: Tanaka 208 - 0.7 x age with its SD of about 7 bpm (Tanaka et al. 2001). Resting HR:
    42-58 bpm trained, 58-78 untrained (assumed ranges). Aerobic threshold at 74-82 % HRmax
    trained, 65-75 % untrained (assumed spread around the 74 +/- 3 % HRmax of peak fat oxidation
    in trained cyclists, Achten, Gleeson and Jeukendrup 2002); the second threshold 45-60 % of the
    way from there to HRmax. Time constants 25-70 s trained, 40-110 s untrained (DESIGN.md range
    25-110 s; trained people respond faster). Dead time, drift and noise across their DESIGN.md
    ranges; strap faults from none up to several per hour so a controller meets bad straps too.
    """
    if n < 0:
        raise ValueError(f"random_cohort: n must be 0 or more, not {n}")
    rng = np.random.default_rng(seed)
    cohort = []
    for _ in range(n):
        age = float(rng.uniform(20, 70))
        trained = bool(rng.random() < 0.4)
        hrmax = float(np.clip(208.0 - 0.7 * age + rng.normal(0.0, 7.0), 150.0, 215.0))
        rest = float(rng.uniform(42, 58) if trained else rng.uniform(58, 78))
        aet = hrmax * float(rng.uniform(0.74, 0.82) if trained else rng.uniform(0.65, 0.75))
        aet = max(aet, rest + 25.0)
        lt2 = aet + float(rng.uniform(0.45, 0.6)) * (hrmax - aet)
        tau_fast = float(rng.uniform(25, 70) if trained else rng.uniform(40, 110))
        share = float(rng.uniform(0.005, 0.02))  # missed + extra beats: DESIGN.md 0.5-2 %
        split = float(rng.uniform(0.3, 0.7))
        cohort.append(AthleteParams(
            rest_hr_bpm=round(rest, 1), hrmax_bpm=round(hrmax, 1), aet_hr_bpm=round(aet, 1),
            lt2_hr_bpm=round(lt2, 1), dead_time_s=float(rng.uniform(5, 15)),
            tau_fast_s=tau_fast, tau_slow_s=float(rng.uniform(150, 400)),
            slow_fraction=float(rng.uniform(0.1, 0.3)),
            recovery_gain_ratio=float(rng.uniform(0.7, 0.9)),
            drift_bpm_per_min=float(rng.uniform(0.05, 0.35)),
            drift_onset_s=float(rng.uniform(400, 900)),
            noise_phi=float(rng.uniform(0.85, 0.9)), noise_sd_bpm=float(rng.uniform(1.5, 3.0)),
            alpha1_easy=float(rng.uniform(1.0, 1.2)),
            gap_rate_per_h=float(rng.uniform(0, 6)), spike_rate_per_h=float(rng.uniform(0, 4)),
            contact_loss_rate_per_h=float(rng.uniform(0, 2)),
            missed_beat_share=share * split, extra_beat_share=share * (1.0 - split)))
    return cohort
