"""Session plans: warm-up, interval blocks, steady blocks and cool-down, read from TOML.

A plan file lives in ``sessions/`` (shipped) or anywhere the user points at. Example::

    title = "FatMax intervals"
    description = "..."
    sport = "run"              # run | ride | strength | any
    [[block]]
    kind = "warmup"            # warmup | intervals | steady | ramp | cooldown
    duration_min = 8
    [[block]]
    kind = "intervals"
    repeats = 6
    work_s = 240               # nominal lengths; the zone-control loop adapts them
    rest_s = 120
    control = "both"           # optional: "both" (the default) or "rest", see below
    effort = { work = 10.0, rest = 5.0, unit = "km/h" }  # optional (or "W"): plan_effort
    min_work_s = 150           # optional: the shortest work bout (default 60 %, >= 60 s)
    incline_pct = 4.0          # optional, any block: a treadmill's grade, held (see below)
    [[block.exercise]]         # optional, cycled one per work interval
    name = "Deadlift"
    cue = "Hinge at the hips"
    tempo = [3, 1, 1, 0]       # eccentric, bottom pause, concentric, top pause (s)
    [[block]]
    kind = "ramp"              # effort steps up every step_s for a threshold test
    steps = 8
    step_s = 180

What the heart rate controls in an ``intervals`` block (``control``):

- ``"both"`` (the default): the zone-control loop (:mod:`zonetrainer.core.control`) ends work
  and rest when the heart rate says so; ``work_s`` and ``rest_s`` are nominal.
- ``"rest"``: a strength circuit. Each work interval is one set of exactly ``work_s`` (it ends
  early only when the athlete ends it, ``SessionEngine.end_interval``, skips the block or ends
  the session, or above the safety ceiling), and there are
  exactly ``repeats`` sets, each followed by a rest. Only the rest is heart-rate controlled
  (:mod:`zonetrainer.core.control`): it ends as HR settles to the band's bottom, never
  before 30 s and never after ``max_rest_s`` (optional, at least ``rest_s``; default twice
  ``rest_s``). The block's length then follows the rests; ``planned_s`` is its nominal length.

``incline_pct`` (any block): the grade a controlled FTMS treadmill is set to for the whole
block (Set Target Inclination). It is held, not steered: the loop still sets the belt's speed.
Once a session has set a grade, a block that names none runs flat (0 %); a plan that names no
grade anywhere leaves the treadmill's incline to the athlete.

A malformed plan raises :class:`PlanError` naming the file, the line and the field.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal

from zonetrainer.core.datafiles import shared_dir
from zonetrainer.core.errors import UserError
from zonetrainer.core.model import Exercise, Tempo
from zonetrainer.core.plan_effort import PlanEffort, parse_effort, parse_min_work

#: The grades a plan may name: decline down to -10 % and incline trainers' 40 % (home
#: treadmills commonly offer 0-15 %; the machine's own range is respected on top of this).
INCLINE_RANGE_PCT: Final = (-10.0, 40.0)

BlockKind = Literal["warmup", "intervals", "steady", "ramp", "cooldown"]
BLOCK_KINDS: tuple[BlockKind, ...] = ("warmup", "intervals", "steady", "ramp", "cooldown")
#: What the heart rate controls in an intervals block (see the module docstring).
ControlMode = Literal["both", "rest"]
CONTROL_MODES: tuple[ControlMode, ...] = ("both", "rest")
#: The shortest max_rest_s a plan may ask for: zonetrainer.core.control._rest.MIN_REST_S, kept
#: here as a number so reading a plan does not load the control loop (a test checks they agree).
SHORTEST_MAX_REST_S = 30.0
SPORTS = ("run", "ride", "strength", "any")

#: Plans that ship with zonetrainer, found next to the package in a checkout or installed copy.
SHIPPED_DIR = shared_dir("sessions")


class PlanError(UserError, ValueError):
    """A plan could not be read. ``str()`` is one line naming the file, the line and the field."""

    def __init__(self, path: Path | str, message: str, line: int | None = None,
                 field: str | None = None) -> None:
        where = f"{path}" + (f", line {line}" if line else "")
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}: {what}{message}")
        self.path, self.line, self.field = Path(path), line, field


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a plan. ``intervals`` blocks alternate work and rest ``repeats`` times."""

    kind: BlockKind
    duration_s: float = 0.0  # warmup, steady, cooldown
    repeats: int = 0  # intervals
    work_s: float = 0.0
    rest_s: float = 0.0
    exercises: tuple[Exercise, ...] = ()
    cue: str = ""
    steps: int = 0  # ramp
    step_s: float = 0.0
    control: ControlMode = "both"  # intervals: "rest" = planned sets, HR-controlled rests
    max_rest_s: float | None = None  # intervals with control "rest": the longest rest
    effort: PlanEffort | None = None  # intervals: the work and rest efforts (plan_effort)
    min_work_s: float | None = None  # intervals: the shortest work bout (None: the default)
    incline_pct: float | None = None  # a treadmill's grade held through the block (None: none)

    @property
    def planned_s(self) -> float:
        if self.kind == "intervals":
            return self.repeats * (self.work_s + self.rest_s)
        if self.kind == "ramp":
            return self.steps * self.step_s
        return self.duration_s

    def exercise_for(self, work_index: int) -> Exercise | None:
        """The exercise of the ``work_index``-th work interval (0-based), cycling the list."""
        if not self.exercises:
            return None
        return self.exercises[work_index % len(self.exercises)]


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    title: str
    description: str
    sport: str
    blocks: tuple[Block, ...]
    path: Path | None = None

    @property
    def planned_s(self) -> float:
        return sum(block.planned_s for block in self.blocks)


