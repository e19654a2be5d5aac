"""Who the simulated athlete is: physiology and strap parameters, and a varied cohort of them.

Kept apart from the simulation itself so that the strap's faults (:mod:`._faults`) and the
athlete (:mod:`._athlete`) both read the parameters without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
