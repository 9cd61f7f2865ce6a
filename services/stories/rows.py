"""Answers to rows of `story_answers` and back."""

from services.stories.answers import Answer
from services.stories.framework import Slot, layout
from services.stories.models import StoryAnswer, story_facts
from services.stories.zones import ZONES, dyad_band, triad_cell, triad_zone

SLOT_COLUMNS = tuple(story_facts.columns.keys())[8:]


def to_rows(story_id: str, answers: dict[str, Answer]) -> list[StoryAnswer]:
    rows: list[StoryAnswer] = []
    for answer in answers.values():
        rows.extend(_rows(story_id, answer))
    return rows


def _rows(story_id: str, answer: Answer) -> list[StoryAnswer]:
    def row(item: str = "", **values) -> StoryAnswer:
        return StoryAnswer(
            story_id=story_id,
            question=answer.question,
            type=answer.type,
            item=item,
            not_applicable=answer.not_applicable,
            **values,
        )

    if answer.not_applicable:
        return [row()]
    if answer.type == "triad":
        a, b, c = answer.shares
        return [row(a=a, b=b, c=c, zone=triad_zone(a, b, c), cell=triad_cell(a, b))]
    if answer.type == "dyad":
        return [row(a=answer.value, band=dyad_band(answer.value))]
    if answer.type == "stones":
        return [row(item, a=x, b=y) for item, x, y in answer.stones]
    return [
        row(choice, other_text=answer.other if i == 0 else None)
        for i, choice in enumerate(answer.choices)
    ]


def from_rows(rows: list[StoryAnswer]) -> dict[str, Answer]:
    grouped: dict[str, list[StoryAnswer]] = {}
    for row in rows:
        grouped.setdefault(row.question, []).append(row)
    return {question: _answer(items) for question, items in grouped.items()}


def _answer(rows: list[StoryAnswer]) -> Answer:
    first = rows[0]
    if first.not_applicable:
        return Answer(first.question, first.type, not_applicable=True)
    if first.type == "triad":
        return Answer(first.question, "triad", shares=(first.a, first.b, first.c))
    if first.type == "dyad":
        return Answer(first.question, "dyad", value=first.a)
    if first.type == "stones":
        stones = tuple((row.item, row.a, row.b) for row in rows)
        return Answer(first.question, "stones", stones=stones)
    other = next((row.other_text for row in rows if row.other_text), None)
    choices = tuple(row.item for row in rows)
    return Answer(first.question, first.type, choices=choices, other=other)


def facts(story, answers: dict[str, Answer]) -> dict:
    """The story's row of `story_facts`: its filters, and each counted answer in
    its slot's typed columns (see `models._slot_columns`)."""
    row = {
        "story_id": story.id,
        "member_id": story.member_id,
        "sharing": story.sharing,
        "occasion": story.occasion,
        "round": story.round,
        "area": story.area,
        "member_kind": story.member_kind,
        "submitted_at": story.submitted_at,
        **dict.fromkeys(SLOT_COLUMNS),
    }
    slots = layout()
    for answer in answers.values():
        slot = slots.get(answer.question)
        if slot is not None:
            row.update(_slot_values(slot, answer))
    return row


def _slot_values(slot: Slot, answer: Answer) -> dict:
    column, na = slot.column, answer.not_applicable
    if answer.type == "triad":
        if na:
            return {f"{column}_zone": -1}
        shares = _by_code(slot, answer.corners, answer.shares)
        return {
            f"{column}_zone": ZONES.index(triad_zone(*shares)),
            f"{column}_cell": triad_cell(shares[0], shares[1]),
            **{
                f"{column}_{name}": share
                for name, share in zip("abc", shares, strict=True)
            },
        }
    if answer.type == "dyad":
        if na:
            return {f"{column}_band": 0}
        return {column: answer.value, f"{column}_band": dyad_band(answer.value)}
    if na:
        return {column: -1}
    if answer.type == "multiple":
        return {column: sum(1 << slot.codes[choice] for choice in answer.choices)}
    return {column: slot.codes[answer.choices[0]]}


def _by_code(slot: Slot, corners, shares) -> tuple[float, ...]:
    """Shares in the order of the corners' codes, the same in every version."""
    ordered = [0.0, 0.0, 0.0]
    for corner, share in zip(corners, shares, strict=True):
        ordered[slot.codes[corner]] = share
    return tuple(ordered)
