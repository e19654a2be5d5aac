"""Plans: the per-block ``control`` choice and ``max_rest_s``, and their errors."""

from __future__ import annotations

import pytest

from zonetrainer.core.plan import PlanError, load_plan, parse_plan

INTERVALS = '''title = "t"
[[block]]
kind = "warmup"
duration_s = 60
[[block]]
kind = "intervals"
repeats = 3
work_s = 60
rest_s = 90
'''


def test_control_defaults_to_both_and_rest_is_read_with_its_longest_rest() -> None:
    assert parse_plan(INTERVALS, "p.toml").blocks[1].control == "both"
    block = parse_plan(INTERVALS + 'control = "rest"\nmax_rest_s = 150\n', "p.toml").blocks[1]
    assert block.control == "rest" and block.max_rest_s == 150.0
    assert parse_plan(INTERVALS + 'control = "rest"\n', "p.toml").blocks[1].max_rest_s is None


def test_the_shipped_strength_circuit_controls_only_its_rests() -> None:
    p = load_plan("back-strength-circuit")
    circuit = [b for b in p.blocks if b.kind == "intervals"]
    assert [b.control for b in circuit] == ["rest"]
    assert circuit[0].repeats == 9 and circuit[0].work_s == 60.0
    assert all(b.control == "both" for b in load_plan("fatmax-intervals").blocks)


@pytest.mark.parametrize(("extra", "line", "field", "words"), [
    ('control = "fast"\n', 10, "block 2.control", "must be one of both, rest, not 'fast'"),
    ('control = 1\n', 10, "block 2.control", "must be one of both, rest, not 1"),
    ('max_rest_s = 120\n', 10, "block 2.max_rest_s",
     'only a block with control = "rest" has a longest rest'),
    ('control = "rest"\nmax_rest_s = 60\n', 11, "block 2.max_rest_s",
     "must not be shorter than rest_s (90), not 60"),
    ('control = "rest"\nmax_rest_s = 20\n', 11, "block 2.max_rest_s",
     "must be between 30 and 7200, not 20"),
    ('control = "rest"\nmax_rest_s = "long"\n', 11, "block 2.max_rest_s",
     "must be a number, not 'long'"),
])
def test_a_bad_control_setting_names_the_file_line_and_field(extra: str, line: int, field: str,
                                                             words: str) -> None:
    with pytest.raises(PlanError) as err:
        parse_plan(INTERVALS + extra, "bad.toml")
    message = str(err.value)
    assert message == f"bad.toml, line {line}: field '{field}': {words}"
    assert err.value.line == line and err.value.field == field


@pytest.mark.parametrize("key", ["control", "max_rest_s"])
def test_control_belongs_to_intervals_blocks_only(key: str) -> None:
    text = 'title = "t"\n[[block]]\nkind = "steady"\nduration_s = 600\n' + f'{key} = "rest"\n'
    with pytest.raises(PlanError) as err:
        parse_plan(text, "bad.toml")
    assert str(err.value) == (f"bad.toml, line 5: field 'block 1.{key}': "
                              "only an intervals block has this setting")
