from zonetrainer.core.model import Band, SessionState, SourceStatus, Tempo
from zonetrainer.ui import text

BAND = Band(110, 125, "pct_hrmax", "60-70 % HRmax", 6.5)


def state(**changes: object) -> SessionState:
    values: dict[str, object] = dict(
        elapsed_s=100.0, phase="work", phase_elapsed_s=10.0, phase_remaining_s=50.0,
        next_phase="rest", block_index=1, interval_index=0, hr_bpm=118.4, signal_live=True,
        zone=2, in_band=True, band=BAND, session_duration_s=2400.0)
    values.update(changes)
    return SessionState(**values)  # type: ignore[arg-type]


def test_clock_text() -> None:
    assert text.clock_text(0) == "0:00"
    assert text.clock_text(59.2) == "1:00"  # a countdown rounds up: 0:00 only when it is over
    assert text.clock_text(3725) == "1:02:05"
    assert text.clock_text(None) == "–:––"


def test_hr_is_never_stale() -> None:
    assert text.hr_text(state()) == "118"
    assert text.hr_text(state(signal_live=False)) == "signal lost"
    assert text.hr_text(state(hr_bpm=None)) == "signal lost"


def test_zone_and_band_texts() -> None:
    assert text.zone_text(state()) == "zone 2 · in band"
    assert text.zone_text(state(hr_bpm=130.0, zone=3, in_band=False)) == "zone 3 · above band"
    assert text.zone_text(state(signal_live=False)) == ""
    assert text.band_text(BAND) == "band 110–125 bpm ± 6.5 · 60-70 % HRmax"


def test_status_and_alpha_texts() -> None:
    status = SourceStatus("sim", "lost", "Polar H10", 87, -70)
    assert text.status_text(status) == ("strap Polar H10: signal lost · battery 87 % · "
                                        "signal -70 dBm")
    assert text.alpha_text(state()) == ""
    assert text.alpha_text(state(alpha1=0.8, corrected_share=0.07)).endswith("(unreliable)")


def test_tempo_position_walks_the_repetition() -> None:
    tempo = Tempo(4, 1, 1, 0)
    assert text.tempo_position(tempo, 2.0) == ("lower", 0.5)
    assert text.tempo_position(tempo, 4.5)[0] == "pause"
    assert text.tempo_position(tempo, 5.5) == ("lift", 0.5)
    assert text.tempo_position(tempo, 6.0 + 2.0) == ("lower", 0.5)  # next repetition


def test_phase_label_and_cue_texts() -> None:
    assert text.phase_label_text(state()) == "WORK"
    assert text.phase_label_text(state(ramp_step=2, paused=True)) == "WORK · STEP 3 · PAUSED"
    assert text.cue_text(state(cue="ease off")) == "ease off"
    assert text.cue_text(state(cue="ease off", safety_rest=True)).startswith("SAFETY")
    # under the band (110) the cue is a prediction: it says so
    assert text.cue_text(state(cue="ease off", hr_bpm=104.0)) == \
        "ease off: heart rate lags, this pace would overshoot the band"
    assert text.cue_text(state(cue="ease off", hr_bpm=104.0, signal_live=False)) == "ease off"
    assert text.cue_text(state(phase="hold", cue=None)) == \
        "keep your pace until the strap reads again"


def test_strap_lines_around_a_session() -> None:
    assert text.strap_choice_text("Polar H10") == "strap Polar H10: not connected until Start"
    assert text.strap_connecting_text("") == "strap: connecting…"
    status = SourceStatus("sim", "connected", "Simulated strap", 87, -70)
    # after the session: no "connected", no battery or signal strength that are no longer read
    assert text.strap_stopped_text(status, "Polar H10") == ("strap Simulated strap: stopped · "
                                                           "session over")
    assert text.strap_stopped_text(None, "") == "strap: stopped · session over"
