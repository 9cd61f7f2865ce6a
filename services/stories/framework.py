"""The signification framework: versioned data in `frameworks/<n>.yml`, in Welsh
and English, saying which questions a story form asks.

A framework never changes once published; a new one is a new file. Stories keep
the version they were told against, so reading an old story always finds the
questions it answered."""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from contracts import principles

_FOLDER = Path(__file__).parent / "frameworks"
LANGS = ("cy", "en")
TYPES = ("prompt", "story", "triad", "dyad", "single", "multiple", "stones")
NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Option:
    id: str
    label: dict[str, str]
    principle: str | None = None
    other: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    required: bool
    not_applicable: bool
    label: dict[str, str]
    options: tuple[Option, ...] = ()
    principle: str | None = None
    toward: str | None = None
    ordered: bool = False
    max_choices: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


@dataclass(frozen=True)
class Framework:
    version: str
    title: dict[str, str]
    questions: tuple[Question, ...]
    raw: dict[str, Any]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def of_type(self, *types: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.type in types)


@cache
def versions() -> tuple[Framework, ...]:
    """Every published framework, oldest first."""
    loaded = [_load(path) for path in _FOLDER.glob("*.yml")]
    return tuple(sorted(loaded, key=lambda f: int(f.version)))


def current() -> Framework:
    return versions()[-1]


def find(version: str) -> Framework | None:
    return next((f for f in versions() if f.version == version), None)


def _load(path: Path) -> Framework:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = tuple(_question(item) for item in data["questions"])
    framework = Framework(str(data["version"]), _label(data["title"]), questions, data)
    _check(framework)
    return framework


def _label(item: dict) -> dict[str, str]:
    return {lang: item[lang] for lang in LANGS}


def _question(item: dict) -> Question:
    choices = item.get("options") or item.get("corners") or item.get("items") or []
    known = {"id", "type", "required", "not_applicable", "label", "principle"}
    known |= {"toward", "ordered", "max_choices", "options", "corners", "items"}
    return Question(
        id=item["id"],
        type=item["type"],
        required=bool(item["required"]),
        not_applicable=bool(item["not_applicable"]),
        label=_label(item["label"]),
        options=tuple(_option(option) for option in choices),
        principle=item.get("principle"),
        toward=item.get("toward"),
        ordered=bool(item.get("ordered", False)),
        max_choices=item.get("max_choices"),
        extra={key: value for key, value in item.items() if key not in known},
    )


def _option(item: dict) -> Option:
    return Option(
        item["id"], _label(item), item.get("principle"), bool(item.get("other"))
    )


def _check(framework: Framework) -> None:
    """A framework that breaks these rules must never be published."""
    name = f"framework {framework.version}"
    ids = [q.id for q in framework.questions]
    _require(len(ids) == len(set(ids)), f"{name}: a question id is repeated")
    _require(len(framework.of_type("story")) == 1, f"{name}: needs one story")
    for question in framework.questions:
        _check_question(name, question)


def _check_question(name: str, question: Question) -> None:
    known = set(principles.current().ids) | {None}
    where = f"{name}, question {question.id}"
    _require(question.type in TYPES, f"{where}: unknown type {question.type}")
    _require(question.type != "triad" or len(question.options) == 3, where)
    _require(question.toward in ("left", "right", None), f"{where}: toward")
    _require(question.principle in known, f"{where}: unknown principle")
    for option in question.options:
        _require(option.id != NOT_APPLICABLE, f"{where}: reserved option id")
        _require(option.principle in known, f"{where}: unknown principle")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


# Each question is counted in typed columns of `story_facts`: a slot of its
# family (t: triads, d: dyads, s: prompts and single choices, m: multiple
# choices, as bits). Slots and option codes go to questions and options in the
# order they first appear across the versions, oldest first, so a question
# keeps its slot and an option its code in every later version.
SLOTS = {"t": 6, "d": 10, "s": 10, "m": 4}
_FAMILY = {"triad": "t", "dyad": "d", "prompt": "s", "single": "s", "multiple": "m"}
MAX_BITS = 31


@dataclass(frozen=True)
class Slot:
    column: str
    codes: dict[str, int]


@cache
def layout() -> dict[str, Slot]:
    """The slot of every counted question id, over every version."""
    slots: dict[str, Slot] = {}
    used = {family: 0 for family in SLOTS}
    for version in versions():
        for question in version.questions:
            family = _FAMILY.get(question.type)
            if family is None:
                continue
            if question.id not in slots:
                used[family] += 1
                _require(used[family] <= SLOTS[family], f"no {family} slot left")
                slots[question.id] = Slot(f"{family}{used[family]}", {})
            codes = slots[question.id].codes
            for option in question.options:
                codes.setdefault(option.id, len(codes))
            _require(family != "m" or len(codes) <= MAX_BITS, question.id)
    return slots
