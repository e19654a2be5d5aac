"""Artefact correction recovers a clean series into which known artefacts were injected."""

from __future__ import annotations

import numpy as np
import pytest

from tests.signal.fgn import fgn
from zonetrainer.core.signal import clean_rr, detect_artifacts, dfa_alpha

#: Figures of the injection test: 2,400 beats (20 min at 120 bpm, RMSSD about 6 ms as in
#: exercise), 8 missed beats, 8 extra beats (the interval split 40/60), 8 ectopic beats (a
#: premature beat 25 % early with its compensatory pause).
BEATS, EACH = 2400, 8


def clean_series(seed: int, mean_ms: float = 500.0, sd_ms: float = 6.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return mean_ms + sd_ms * fgn(BEATS, 0.75, rng)


def inject(clean: np.ndarray, seed: int) -> tuple[np.ndarray, dict[str, set[int]]]:
    """Insert missed, extra and ectopic beats at spaced random places; return the corrupted
    series and where (in the corrupted series' indices) each artefact sits."""
    rng = np.random.default_rng(seed)
    places = np.sort(rng.choice(np.arange(20, BEATS - 20, 40), size=3 * EACH, replace=False))
    kinds = dict(zip(places.tolist(), rng.permutation(["missed", "extra", "ectopic"] * EACH),
                     strict=True))
    out: list[float] = []
    where: dict[str, set[int]] = {"missed": set(), "extra": set(), "ectopic": set()}
    i = 0
    while i < BEATS:
        kind = kinds.get(i)
        if kind == "missed":  # the beat ending interval i is not detected: i and i+1 merge
            where["missed"].add(len(out))
            out.append(clean[i] + clean[i + 1])
            i += 2
        elif kind == "extra":  # a spurious beat splits interval i
            where["extra"].add(len(out))
            out.extend([0.4 * clean[i], 0.6 * clean[i]])
            i += 1
        elif kind == "ectopic":  # premature beat, then the compensatory pause
            shift = 0.25 * clean[i]
            where["ectopic"].add(len(out))
            out.extend([clean[i] - shift, clean[i + 1] + shift])
            i += 2
        else:
            out.append(clean[i])
            i += 1
    return np.asarray(out), where


@pytest.mark.parametrize(("mean_ms", "sd_ms"), [(500.0, 6.0), (375.0, 3.0), (900.0, 25.0)])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_injected_artifacts_are_found_and_corrected(seed: int, mean_ms: float,
                                                     sd_ms: float) -> None:
    """At 120 bpm in exercise, 160 bpm with RMSSD about 3 ms, and 67 bpm at rest."""
    clean = clean_series(seed, mean_ms, sd_ms)
    corrupted, where = inject(clean, seed + 100)
    found = detect_artifacts(corrupted)
    assert set(found.missed) == where["missed"]
    assert set(found.extra) == where["extra"]
    # An ectopic index names the pair (i-1, i): the long interval after the premature beat.
    assert {i - 1 for i in found.ectopic} >= where["ectopic"]
    false_alarms = found.count - 3 * EACH
    assert false_alarms <= 3  # out of 2,400 beats
    result = clean_rr(corrupted)
    assert result.rr_ms.size == clean.size  # every missed beat back, every extra one gone
    assert abs(result.rr_ms.sum() - clean.sum()) < 1e-6 * clean.sum()  # time is kept
    error = np.abs(result.rr_ms - clean)
    # Corrected intervals are estimates (a missed beat split in two halves, an ectopic pair
    # averaged): within a few SD of the truth; every other interval is untouched.
    assert error.max() < 2.5 * sd_ms
    assert np.count_nonzero(error > 1e-9) <= 2 * 3 * EACH + 2 * false_alarms
    assert abs(result.corrected_share - found.count / corrupted.size) < 1e-12
    # What matters downstream: alpha1 of the corrected series is that of the clean one.
    assert abs(dfa_alpha(result.rr_ms) - dfa_alpha(clean)) < 0.03
    assert abs(dfa_alpha(corrupted) - dfa_alpha(clean)) > 0.1  # uncorrected, it is not


def test_clean_series_is_left_alone() -> None:
    clean = clean_series(9)
    result = clean_rr(clean)
    assert result.artifacts.count <= 3
    assert np.count_nonzero(np.abs(result.rr_ms - clean) > 1e-9) <= 2 * result.artifacts.count


def test_impossible_values_are_removed_and_counted() -> None:
    clean = list(clean_series(11)[:300])
    corrupted = [*clean[:100], 0.0, float("nan"), 5000.0, *clean[100:200], 40.0, *clean[200:]]
    result = clean_rr(corrupted)
    assert set(result.artifacts.implausible) == {100, 101, 102, 203}
    assert result.rr_ms.size == 300
    # The 40 ms double trigger is added to the next interval, which the detector then finds
    # too long and replaces by the local median: back near the true interval.
    assert 204 in result.artifacts.longshort
    assert abs(result.rr_ms[200] - clean[200]) < 15.0
    assert np.all((result.rr_ms >= 100.0) & (result.rr_ms <= 3000.0))


def test_tiny_inputs() -> None:
    assert clean_rr([]).rr_ms.size == 0
    assert clean_rr([]).corrected_share == 0.0
    assert clean_rr([500.0, 510.0]).artifacts.count == 0
