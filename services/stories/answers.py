"""Reading a story's answers against the framework version it was told with.

Each answer is one of: absent or null (the teller did not answer, such as a
slider never touched: stored as no answer, never as 0 or the middle), the
string `"not_applicable"` where the question allows it, or a value shaped by
the question's type:

- prompt: the chosen option's id, `"turning_point"`;
- triad: three shares in the order of the corners, `[0.5, 0.3, 0.2]`, each
  from 0 to 1, adding up to 1 (within TOLERANCE, then scaled to exactly 1);
- dyad: a number from 0 (left pole) to 1 (right pole), `0.75`;
- single: `{"choice": "me"}`, with `"other": "text"` for an "other" option;
- multiple: `{"choices": ["health", "other"], "other": "text"}`;
- stones: `{"family_friends": [0.2, 0.9]}`, each item placed at x, y from 0
  to 1; items left off the canvas are not answered."""

import math
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError, validate

from contracts.fields import Text
from services.stories.framework import NOT_APPLICABLE, Framework, Question

TOLERANCE = 0.015  # three shares rounded to two decimals may miss 1 by this much
MAX_ANSWERS = 100
_OTHER_TEXT = Text(multiline=False, validate=validate.Length(1, 200))


@dataclass(frozen=True)
class Answer:
    question: str
    type: str
    not_applicable: bool = False
    shares: tuple[float, float, float] | None = None
    value: float | None = None
    choices: tuple[str, ...] = ()
    other: str | None = None
    stones: tuple[tuple[str, float, float], ...] = ()
    corners: tuple[str, ...] = ()


class _Refused(Exception):
    pass


def read_answers(framework: Framework, raw: dict[str, Any]) -> dict[str, Answer]:
    """The answers as typed values; ValidationError naming each question that
    does not fit, is unknown, or is required and missing."""
    if len(raw) > MAX_ANSWERS:
        raise ValidationError(f"At most {MAX_ANSWERS} answers.")
    answers, errors = {}, {}
    for question_id, value in raw.items():
        try:
            answer = _read_one(framework, question_id, value)
        except _Refused as refused:
            errors[question_id] = [str(refused)]
            continue
        if answer is not None:
            answers[question_id] = answer
    for question in framework.questions:
        if _missing(question, answers, errors):
            errors[question.id] = ["This question needs an answer."]
    if errors:
        raise ValidationError(errors)
    return answers


def _missing(question: Question, answers: dict, errors: dict) -> bool:
    needs = question.required and question.type != "story"
    return needs and question.id not in answers and question.id not in errors


def _read_one(framework: Framework, question_id: str, value: Any) -> Answer | None:
    question = framework.question(question_id)
    if question is None or question.type == "story":
        raise _Refused(f"Framework version {framework.version} has no such question.")
    if value is None:
        return None
    if value == NOT_APPLICABLE:
        if not question.not_applicable:
            raise _Refused("This question cannot be marked not applicable.")
        return Answer(question.id, question.type, not_applicable=True)
    return _READERS[question.type](question, value)


def _read_prompt(question: Question, value: Any) -> Answer:
    return Answer(question.id, "prompt", choices=(_option_id(question, value),))


def _read_triad(question: Question, value: Any) -> Answer:
    if not isinstance(value, list) or len(value) != 3:
        raise _Refused(
            "Give three shares, one for each corner, such as [0.5, 0.3, 0.2]."
        )
    shares = [_number(share, "Each share") for share in value]
    total = sum(shares)
    if abs(total - 1) > TOLERANCE:
        raise _Refused(f"The three shares must add up to 1 (they add up to {total:g}).")
    a, b, c = (share / total for share in shares)
    return Answer(question.id, "triad", shares=(a, b, c), corners=question.option_ids)


def _read_dyad(question: Question, value: Any) -> Answer:
    return Answer(question.id, "dyad", value=_number(value, "The answer"))


def _read_single(question: Question, value: Any) -> Answer:
    if not isinstance(value, dict) or set(value) - {"choice", "other"}:
        raise _Refused('Give the choice as {"choice": "option id"}.')
    choice = _option_id(question, value.get("choice"))
    other = _other_text(question, (choice,), value.get("other"))
    return Answer(question.id, "single", choices=(choice,), other=other)


def _read_multiple(question: Question, value: Any) -> Answer | None:
    if not isinstance(value, dict) or set(value) - {"choices", "other"}:
        raise _Refused('Give the choices as {"choices": ["option id", ...]}.')
    chosen = value.get("choices")
    if not isinstance(chosen, list):
        raise _Refused('Give the choices as {"choices": ["option id", ...]}.')
    choices = tuple(_option_id(question, item) for item in chosen)
    if len(set(choices)) != len(choices):
        raise _Refused("Each option can be chosen once.")
    if question.max_choices and len(choices) > question.max_choices:
        raise _Refused(f"Choose at most {question.max_choices}.")
    other = _other_text(question, choices, value.get("other"))
    if not choices:
        return None
    return Answer(question.id, "multiple", choices=choices, other=other)


def _read_stones(question: Question, value: Any) -> Answer | None:
    if not isinstance(value, dict):
        raise _Refused('Place items as {"item id": [x, y]}.')
    stones = []
    for item, place in value.items():
        _option_id(question, item)
        if not isinstance(place, list) or len(place) != 2:
            raise _Refused(f"Place {item} at [x, y], each from 0 to 1.")
        stones.append((item, _number(place[0], "x"), _number(place[1], "y")))
    if not stones:
        return None
    return Answer(question.id, "stones", stones=tuple(stones))


_READERS = {
    "prompt": _read_prompt,
    "triad": _read_triad,
    "dyad": _read_dyad,
    "single": _read_single,
    "multiple": _read_multiple,
    "stones": _read_stones,
}


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Refused(f"{what} must be a number from 0 to 1.")
    if not math.isfinite(value):
        raise _Refused(f"{what} must be a finite number from 0 to 1.")
    if not 0 <= value <= 1:
        raise _Refused(f"{what} must be from 0 to 1 (it is {value:g}).")
    return float(value)


def _option_id(question: Question, value: Any) -> str:
    if not isinstance(value, str) or question.option(value) is None:
        raise _Refused(f"Choose one of: {', '.join(question.option_ids)}.")
    return value


def _other_text(question: Question, choices: tuple[str, ...], text: Any) -> str | None:
    takes_other = any(question.option(choice).other for choice in choices)
    if text is None or text == "":
        return None
    if not takes_other:
        raise _Refused("Text for 'other' goes only with an 'other' choice.")
    try:
        return _OTHER_TEXT.deserialize(text)
    except ValidationError as error:
        raise _Refused(f"The 'other' text: {' '.join(error.messages)}") from error


def dump_answers(answers: dict[str, Answer]) -> dict[str, Any]:
    """The answers in the shape they are given in."""
    return {question: dump_answer(answer) for question, answer in answers.items()}


def dump_answer(answer: Answer) -> Any:
    if answer.not_applicable:
        return NOT_APPLICABLE
    if answer.type == "prompt":
        return answer.choices[0]
    if answer.type == "triad":
        return list(answer.shares)
    if answer.type == "dyad":
        return answer.value
    if answer.type == "stones":
        return {item: [x, y] for item, x, y in answer.stones}
    key = "choice" if answer.type == "single" else "choices"
    choices = answer.choices[0] if answer.type == "single" else list(answer.choices)
    return {key: choices, **({"other": answer.other} if answer.other else {})}