def shipped_plans(directory: Path = SHIPPED_DIR) -> dict[str, Path]:
    """Plan name (file stem) -> path, for every plan shipped in ``sessions/``."""
    return {path.stem: path for path in sorted(directory.glob("*.toml"))}


def find_plan(name_or_path: str, directory: Path = SHIPPED_DIR) -> Path:
    """A shipped plan by name, or a TOML file by path. Raises PlanError if neither exists."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" and candidate.exists():
        return candidate
    plans = shipped_plans(directory)
    if name_or_path in plans:
        return plans[name_or_path]
    known = ", ".join(plans) or "none"
    raise PlanError(name_or_path, f"no such plan (shipped plans: {known})")


def load_plan(name_or_path: str, directory: Path = SHIPPED_DIR) -> Plan:
    """Read and validate a plan, by shipped name or by path."""
    path = find_plan(name_or_path, directory)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(path, f"cannot be read: {exc}") from None
    return parse_plan(text, path)


#: More [[block]] tables than this is no session (100,000 one-minute blocks last 69 days) but
#: a generated file gone wrong; refused before the TOML parser spends minutes on it.
MAX_BLOCKS: Final = 100_000


def parse_plan(text: str, path: Path | str = "<plan>") -> Plan:
    """Validate TOML text as a plan; every problem names its line and field."""
    path = Path(path)
    if text.count("[[block]]") > MAX_BLOCKS:
        raise PlanError(path, f"has {text.count('[[block]]')} blocks; a plan has at most "
                              f"{MAX_BLOCKS}", None, "block")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        # tomllib says "(at end of document)" without a line when the last line is cut short.
        line = int(match.group(1)) if match else (
            max(1, len(text.splitlines())) if "end of document" in str(exc) else None)
        raise PlanError(path, f"not valid TOML ({exc})", line=line) from None
    locate = _Locator(text)
    title = _text(data, "title", path, locate, required=True)
    sport = _text(data, "sport", path, locate) or "any"
    if sport not in SPORTS:
        raise PlanError(path, f"must be one of {', '.join(SPORTS)}, not {sport!r}",
                        locate.line("sport"), "sport")
    raw_blocks = data.get("block")
    if not isinstance(raw_blocks, list) or not raw_blocks:
        raise PlanError(path, "a plan needs at least one [[block]]", None, "block")
    blocks = tuple(_block(raw, i, path, locate) for i, raw in enumerate(raw_blocks))
    return Plan(name=path.stem, title=title, description=_text(data, "description", path, locate),
                sport=sport, blocks=blocks, path=path)


class _Locator:
    """Finds the line of a key, optionally inside the n-th ``[[block]]``, for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.block_starts = [i for i, line in enumerate(self.lines)
                             if line.strip().startswith("[[block]]")]

    def line(self, key: str, block: int | None = None) -> int | None:
        start, end = 0, len(self.lines)
        if block is not None and block < len(self.block_starts):
            start = self.block_starts[block]
            # An index, not a slice of the rest: a slice made every lookup O(blocks).
            if block + 1 < len(self.block_starts):
                end = self.block_starts[block + 1]
        elif block is None and self.block_starts:
            end = self.block_starts[0]
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start, end):
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1 if block is not None else None


def _text(data: dict[str, Any], key: str, path: Path, locate: _Locator,
          required: bool = False) -> str:
    value = data.get(key, "")
    if required and not value:
        raise PlanError(path, "is missing", None, key)
    if not isinstance(value, str):
        raise PlanError(path, "must be text", locate.line(key), key)
    return value


