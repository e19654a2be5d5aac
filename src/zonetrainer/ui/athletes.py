"""The athletes a coach keeps, as the dashboard sees them: the store's profiles by name.

No widget here. Profiles travel as the core's JSON (:meth:`Profile.to_json`); a profile with
a birth year has its age brought up to ``today`` when it is loaded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from zonetrainer.core.errors import UserError
from zonetrainer.core.profile import Profile
from zonetrainer.core.threshold import ThresholdResult, profile_with_threshold

log = logging.getLogger(__name__)


class AthleteBook:
    """Saved athletes in ``store`` (None: nothing is kept, e.g. no database open)."""

    def __init__(self, store: Any | None, today: Callable[[], date] = date.today) -> None:
        self.store, self.today = store, today

    def _profiles(self) -> list[tuple[str, str]]:
        return [] if self.store is None else list(self.store.athletes())

    def names(self) -> list[str]:
        return [name for name, _ in self._profiles()]

    def load(self, name: str) -> Profile:
        """The saved profile of ``name``; UserError (a ProfileError, a StoreError) if none."""
        for athlete, raw in self._profiles():
            if athlete == name:
                return Profile.from_json(raw, today=self.today())
        raise UserError(f"no athlete named '{name}'")

    def find(self, name: str | None) -> Profile | None:
        """``load`` that logs and returns None instead of raising (start-up, remembered names)."""
        if not name:
            return None
        try:
            return self.load(name)
        except UserError as exc:
            log.warning("cannot load athlete %s: %s", name, exc)
            return None

    def save(self, profile: Profile) -> None:
        if self.store is not None:
            self.store.save_athlete(profile.name, profile.to_json())

    def delete(self, name: str) -> None:
        if self.store is not None:
            self.store.delete_athlete(name)

    def apply_threshold(self, fallback: Profile, result: ThresholdResult, where: str) -> Profile:
        """Set the band of the athlete who ran the ramp (as saved now, else as they were in
        the session) from ``result``, and save it. Raises UserError/ValueError in plain words
        when the result carries no threshold or it does not fit the profile."""
        base = self.find(fallback.name) or fallback
        profile = profile_with_threshold(base, result, where)
        self.save(profile)
        return profile
