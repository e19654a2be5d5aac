"""ReplaySource: a recording played on the session clock, alone and as the source of a session."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from zonetrainer.core.clock import VirtualClock
from zonetrainer.core.imports import read_recording
from zonetrainer.core.plan import load_plan
from zonetrainer.core.profile import Profile
from zonetrainer.core.recorder import MemoryRecorder
from zonetrainer.core.runner import runner_for
from zonetrainer.core.sources.base import SourceError
from zonetrainer.core.sources.replay import ReplaySource


def drain_all(source: ReplaySource, clock: VirtualClock, step_s: float = 1.0,
              limit_s: float = 100_000.0) -> list[tuple[float, list]]:
    ticks = []
    while not source.finished and clock.now_s() < limit_s:
        clock.advance_to(clock.now_s() + step_s)
        ticks.append((clock.now_s(), source.drain(clock.now_s())))
    return ticks


def test_plays_every_sample_in_order_on_the_clock(data_dir: Path) -> None:
    path = data_dir / "fit" / "garmin-fenix-5-run.fit"
    recording = read_recording(path)
    clock = VirtualClock(start_s=30.0)  # a replay may start part-way into a session
    source = ReplaySource(path, clock)
    asyncio.run(source.start())
    assert source.status().link == "connected"
    ticks = drain_all(source, clock)
    played = [s for _, batch in ticks for s in batch]
    assert [(s.t_s - 30.0, s.hr_bpm, s.rr_ms) for s in played] == \
        [(s.t_s, s.hr_bpm, s.rr_ms) for s in recording.samples]
    for now_s, batch in ticks:  # nothing arrives before it is due
        assert all(s.t_s <= now_s for s in batch)
    assert all(s.source_id == "replay:garmin-fenix-5-run.fit" for s in played)
    assert source.finished and source.status().link == "ended"
    assert source.drain(clock.now_s() + 100) == []


def test_speed_and_offset(data_dir: Path) -> None:
    recording = read_recording(data_dir / "fit" / "sample-activity-indoor-trainer.fit")
    clock = VirtualClock()
    source = ReplaySource(recording, clock, speed=4.0, offset_s=600.0)
    asyncio.run(source.start())
    played = [s for _, batch in drain_all(source, clock) for s in batch]
    kept = [s for s in recording.samples if s.t_s >= 600.0]
    assert [s.t_s for s in played] == [(s.t_s - 600.0) / 4.0 for s in kept]
    assert [s.hr_bpm for s in played] == [s.hr_bpm for s in kept]
    assert clock.now_s() == pytest.approx((recording.duration_s - 600.0) / 4.0, abs=1.0)


def test_replay_drives_a_whole_session(data_dir: Path) -> None:
    """A real 38-minute ride's heart rate as the source of the 40-minute FatMax plan: the
    session runs on a virtual clock and ends when the recording does."""
    recording = read_recording(data_dir / "fit" / "sample-activity-indoor-trainer.fit")
    profile = Profile(age_years=35.0, rest_hr_bpm=55.0)
    clock = VirtualClock()
    recorder = MemoryRecorder()
    assert recording.started_at is not None
    runner = runner_for(load_plan("fatmax-intervals"), profile, ReplaySource(recording, clock),
                        clock, recorder, recording.started_at)
    session_id, summary = asyncio.run(runner.run())
    stored = recorder.records[session_id]
    assert runner.end_reason == "recording ended"
    assert [(s.hr_bpm, s.rr_ms) for s in stored.samples] == \
        [(s.hr_bpm, s.rr_ms) for s in recording.samples]
    assert summary.sample_count == len(recording.samples)
    assert summary.max_hr_bpm == max(s.hr_bpm for s in recording.samples if s.hr_bpm)
    assert stored.intervals and stored.intervals[0].kind == "warmup"


def test_bad_replays_are_clear_errors(data_dir: Path, tmp_path: Path) -> None:
    clock = VirtualClock()
    with pytest.raises(SourceError, match=r"cannot replay: .*no such file"):
        asyncio.run(ReplaySource(tmp_path / "gone.fit", clock).start())
    with pytest.raises(SourceError, match=r"cannot replay: .*corrupt FIT file header"):
        asyncio.run(ReplaySource(data_dir / "fit" / "activity-settings-corruptheader.fit",
                                 clock).start())
    with pytest.raises(SourceError, match="holds no heart-rate values"):
        asyncio.run(ReplaySource(data_dir / "fit" / "activity-unexpected-eof.fit",
                                 clock).start())
    with pytest.raises(SourceError, match="offset 9999 s is past its end"):
        asyncio.run(ReplaySource(data_dir / "fit" / "garmin-fenix-5-run.fit", clock,
                                 offset_s=9999.0).start())
    with pytest.raises(SourceError, match="speed must be positive"):
        ReplaySource(data_dir / "fit" / "garmin-fenix-5-run.fit", clock, speed=0.0)