def _number(raw: dict[str, Any], key: str, where: str, path: Path, locate: _Locator,
            block: int, low: float, high: float) -> float:
    value = raw.get(key)
    line = locate.line(key, block)
    if value is None:
        raise PlanError(path, "is missing", line, f"{where}.{key}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlanError(path, f"must be a number, not {value!r}", line, f"{where}.{key}")
    if not low <= value <= high:
        raise PlanError(path, f"must be between {low:g} and {high:g}, not {value}", line,
                        f"{where}.{key}")
    return float(value)


def _duration(raw: dict[str, Any], where: str, path: Path, locate: _Locator, block: int) -> float:
    if "duration_min" in raw:
        return 60.0 * _number(raw, "duration_min", where, path, locate, block, 0.5, 600)
    return _number(raw, "duration_s", where, path, locate, block, 30, 36000)


def _block(raw: Any, index: int, path: Path, locate: _Locator) -> Block:
    where = f"block {index + 1}"
    if not isinstance(raw, dict):
        raise PlanError(path, "must be a table", locate.line("kind", index), where)
    kind = raw.get("kind")
    if kind not in BLOCK_KINDS:
        raise PlanError(path, f"must be one of {', '.join(BLOCK_KINDS)}, not {kind!r}",
                        locate.line("kind", index), f"{where}.kind")
    exercises = tuple(_exercise(e, f"{where}.exercise {n + 1}", path, locate, index)
                      for n, e in enumerate(raw.get("exercise", [])))
    cue = raw.get("cue", "")
    if not isinstance(cue, str):
        raise PlanError(path, "must be text", locate.line("cue", index), f"{where}.cue")
    incline = (_number(raw, "incline_pct", where, path, locate, index, *INCLINE_RANGE_PCT)
               if "incline_pct" in raw else None)
    block = _kind_block(raw, kind, index, where, exercises, cue, path, locate)
    return block if incline is None else replace(block, incline_pct=incline)


def _kind_block(raw: dict[str, Any], kind: BlockKind, index: int, where: str,
                exercises: tuple[Exercise, ...], cue: str, path: Path, locate: _Locator) -> Block:
    if kind == "intervals":
        repeats = _number(raw, "repeats", where, path, locate, index, 1, 100)
        if repeats != int(repeats):
            raise PlanError(path, "must be a whole number", locate.line("repeats", index),
                            f"{where}.repeats")
        work_s = _number(raw, "work_s", where, path, locate, index, 10, 7200)
        rest_s = _number(raw, "rest_s", where, path, locate, index, 0, 3600)
        control, max_rest_s = _control(raw, rest_s, where, path, locate, index)

        def fail(key: str) -> Callable[[str], PlanError]:
            return lambda msg: PlanError(path, msg, locate.line(key, index), f"{where}.{key}")

        effort = parse_effort(raw["effort"], fail("effort")) if "effort" in raw else None
        min_work_s = (parse_min_work(raw["min_work_s"], work_s, fail("min_work_s"))
                      if "min_work_s" in raw else None)
        return Block(kind="intervals", repeats=int(repeats), work_s=work_s,
                     rest_s=rest_s, exercises=exercises, cue=cue, control=control,
                     max_rest_s=max_rest_s, effort=effort, min_work_s=min_work_s)
    for key in ("control", "max_rest_s", "effort", "min_work_s"):
        if key in raw:
            raise PlanError(path, "only an intervals block has this setting",
                            locate.line(key, index), f"{where}.{key}")
    if kind == "ramp":
        steps = _number(raw, "steps", where, path, locate, index, 2, 40)
        if steps != int(steps):
            raise PlanError(path, "must be a whole number", locate.line("steps", index),
                            f"{where}.steps")
        return Block(kind="ramp", steps=int(steps),
                     step_s=_number(raw, "step_s", where, path, locate, index, 30, 1800),
                     exercises=exercises, cue=cue)
    return Block(kind=kind, duration_s=_duration(raw, where, path, locate, index),
                 exercises=exercises, cue=cue)


def _control(raw: dict[str, Any], rest_s: float, where: str, path: Path, locate: _Locator,
             block: int) -> tuple[ControlMode, float | None]:
    control = raw.get("control", "both")
    if control not in CONTROL_MODES:
        raise PlanError(path, f"must be one of {', '.join(CONTROL_MODES)}, not {control!r}",
                        locate.line("control", block), f"{where}.control")
    if "max_rest_s" not in raw:
        return control, None
    if control != "rest":
        raise PlanError(path, 'only a block with control = "rest" has a longest rest',
                        locate.line("max_rest_s", block), f"{where}.max_rest_s")
    max_rest_s = _number(raw, "max_rest_s", where, path, locate, block, SHORTEST_MAX_REST_S,
                         7200)
    if max_rest_s < rest_s:
        raise PlanError(path, f"must not be shorter than rest_s ({rest_s:g}), not {max_rest_s:g}",
                        locate.line("max_rest_s", block), f"{where}.max_rest_s")
    return control, max_rest_s


def _exercise(raw: Any, where: str, path: Path, locate: _Locator, block: int) -> Exercise:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise PlanError(path, "needs a name", locate.line("name", block), f"{where}.name")
    tempo = raw.get("tempo")
    parsed: Tempo | None = None
    if tempo is not None:
        ok = (isinstance(tempo, list) and len(tempo) == 4
              and all(isinstance(x, int | float) and not isinstance(x, bool) and 0 <= x <= 30
                      for x in tempo))
        if not ok:
            raise PlanError(path, "must be four numbers of seconds, 0-30 each "
                            "(eccentric, bottom pause, concentric, top pause)",
                            locate.line("tempo", block), f"{where}.tempo")
        parsed = Tempo(*(float(x) for x in tempo))
    return Exercise(name=raw["name"], cue=str(raw.get("cue", "")), tempo=parsed)
