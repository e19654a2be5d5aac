"""The simulated strap: a real HeartRateSource, closed loop around the simulated athlete."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from zonetrainer.core.model import Band, Phase, SessionState
from zonetrainer.core.profile import Profile
from zonetrainer.core.sim import Athlete, AthleteParams
from zonetrainer.core.sources.base import HeartRateSource
from zonetrainer.core.sources.simulated import (
    CUE_MAX_BPM,
    CUE_REPEAT_S,
    CUE_STEP_BPM,
    REACTION_S,
    SimulatedStrap,
    simulated_source_for,
)

BAND = Band(120.0, 135.0, "custom", "test", 0.0)
EXACT = replace(AthleteParams(), drift_bpm_per_min=0.0).without_faults()


def state(phase: Phase, t_s: float = 0.0, cue: str | None = None, block_kind: str = "intervals",
          ramp_step: int | None = None) -> SessionState:
    return SessionState(elapsed_s=t_s, phase=phase, phase_elapsed_s=0.0, phase_remaining_s=None,
                        next_phase=None, block_index=0, interval_index=0, hr_bpm=None,
                        signal_live=True, zone=None, in_band=None, band=BAND,
                        session_duration_s=3600.0, cue=cue, ramp_step=ramp_step,
                        block_kind=block_kind)


def strap(params: AthleteParams = EXACT, seed: int = 1) -> SimulatedStrap:
    return SimulatedStrap(Athlete(params, seed), work_hr_bpm=160.0, rest_hr_bpm=100.0,
                          warmup_hr_bpm=115.0, ramp_start_hr_bpm=95.0, ramp_step_bpm=10.0)


def test_is_a_heart_rate_source_with_one_reading_a_second() -> None:
    s = strap()
    assert isinstance(s, HeartRateSource) and s.source_id == "simulated"
    asyncio.run(s.start())
    first = s.drain(3.5)
    assert [x.t_s for x in first] == [1.0, 2.0, 3.0]
    assert s.drain(3.9) == []
    assert [x.t_s for x in s.drain(6.0)] == [4.0, 5.0, 6.0]
    assert all(x.source_id == "simulated" and x.contact is True for x in first)
    assert not s.finished


def test_effort_follows_the_phase() -> None:
    s = strap()
    efforts: dict[str, list[float]] = {}
    phases: tuple[Phase, ...] = ("warmup", "work", "hold", "rest", "hold", "cooldown", "done")
    for phase in phases:
        s.follow(state(phase))
        efforts.setdefault(phase, []).append(s.effort_bpm)
    assert efforts["warmup"] == [115.0] and efforts["work"] == [160.0]
    assert efforts["hold"] == [160.0, 100.0]  # a hold keeps the effort of the phase before
    assert efforts["rest"] == [100.0] and efforts["cooldown"] == [115.0]
    assert efforts["done"] == [EXACT.rest_hr_bpm]


def test_ramp_steps_raise_the_effort() -> None:
    s = strap()
    for step in range(4):
        s.follow(state("work", block_kind="ramp", ramp_step=step))
        assert s.effort_bpm == 95.0 + 10.0 * step


def test_closed_loop_heart_rate_goes_where_the_phase_sends_it() -> None:
    s = strap()
    s.follow(state("work"))
    s.drain(1500.0)
    assert s.athlete.true_hr_bpm == pytest.approx(160.0, abs=1.0)
    s.follow(state("rest"))
    readings = s.drain(4000.0)
    assert s.athlete.true_hr_bpm == pytest.approx(100.0, abs=1.0)
    assert readings[-1].hr_bpm == pytest.approx(100.0, abs=8.0)  # with the strap's noise


def test_ease_off_lowers_the_work_effort_step_by_step_and_a_new_bout_resets_it() -> None:
    s = strap()
    s.follow(state("work"))
    t = 0.0
    efforts = []
    while t < 200:
        t += 1.0
        s.drain(t)
        s.follow(state("work", t, cue="ease off"))
        efforts.append((t, s.effort_bpm))
    first_change = next(t for t, e in efforts if e < 160.0)
    assert first_change == 1.0 + REACTION_S
    assert dict(efforts)[first_change + CUE_REPEAT_S] == 160.0 - 2 * CUE_STEP_BPM
    assert efforts[-1][1] == 160.0 - CUE_MAX_BPM  # never more than the maximum
    s.follow(state("rest", t))
    s.follow(state("work", t))
    assert s.effort_bpm == 160.0


def test_pick_it_up_raises_and_other_cues_change_nothing() -> None:
    s = strap()
    s.follow(state("work"))
    for t in range(1, 20):
        s.drain(float(t))
        s.follow(state("work", float(t), cue="Hinge at the hips"))
    assert s.effort_bpm == 160.0
    for t in range(20, 40):
        s.drain(float(t))
        s.follow(state("work", float(t), cue="pick it up"))
    assert s.effort_bpm == 160.0 + 2 * CUE_STEP_BPM


def test_status_shows_a_lost_link_during_faults_and_the_battery() -> None:
    params = replace(EXACT, gap_rate_per_h=300.0, contact_loss_rate_per_h=300.0)
    s = SimulatedStrap(Athlete(params, 2), work_hr_bpm=150.0, rest_hr_bpm=100.0)
    asyncio.run(s.start())
    links = []
    for t in range(1, 1200):
        got = s.drain(float(t))
        links.append((s.status().link, bool(got) and got[0].hr_bpm is not None))
    assert ("lost", False) in links and ("connected", True) in links
    assert not any(live for link, live in links if link == "lost")
    assert s.status().battery_pct == 87
    asyncio.run(s.stop())
    assert s.status().link == "ended" and s.drain(2000.0) == []


def test_gaps_send_nothing_and_contact_loss_sends_no_rate() -> None:
    params = replace(EXACT, gap_rate_per_h=200.0, contact_loss_rate_per_h=200.0)
    s = SimulatedStrap(Athlete(params, 3), work_hr_bpm=150.0, rest_hr_bpm=100.0)
    readings = s.drain(3600.0)
    assert 3000 < len(readings) < 3600  # some seconds sent nothing
    lost = [r for r in readings if r.hr_bpm is None]
    assert lost and all(r.contact is False and r.rr_ms == () for r in lost)


def test_same_seed_same_session() -> None:
    def session(seed: int) -> list[object]:
        s = simulated_source_for(Profile(age_years=35, rest_hr_bpm=55), BAND, seed)
        out: list[object] = []
        for t in range(1, 1500):
            s.follow(state("work" if (t // 240) % 2 == 0 else "rest", float(t)))
            out.extend(s.drain(float(t)))
        return out

    assert session(4) == session(4)
    assert session(4) != session(5)


@pytest.mark.parametrize("seed", range(12))
def test_source_for_a_profile_works_above_the_band_and_rests_below(seed: int) -> None:
    profile = Profile(age_years=45, rest_hr_bpm=62)
    band = profile.band()
    s = simulated_source_for(profile, band, seed)
    assert band.high_bpm + 10 <= s.work_hr_bpm <= band.high_bpm + 35
    assert s.rest_hr_bpm <= band.low_bpm - 20 and s.rest_hr_bpm >= 62 + 10
    assert s.rest_hr_bpm < s.warmup_hr_bpm < band.low_bpm
    p = s.athlete.params
    assert p.rest_hr_bpm == 62 and p.hrmax_bpm == profile.hrmax_bpm
    assert p.aet_hr_bpm == band.high_bpm and p.aet_hr_bpm < p.lt2_hr_bpm < p.hrmax_bpm
    assert 5 <= p.dead_time_s <= 15 and 1.5 <= p.noise_sd_bpm <= 3


def test_source_for_a_profile_with_a_measured_threshold_uses_it() -> None:
    profile = Profile(age_years=30, aet_bpm=150.0)
    s = simulated_source_for(profile, profile.band(), 1)
    assert s.athlete.params.aet_hr_bpm == 150.0
    assert 52 <= s.athlete.params.rest_hr_bpm <= 70


def test_rest_effort_must_be_below_work_effort() -> None:
    with pytest.raises(ValueError, match="rest effort 150 bpm must be below the work effort"):
        SimulatedStrap(Athlete(EXACT), work_hr_bpm=140.0, rest_hr_bpm=150.0)


@settings(max_examples=150, deadline=None)
@given(age=st.floats(10, 100), rest=st.none() | st.floats(25, 120),
       method=st.sampled_from(["auto", "pct_hrmax", "karvonen", "maf"]),
       seed=st.integers(0, 2**32 - 1))
def test_any_valid_profile_gets_a_working_athlete(age: float, rest: float | None, method: str,
                                                  seed: int) -> None:
    try:
        profile = Profile(age_years=age, rest_hr_bpm=rest, band_method=method)
        band = profile.band()
    except ValueError:
        assume(False)  # an impossible profile is the profile's business, tested there
        return
    s = simulated_source_for(profile, band, seed)
    p = s.athlete.params
    assert p.rest_hr_bpm < p.aet_hr_bpm < p.lt2_hr_bpm < p.hrmax_bpm
    assert s.rest_hr_bpm < s.warmup_hr_bpm and s.rest_hr_bpm < s.work_hr_bpm <= p.hrmax_bpm
    s.follow(state("work"))
    readings = s.drain(30.0)
    low, high = p.rest_hr_bpm - 5 * p.noise_sd_bpm, p.hrmax_bpm + 60 + 5 * p.noise_sd_bpm
    assert all(r.hr_bpm is None or low <= r.hr_bpm <= high for r in readings)


def test_readings_do_not_depend_on_how_often_drain_is_called() -> None:
    """Real time ticks every 0.1 s, --speed 0 jumps: the same seed gives the same readings."""
    params = AthleteParams(gap_rate_per_h=60.0, spike_rate_per_h=60.0)
    fine, coarse = strap(params, 8), strap(params, 8)
    fine.follow(state("work"))
    coarse.follow(state("work"))
    by_tenths = [r for k in range(1, 6001) for r in fine.drain(k / 10.0)]
    in_jumps = [r for t in (0.5, 7.0, 7.2, 250.0, 600.0) for r in coarse.drain(t)]
    assert by_tenths == in_jumps and len(in_jumps) > 500
