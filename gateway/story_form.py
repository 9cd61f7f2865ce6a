"""A story told on a web form, read into the shape the stories service takes.

The form asks the framework's questions without needing JavaScript: a triad is
a choice of seven positions in its triangle, a dyad an `<input type=range>`
with a choice of whether the slider is the answer (an untouched slider is no
answer, never the middle), single and multiple choices are radios and boxes.
Field names: `q.<question>` for the answer, `v.<question>` for a slider's value,
`other.<question>` for an "other" text."""

from typing import Any

NOT_APPLICABLE = "not_applicable"
THIRD = 1 / 3
TRIAD_POSITIONS: dict[str, list[float]] = {
    "a": [1.0, 0.0, 0.0],
    "b": [0.0, 1.0, 0.0],
    "c": [0.0, 0.0, 1.0],
    "ab": [0.5, 0.5, 0.0],
    "ac": [0.5, 0.0, 0.5],
    "bc": [0.0, 0.5, 0.5],
    "abc": [THIRD, THIRD, THIRD],
}
ASKED = ("prompt", "triad", "dyad", "single", "multiple")


def asked(framework: dict) -> list[dict]:
    """The questions the web form asks (placing stones needs a pointer, so the
    form leaves that optional question out)."""
    return [q for q in framework["questions"] if q["type"] in ASKED]


def is_told(form) -> bool:
    return bool(form.get("story_title", "").strip() or form.get("story_text", ""))


def story_from_form(form, framework: dict, language: str) -> dict[str, Any] | None:
    """The story as the API takes it, or None when the teller wrote none."""
    if not is_told(form):
        return None
    answers = {q["id"]: _answer(form, q) for q in asked(framework)}
    return {
        "framework_version": framework["version"],
        "title": form.get("story_title", ""),
        "text": form.get("story_text", ""),
        "language": language,
        "sharing": form.get("story_sharing") or "coordinators",
        "answers": {key: value for key, value in answers.items() if value is not None},
    }


def story_errors(errors: dict) -> dict[str, list[str]]:
    """The stories service's messages under the form's field names."""
    found: dict[str, list[str]] = {}
    for field, messages in errors.items():
        if field == "answers" and isinstance(messages, dict):
            for question, inner in messages.items():
                found[f"q.{question}"] = _flat(inner)
        elif field in ("title", "text", "sharing"):
            found[f"story_{field}"] = _flat(messages)
        else:
            found.setdefault("story_text", []).extend(_flat(messages))
    return found


def _answer(form, question: dict) -> Any:
    name = f"q.{question['id']}"
    kind, value = question["type"], form.get(name, "")
    if value == NOT_APPLICABLE:
        return NOT_APPLICABLE
    if kind == "multiple":
        return _multiple(form, question)
    if not value:
        return None
    if kind == "triad":
        return TRIAD_POSITIONS.get(value, value)
    if kind == "dyad":
        return _dyad(form.get(f"v.{question['id']}", ""))
    if kind == "single":
        return _single(form, question, value)
    return value


def _dyad(value: str) -> float | str:
    try:
        return min(max(int(value), 0), 100) / 100
    except ValueError:
        return value


def _single(form, question: dict, choice: str) -> dict:
    other = form.get(f"other.{question['id']}", "").strip()
    return {"choice": choice, **({"other": other} if other else {})}


def _multiple(form, question: dict) -> dict | None:
    choices = form.getlist(f"q.{question['id']}")
    if not choices:
        return None
    other = form.get(f"other.{question['id']}", "").strip()
    return {"choices": choices, **({"other": other} if other else {})}


def _flat(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for inner in messages.values() for m in _flat(inner)]
    if isinstance(messages, list):
        return [m for inner in messages for m in _flat(inner)]
    return [str(messages)]
