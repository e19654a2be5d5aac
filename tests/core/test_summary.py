"""The counting rule of core.summary, and that a stored session recomputes to the live figures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.core.test_engine import BAND, CEILING, WARM_INTERVALS_COOL, ZONES
from tests.core.test_engine_fakes import ToyStrap
from zonetrainer.core.engine import SessionEngine
from zonetrainer.core.model import HeartRateSample, IntervalRecord
from zonetrainer.core.signal import LOST_AFTER_S, LiveCounter, live_hr, summarize


def s(t: float, hr: float | None, contact: bool | None = None) -> HeartRateSample:
    return HeartRateSample(t, hr, (), contact)


@pytest.mark.parametrize(("sample", "expected"), [
    (s(0, 130.0), 130.0), (s(0, 130.0, True), 130.0), (s(0, 130.0, False), None),
    (s(0, None), None), (s(0, 0.0), None), (s(0, 24.0), None), (s(0, 251.0), None),
    (s(0, float("nan")), None),
])
def test_live_hr(sample: HeartRateSample, expected: float | None) -> None:
    assert live_hr(sample) == expected


def test_a_reading_counts_until_the_next_but_at_most_the_lost_limit() -> None:
    summary = summarize([s(0, 125.0), s(1, 125.0), s(20, 125.0)], [], BAND, ZONES,
                        duration_s=21.5)
    assert summary.time_in_band_s == pytest.approx(1.0 + LOST_AFTER_S + 1.5)
    assert summary.duration_s == 21.5


def test_share_counts_from_the_first_entry_into_the_band() -> None:
    samples = [s(t, 110.0) for t in range(0, 100)] + [s(t, 125.0) for t in range(100, 130)] + \
        [s(t, 140.0) for t in range(130, 140)]
    summary = summarize(samples, [], BAND, ZONES, duration_s=140)
    assert summary.time_in_band_s == pytest.approx(30.0)
    assert summary.band_share == pytest.approx(30.0 / 40.0)
    assert summary.time_in_zone_s == pytest.approx((100.0, 30.0, 10.0, 0.0, 0.0))


def test_no_live_reading_at_all() -> None:
    summary = summarize([s(0, None), s(1, 0.0)], [], BAND, ZONES)
    assert summary.band_share == 0.0 and summary.avg_hr_bpm is None
    assert summary.max_hr_bpm is None and summary.sample_count == 2
    assert summary.duration_s == 1.0


def test_interval_counts() -> None:
    intervals = [IntervalRecord(i, k, i, i + 1, 1, "x")  # type: ignore[arg-type]
                 for i, k in enumerate(["warmup", "work", "rest", "work", "cooldown"])]
    summary = summarize([], intervals, BAND, ZONES)
    assert (summary.work_intervals, summary.rest_intervals) == (2, 1)
    assert summary.duration_s == 5


def test_out_of_order_samples_are_counted_in_time_order() -> None:
    ordered = [s(t, 120.0 + t) for t in range(10)]
    assert summarize(ordered[::-1], [], BAND, ZONES) == summarize(ordered, [], BAND, ZONES)


def test_stored_samples_recompute_to_the_engine_figures() -> None:
    engine = SessionEngine(WARM_INTERVALS_COOL, BAND, ZONES, CEILING, alpha1_factory=None)
    strap = ToyStrap(gaps=((50, 58), (150, 151)), invalid=((200, 210),))
    t = 0
    while not engine.done:
        t += 1
        for sample in strap.drain(t):
            engine.feed(sample)
        strap.follow(engine.tick(t))
    live = engine.summary()
    again = summarize(strap.produced, engine.intervals, BAND, ZONES, duration_s=live.duration_s)
    assert again == replace(live, timer_s=None)  # the timer time comes from the engine's pauses
    assert live.timer_s == live.duration_s
    assert live.time_in_band_s == pytest.approx(engine.state.time_in_band_s)


def test_live_counter_advance_is_idempotent() -> None:
    counter = LiveCounter(BAND, ZONES)
    counter.add(s(0, 125.0))
    counter.advance(1.0)
    counter.advance(1.0)
    counter.advance(0.5)
    assert counter.time_in_band_s == 1.0


def test_a_late_reading_never_counts_time_twice() -> None:
    counter = LiveCounter(BAND, ZONES)
    counter.add(s(10, 125.0))
    counter.advance(11.0)
    counter.add(s(9, 125.0))  # arrived late: its time up to 11 s is already counted
    counter.advance(12.0)
    assert counter.time_in_band_s == pytest.approx(2.0)


def test_a_single_spike_leaves_the_previous_reading_counting() -> None:
    samples = [s(t, 120.0) for t in range(10)] + [s(10, 190.0)] + \
        [s(t, 120.0) for t in range(11, 20)]
    summary = summarize(samples, [], BAND, ZONES, duration_s=20)
    assert summary.max_hr_bpm == 120.0 and summary.avg_hr_bpm == 120.0
    assert summary.time_in_band_s == pytest.approx(20.0)
    assert summary.sample_count == 20


def test_a_confirmed_jump_is_real() -> None:
    samples = [s(t, 120.0) for t in range(10)] + [s(t, 150.0 + t % 2) for t in range(10, 20)]
    counter = LiveCounter(BAND, ZONES)
    accepted = [counter.add(x) for x in samples]
    # held for 3 s (a strap spike lasts 1-3 readings), then believed
    assert not any(accepted[10:13]) and all(accepted[13:])
    counter.advance(20.0)
    assert counter.time_in_band_s == pytest.approx(12.0)  # 0..9, and 9's reading for its 3 s
    assert counter.time_in_zone_s[2] == pytest.approx(7.0)
    assert counter.max_hr_bpm == 151.0 and counter.spikes == 3


def test_a_spike_of_three_readings_is_not_believed() -> None:
    samples = ([s(t, 120.0) for t in range(10)] + [s(t, 185.0) for t in range(10, 13)]
               + [s(t, 121.0) for t in range(13, 20)])
    counter = LiveCounter(BAND, ZONES)
    accepted = [counter.add(x) for x in samples]
    assert not any(accepted[10:13]) and all(accepted[13:])
    assert counter.max_hr_bpm == 121.0 and counter.spikes == 3


def test_after_a_loss_any_level_is_believed() -> None:
    counter = LiveCounter(BAND, ZONES)
    assert counter.add(s(0, 120.0))
    assert counter.add(s(10, 165.0))  # 10 s of silence: the signal was lost
    counter2 = LiveCounter(BAND, ZONES)
    counter2.add(s(0, 120.0))
    counter2.add(s(1, None))
    assert counter2.add(s(2, 165.0))  # a contact loss in between: believed too
    assert counter2.live_hr_at(2.5) == 165.0 and counter2.live_hr_at(5.5) is None
