"""Around a session: the ramp's threshold with the offer to set the band from it, and the
sessions a crash left behind, offered at start-up to keep or discard. Functions of the main
window (which owns the store, the athletes and the status line), which they know only as the
:class:`OutcomeWindow` they are given: the window imports this module, never the reverse."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol

from PySide6.QtWidgets import QLabel, QWidget

from zonetrainer.core.errors import UserError
from zonetrainer.core.model import SessionRecord
from zonetrainer.core.profile import Profile
from zonetrainer.core.store import Store
from zonetrainer.core.threshold import EXTRA_KEY, ThresholdResult, with_course
from zonetrainer.ui.athletes import AthleteBook
from zonetrainer.ui.history import HistoryView
from zonetrainer.ui.profile_editor import ProfileEditor
from zonetrainer.ui.ramp_result import RampResultDialog
from zonetrainer.ui.recovery import RecoveryDialog
from zonetrainer.ui.session import SessionSetup
from zonetrainer.ui.training import Confirm

log = logging.getLogger(__name__)


class OutcomeWindow(Protocol):
    """What these functions use of the main window."""

    ramp_dialog: RampResultDialog | None

    @property
    def athletes(self) -> AthleteBook: ...
    @property
    def profile(self) -> Profile: ...
    @property
    def setup(self) -> SessionSetup | None: ...
    @property
    def profile_editor(self) -> ProfileEditor: ...
    @property
    def store(self) -> Store | None: ...
    @property
    def message(self) -> QLabel: ...
    @property
    def history(self) -> HistoryView: ...
    @property
    def confirm(self) -> Confirm: ...

    def use_profile(self, profile: Profile) -> None: ...

    def window(self) -> QWidget:
        """The window as a widget, the parent of the dialogs (QWidget.window())."""
        ...


def show_stored_ramp(window: OutcomeWindow, record: SessionRecord) -> RampResultDialog:
    """A stored ramp's result, offered for the athlete who ran it (as saved now, else as the
    session's snapshot of their profile had them)."""
    name = record.header.athlete_name
    profile = window.athletes.find(name)
    if profile is None:
        try:
            profile = Profile.from_json(record.header.profile_json,
                                        today=window.athletes.today())
        except UserError as exc:
            log.warning("session %s: profile snapshot unreadable: %s", record.session_id, exc)
            profile = replace(window.profile, name=name)
    return show_ramp_result(window, record.extra, record.session_id, profile,
                            record=record)


def show_ramp_result(window: OutcomeWindow, extra: dict[str, str], session_id: int | None,
                     profile: Profile | None = None,
                     record: SessionRecord | None = None) -> RampResultDialog:
    """``record``: the stored session, if known: a result stored before ramps recorded how
    they went learns from it whether the ramp was cut short."""
    raw = extra.get(EXTRA_KEY)
    if raw is None:  # the runner logs why the analysis failed; say so in plain words
        result = ThresholdResult(False, "the analysis of this ramp failed (see the log)")
    else:
        try:
            result = ThresholdResult.from_json(raw)
        except (ValueError, TypeError) as exc:  # a damaged record must not take the window
            result = ThresholdResult(False, f"the stored ramp result cannot be read ({exc})")
    if record is not None:
        result = with_course(result, record)
    if profile is None:
        profile = window.setup.profile if window.setup is not None else window.profile
    dialog = RampResultDialog(result, profile.name, session_id, window.window())
    where = f"ramp session {session_id}" if session_id is not None else "ramp session"
    dialog.apply_requested.connect(
        lambda: apply_threshold(window, dialog, profile, result, where))
    window.ramp_dialog = dialog
    dialog.open()
    return dialog


def apply_threshold(window: OutcomeWindow, dialog: RampResultDialog, profile: Profile,
                    result: ThresholdResult, where: str) -> None:
    # A ramp cut short can be far off while its ± looks tight (a ramp skipped at step 5 gave
    # 130 bpm for a threshold of 141, SD 0.4): setting a band from it is asked, No by default.
    if result.cut_short and not window.confirm(
            dialog, "Set the band from a ramp cut short?",
            f"{result.cut_short}\n\nA band from this ramp may be several bpm off. A whole ramp "
            "gives a better one. Set the band from it anyway?"):
        dialog.show_error("Band not changed: the ramp was cut short.")
        return
    try:
        updated = window.athletes.apply_threshold(profile, result, where)
    except (UserError, ValueError) as exc:
        dialog.show_error(f"Band not changed: {exc}")
        return
    band = updated.band()
    if updated.name == window.profile.name or window.store is None:
        window.profile_editor.show_profile(updated)
        window.use_profile(updated)
    dialog.show_applied(f"{updated.name}'s band is now {band.low_bpm:.0f}–"
                        f"{band.high_bpm:.0f} bpm ({band.source}).")


def check_interrupted(window: OutcomeWindow) -> RecoveryDialog | None:
    store = window.store
    if store is None:
        return None
    try:
        found = store.interrupted()
        recorded: dict[int, float | None] = {}
        for listing in found:
            samples = store.load(listing.id).samples
            recorded[listing.id] = samples[-1].t_s if samples else None
    except UserError as exc:
        window.message.setText(f"Cannot look for unfinished sessions: {exc}")
        return None
    if not found:
        return None
    dialog = RecoveryDialog(found, recorded, window.window())
    dialog.decided.connect(lambda choices: resolve_interrupted(window, choices))
    dialog.open()
    return dialog


def resolve_interrupted(window: OutcomeWindow, choices: list[tuple[int, bool]]) -> None:
    store = window.store
    if store is None:
        return
    dropped = [sid for sid, keep in choices if not keep]
    if dropped and not window.confirm(
            window.window(), "Discard sessions?",
            f"Discard {len(dropped)} unfinished session(s) and "
            "everything recorded in them? This cannot be undone."):
        window.message.setText("Nothing changed: the unfinished sessions are offered again "
                               "at the next start.")
        return
    done: list[str] = []
    for session_id, keep in choices:
        try:
            store.resolve_interrupted(session_id, keep)
        except UserError as exc:
            done.append(f"session {session_id}: {exc}")
        else:
            done.append(f"session {session_id} {'kept' if keep else 'discarded'}")
    window.message.setText("; ".join(done) + ".")
    window.history.refresh()
