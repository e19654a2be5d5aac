"""The Profile tab: every field the core Profile has, validated with the core's own messages,
the band described live; several athletes in a real SQLite store, chosen per session."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from zonetrainer.core.profile import Profile
from zonetrainer.core.zones import describe_band
from zonetrainer.ui.app import build_window
from zonetrainer.ui.main_window import MainWindow
from zonetrainer.ui.profile_editor import ProfileEditor

from .conftest import Answers, RecordingCues

TODAY = date(2026, 11, 23)


def test_every_field_is_validated_with_the_core_message_and_the_band_follows(
        qtbot: QtBot) -> None:
    editor = ProfileEditor(Profile(name="Ann", age_years=40), today=lambda: TODAY)
    qtbot.addWidget(editor)
    assert editor.save_button.isEnabled() and "108-126 bpm" in editor.band_label.text()
    assert describe_band(Profile(name="Ann", age_years=40).band()) in editor.band_label.text()
    assert "Tanaka" in editor.band_label.text() and "Z5" in editor.band_label.text()
    assert editor.unsaved_label.text() == ""
    for field, value, message in (
            (editor.age, "500", "age: 500 years is impossible"),
            (editor.age, "abc", "age: 'abc' is not a number"),
            (editor.age, "", "age: must be given"),
            (editor.rest_hr, "190", "resting HR: 190 bpm is impossible"),
            (editor.hrmax, "20", "measured HRmax: 20 bpm is impossible"),
            (editor.name, " ", "name: must not be empty"),
            (editor.birth_year, "1986", "give an age or a birth year, not both"),
            (editor.lab_lt1, "300", "lab LT1: 300 bpm must lie between 60 bpm and HRmax"),
            (editor.lab_lt2, "100", "LT1 (150 bpm) must be below LT2 (100 bpm)"),  # LT1 set below
            (editor.aet, "50", "aerobic threshold: 50 bpm must lie between"),
            (editor.safety, "90", "safety ceiling: 90 bpm is impossible"),
            (editor.safety, "110", "must be at least 5 bpm above the band's top")):
        if field is editor.lab_lt2:
            editor.lab_lt1.setText("150")
        good = field.text()
        field.setText(value)
        assert not editor.save_button.isEnabled(), value
        assert message in editor.error_label.text(), (value, editor.error_label.text())
        assert editor.band_label.text() == ""
        assert field.property("invalid") is True, value  # the field in error is outlined
        assert editor.name.property("invalid") in (None, False) or field is editor.name
        field.setText(good)
        editor.lab_lt1.setText("")
        assert editor.save_button.isEnabled() and editor.error_label.text() == ""
        assert not field.property("invalid")

    # a birth year instead of the age: the age follows today's date
    editor.age.setText("")
    for bad, message in (("1986.5", "not a whole year"), ("1800", "birth year: 1800 is "
                                                                  "impossible")):
        editor.birth_year.setText(bad)
        assert message in editor.error_label.text(), bad
    editor.birth_year.setText("1986")
    assert editor.profile is not None and editor.profile.birth_year == 1986
    assert editor.profile.age_years == 40.0 and editor.unsaved_label.text() != ""

    editor.zone_model.setCurrentText("karvonen")  # needs a resting HR
    assert "zone model 'karvonen' needs a resting heart rate" in editor.error_label.text()
    editor.rest_hr.setText("60")
    assert "%HR-reserve zones" in editor.band_label.text()
    editor.method.setCurrentText("maf")
    editor.maf.setCurrentText("+5")
    assert "MAF 180 - age +5" in editor.band_label.text()
    assert "135-145 bpm" in editor.band_label.text()  # 180 - 40 + 5 = 145
    editor.method.setCurrentText("lab")
    assert "needs an aerobic threshold" in editor.error_label.text()
    editor.lab_lt1.setText("138")
    editor.lab_lt2.setText("160")
    assert "128-138 bpm" in editor.band_label.text() and "lab" in editor.band_label.text()
    editor.method.setCurrentText("custom")
    editor.custom_low.setText("120")
    assert "both" in editor.error_label.text()
    editor.custom_high.setText("130")
    assert "120-130 bpm" in editor.band_label.text()
    with qtbot.waitSignal(editor.profile_saved) as saved:
        editor.save_button.click()
    profile = saved.args[0]
    assert (profile.birth_year, profile.rest_hr_bpm, profile.lab_lt1_bpm, profile.lab_lt2_bpm,
            profile.maf_adjustment_bpm, profile.zone_model, profile.custom_band_bpm) == (
        1986, 60, 138, 160, 5.0, "karvonen", (120, 130))
    assert Profile.from_json(profile.to_json()) == profile  # the core's JSON, both ways


def window(qtbot: QtBot, store: Any, qsettings: QSettings, answers: Answers,
           speed: float = 40.0) -> MainWindow:
    win = build_window(store, qsettings, "light", speed, cue_output=RecordingCues(),
                       confirm=answers, today=lambda: TODAY)
    qtbot.addWidget(win)
    return win


def add_athlete(win: MainWindow, name: str, **fields: str) -> None:
    editor = win.profile_editor
    editor.new_button.click()
    assert editor.name.text() == "" and not editor.save_button.isEnabled()
    assert "name: must not be empty" in editor.error_label.text()
    editor.name.setText(name)
    for field, value in fields.items():
        getattr(editor, field).setText(value)
    assert editor.save_button.isEnabled(), editor.error_label.text()
    editor.save_button.click()


def test_several_athletes_new_save_choose_delete_and_the_session_is_theirs(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings, answers: Answers,
        tmp_path: Path) -> None:
    win = window(qtbot, store, qsettings, answers)
    editor = win.profile_editor
    # a first start: the default profile, and where to make one's own
    assert "(a default: set yours in the Profile tab" in win.message.text()
    add_athlete(win, "Ann", age="40", rest_hr="58")
    add_athlete(win, "Bob", age="", birth_year="1971")
    assert [name for name, _ in store.athletes()] == ["Ann", "Bob"]
    chooser = [editor.chooser.itemText(i) for i in range(editor.chooser.count())]
    assert chooser == ["Ann", "Bob"] and editor.chooser.currentText() == "Bob"
    assert win.profile.name == "Bob" and win.profile.age_years == 55.0  # 2026 - 1971

    editor.chooser.textActivated.emit("Ann")  # as a click in the list does
    assert win.profile.name == "Ann" and editor.rest_hr.text() == "58"
    assert win.training.band_label.text().startswith(f"band {win.profile.band().low_bpm:.0f}")
    assert "athlete: Ann" in win.message.text()
    assert qsettings.value("athlete") == "Ann"

    # the chosen athlete trains the next session, with their profile stored beside it
    win.plans.select("zone2-continuous")
    win.start()
    qtbot.waitUntil(lambda: win.presenter.state is not None
                    and win.presenter.state.elapsed_s > 3, timeout=20_000)
    with qtbot.waitSignal(win.presenter.session_finished, timeout=20_000):
        win.presenter.end()
    [listing] = store.list_sessions()
    assert listing.athlete_name == "Ann"
    stored = Profile.from_json(store.load(listing.id).header.profile_json)
    assert stored == win.profile

    # remembered: a new window opens on Ann, with both in the chooser
    again = window(qtbot, store, qsettings, answers)
    assert again.profile == win.profile and again.profile_editor.chooser.currentText() == "Ann"

    # unsaved edits are not dropped silently by choosing another athlete
    editor.rest_hr.setText("61")
    assert editor.unsaved_label.text() != ""
    answers.answer = False
    editor.chooser.setCurrentText("Bob")
    editor.chooser.textActivated.emit("Bob")
    assert answers.asked[-1] == "Discard your changes?"
    assert win.profile.name == "Ann" and editor.rest_hr.text() == "61"
    assert editor.chooser.currentText() == "Ann"
    answers.answer = True
    editor.new_button.click()  # asks again; yes: an empty profile
    assert answers.asked.count("Discard your changes?") == 2 and editor.name.text() == ""

    # delete asks first; a no keeps the athlete
    editor.chooser.textActivated.emit("Bob")
    answers.answer = False
    editor.delete_button.click()
    assert answers.asked[-1] == "Delete the athlete?" and len(store.athletes()) == 2
    answers.answer = True
    editor.delete_button.click()
    assert [name for name, _ in store.athletes()] == ["Ann"]
    assert win.profile.name == "Ann" and editor.chooser.count() == 1  # the one left is chosen

    # a theme change rebuilds the screens: unsaved edits are not dropped without a question
    editor.rest_hr.setText("59")
    answers.answer = False
    win.set_theme("dark")
    assert answers.asked[-1] == "Discard your changes?"
    assert win.theme == "light" and win.profile_editor.rest_hr.text() == "59"
    answers.answer = True
    win.set_theme("dark")
    assert win.theme == "dark" and win.profile_editor.rest_hr.text() == "58"
    editor = win.profile_editor  # rebuilt in the new theme

    # a new name saves a new athlete (sessions belong to a name), and the window says so
    editor.name.setText("Anna")
    editor.save_button.click()
    assert [name for name, _ in store.athletes()] == ["Ann", "Anna"]
    assert "Saved Anna as a new athlete; Ann is kept" in win.message.text()
    editor.rest_hr.setText("57")
    editor.save_button.click()
    assert win.message.text() == "Saved Anna; the next session is theirs."


def test_a_broken_stored_profile_is_refused_in_words(qtbot: QtBot, store: Any,
                                                     qsettings: QSettings,
                                                     answers: Answers) -> None:
    store.save_athlete("Old", '{"name": "Old", "age_years": 5}')
    store.save_athlete("Typo", '{"name": "Typo", "agee": 40}')
    qsettings.setValue("athlete", "Old")
    win = window(qtbot, store, qsettings, answers)
    assert win.profile == Profile()  # the remembered one cannot load: the default, no crash
    win.profile_editor.chooser.textActivated.emit("Old")
    assert "Cannot load Old: age: 5 years is impossible" in win.message.text()
    win.profile_editor.chooser.textActivated.emit("Typo")
    assert "unknown field(s) agee" in win.message.text()
    assert win.profile == Profile()


def test_the_usual_effort_is_shown_edited_and_checked_by_the_plans_rules(
        qtbot: QtBot, aloop: object, store: Any, qsettings: QSettings,
        answers: Answers) -> None:
    win = window(qtbot, store, qsettings, answers)
    editor = win.profile_editor
    # one set from the command line (profile --usual-effort 10 5 km/h) is shown and kept
    ann = Profile(name="Ann", age_years=40, usual_effort=(10.0, 5.0, "km/h"))
    store.save_athlete("Ann", ann.to_json())
    editor.chooser.addItem("Ann")
    editor.chooser.textActivated.emit("Ann")
    assert (editor.usual_work.text(), editor.usual_rest.text(),
            editor.usual_unit.currentText()) == ("10", "5", "km/h")
    assert editor.profile == ann and editor.unsaved_label.text() == ""

    def stored() -> Profile:
        return Profile.from_json(dict(store.athletes())["Ann"])

    for work, rest, unit, message, bad in (
            ("50", "5", "km/h", "usual effort: work must be between 0 and 30 km/h, not 50",
             [editor.usual_work]),
            ("10", "-1", "km/h", "usual effort: rest must be between 0 and 30 km/h",
             [editor.usual_rest]),
            ("5", "10", "km/h", "usual effort: work (5) must be above rest (10)",
             [editor.usual_work, editor.usual_rest]),
            ("2500", "100", "W", "usual effort: work must be between 0 and 2000 W",
             [editor.usual_work]),
            ("fast", "5", "km/h", "usual effort: work: 'fast' is not a number",
             [editor.usual_work]),
            ("10", "", "km/h", "usual effort: give both its work and its rest effort",
             [editor.usual_work, editor.usual_rest])):
        editor.usual_unit.setCurrentText(unit)
        editor.usual_work.setText(work)
        editor.usual_rest.setText(rest)
        assert message in editor.error_label.text(), (work, rest, editor.error_label.text())
        assert not editor.save_button.isEnabled() and editor.profile is None
        assert [f.property("invalid") is True for f in (editor.usual_work, editor.usual_rest)] \
            == [f in bad for f in (editor.usual_work, editor.usual_rest)], message
        editor.save()  # as a keyboard shortcut would: nothing is emitted, nothing saved
        assert stored() == ann
    # a trainer's power instead, saved to the store and used for the next session
    editor.usual_unit.setCurrentText("W")
    editor.usual_work.setText("180")
    editor.usual_rest.setText("90")
    assert editor.save_button.isEnabled() and editor.unsaved_label.text() != ""
    editor.save_button.click()
    assert stored().usual_effort == (180.0, 90.0, "W") and win.profile == stored()
    # both emptied: no usual effort
    editor.usual_work.setText("")
    editor.usual_rest.setText("")
    editor.save_button.click()
    assert stored().usual_effort is None
