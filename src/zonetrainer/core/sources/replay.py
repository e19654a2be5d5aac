"""A recorded session played back as a live heart-rate source: for demos, and to try a
controller setting on real data.

The recording's own timing is kept: a sample recorded ``x`` seconds after the recording's start
(after ``offset_s`` is skipped) falls due ``x / speed`` seconds of session time after
:meth:`ReplaySource.start`. The session clock decides how fast that is in wall time, so a
replay runs in real time, N times faster or as fast as possible like any other source. RR
intervals are passed on as recorded; at ``speed`` other than 1 they no longer add up to the
session time between samples, which alpha1 does not mind (it reads beat to beat).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from zonetrainer.core.clock import Clock
from zonetrainer.core.errors import UserError
from zonetrainer.core.imports import Recording, read_recording
from zonetrainer.core.model import HeartRateSample, LinkState, SourceStatus
from zonetrainer.core.sources.base import HeartRateSource, SourceError

log = logging.getLogger(__name__)


class ReplaySource(HeartRateSource):
    """Plays a FIT, TCX or CSV recording (a path or a :class:`Recording`) on the session clock."""

    def __init__(self, recording: Recording | str | Path, clock: Clock, speed: float = 1.0,
                 offset_s: float = 0.0) -> None:
        if not speed > 0:
            raise SourceError(f"replay speed must be positive, not {speed}")
        if offset_s < 0:
            raise SourceError(f"replay offset must be 0 s or more, not {offset_s}")
        self._path = None if isinstance(recording, Recording) else Path(recording)
        self._recording = recording if isinstance(recording, Recording) else None
        self.clock = clock
        self.speed = speed
        self.offset_s = offset_s
        name = self._path.name if self._path else Path(recording.path).name  # type: ignore[union-attr]
        self.source_id = f"replay:{name}"
        self._name = name
        self._due: list[HeartRateSample] = []
        self._next = 0
        self._origin_s = 0.0
        self._started = False
        self._stopped = False

    @property
    def recording(self) -> Recording | None:
        return self._recording

    async def start(self) -> None:
        """Read the file (off the event loop: a 5-hour FIT takes about half a second)."""
        if self._recording is None:
            assert self._path is not None
            try:
                self._recording = await asyncio.to_thread(read_recording, self._path)
            except UserError as exc:
                raise SourceError(f"cannot replay: {exc}") from exc
        recording = self._recording
        if recording.hr_count == 0:
            raise SourceError(f"cannot replay {self._name}: it holds no heart-rate values")
        for warning in recording.warnings:
            log.warning("replay %s: %s", self._name, warning)
        self._due = [
            HeartRateSample((s.t_s - self.offset_s) / self.speed, s.hr_bpm, s.rr_ms, s.contact,
                            s.energy_kj, self.source_id)
            for s in recording.samples if s.t_s >= self.offset_s]
        if not self._due:
            raise SourceError(f"cannot replay {self._name}: the offset {self.offset_s:.0f} s is "
                              f"past its end ({recording.duration_s:.0f} s)")
        self._origin_s = self.clock.now_s()
        self._next = 0
        self._started = True
        self._stopped = False

    def drain(self, now_s: float) -> list[HeartRateSample]:
        """Every recorded sample due by session time ``now_s``, re-timed onto the session."""
        if not self._started or self._stopped:
            return []
        due_by = now_s - self._origin_s
        start = self._next
        end = start
        while end < len(self._due) and self._due[end].t_s <= due_by:
            end += 1
        self._next = end
        origin = self._origin_s
        return [HeartRateSample(s.t_s + origin, s.hr_bpm, s.rr_ms, s.contact, s.energy_kj,
                                s.source_id) for s in self._due[start:end]]

    async def stop(self) -> None:
        self._stopped = True

    @property
    def finished(self) -> bool:
        return self._started and (self._stopped or self._next >= len(self._due))

    def status(self) -> SourceStatus:
        link: LinkState = "ended" if self.finished else (
            "connected" if self._started else "connecting")
        return SourceStatus(source_id=self.source_id, link=link, name=self._name,
                            detail=f"replay {self._next}/{len(self._due)} samples, "
                                   f"x{self.speed:g}")
