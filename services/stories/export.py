"""Exports: the stories of a group, one row per story and one column per
answer (CSV or JSON), and everything held about one member."""

import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.stories import framework
from services.stories.capture import story_view
from services.stories.feedback import feedback_view
from services.stories.framework import Question
from services.stories.groups import condition
from services.stories.models import (
    Feedback,
    FeedbackPrinciple,
    FeedbackRound,
    Member,
    Story,
    StoryAnswer,
    story_facts,
)
from services.stories.rows import from_rows

FIELDS = ("id", "occasion", "round", "framework_version", "sharing", "language")
FIELDS += ("area", "member_kind", "submitted_at")
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def columns() -> list[str]:
    """The answer columns: triads give one share per corner, dyads a value,
    choices one 0/1 column per option (single choices also the chosen id), and
    every question a `not_applicable` flag."""
    found = []
    for question in framework.current().questions:
        if question.type != "story":
            found += _question_columns(question)
    return found


def _question_columns(question: Question) -> list[str]:
    q = question.id
    if question.type == "triad":
        body = [f"{q}.{corner}" for corner in question.option_ids]
    elif question.type == "dyad":
        body = [q]
    elif question.type == "stones":
        body = [f"{q}.{item}.{axis}" for item in question.option_ids for axis in "xy"]
    else:
        body = [q] if question.type in ("prompt", "single") else []
        body += [f"{q}.{option}" for option in question.option_ids]
        if any(option.other for option in question.options):
            body.append(f"{q}.other_text")
    return body + [f"{q}.not_applicable"]


def export(session: Session, query: dict[str, Any]) -> dict[str, Any]:
    where = condition(query["group"], query)
    with session.begin():
        ids = select(story_facts.c.story_id).where(where)
        stories = session.scalars(
            select(Story)
            .where(Story.id.in_(ids))
            .order_by(Story.submitted_at, Story.id)
        ).all()
        answers = _answers(session, ids)
    rows = [_row(story, answers.get(story.id, [])) for story in stories]
    header = list(FIELDS) + columns()
    if query["format"] == "csv":
        return {"format": "csv", "body": _csv(header, rows), "count": len(rows)}
    return {"format": "json", "columns": header, "stories": rows, "count": len(rows)}


def _answers(session: Session, ids) -> dict[str, list[StoryAnswer]]:
    found: dict[str, list[StoryAnswer]] = {}
    for row in session.scalars(
        select(StoryAnswer).where(StoryAnswer.story_id.in_(ids))
    ):
        found.setdefault(row.story_id, []).append(row)
    return found


def _row(story: Story, rows: list[StoryAnswer]) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(story, name) for name in FIELDS}
    row["submitted_at"] = story.submitted_at.isoformat()
    current = framework.current()
    for question_id, answer in from_rows(rows).items():
        question = current.question(question_id)
        if question is not None:
            row.update(_cells(question, answer))
    return row


def _cells(question: Question, answer) -> dict[str, Any]:
    q = question.id
    cells: dict[str, Any] = {f"{q}.not_applicable": int(answer.not_applicable)}
    if answer.not_applicable:
        return cells
    if question.type == "triad":
        cells.update(
            {
                f"{q}.{c}": s
                for c, s in zip(question.option_ids, answer.shares, strict=True)
            }
        )
    elif question.type == "dyad":
        cells[q] = answer.value
    elif question.type == "stones":
        for item, x, y in answer.stones:
            cells[f"{q}.{item}.x"], cells[f"{q}.{item}.y"] = x, y
    else:
        if question.type in ("prompt", "single"):
            cells[q] = answer.choices[0]
        cells.update(
            {f"{q}.{o}": int(o in answer.choices) for o in question.option_ids}
        )
        if answer.other:
            cells[f"{q}.other_text"] = answer.other
    return cells


def _csv(header: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, header, extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows({k: _safe(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(_RISKY_START):
        return "'" + value
    return value


def export_member(session: Session, member_id: str) -> dict[str, Any]:
    """Everything the stories service holds about one member."""
    with session.begin():
        member = session.get(Member, member_id)
        stories = session.scalars(
            select(Story)
            .where(Story.member_id == member_id)
            .order_by(Story.submitted_at)
        ).all()
        return {
            "service": "stories",
            "member": _member(member),
            "stories": [story_view(session, story, None) for story in stories],
            "feedback": _feedback(session, member_id),
            "rounds": [
                {"round": r.round, "due_on": r.due_on.isoformat(), "status": r.status}
                for r in session.scalars(
                    select(FeedbackRound)
                    .where(FeedbackRound.member_id == member_id)
                    .order_by(FeedbackRound.round)
                )
            ],
        }


def _member(member: Member | None) -> dict[str, Any] | None:
    if member is None:
        return None
    return {
        "status": member.status,
        "area": member.area,
        "kind": member.kind,
        "language": member.language,
        "share_progress": member.share_progress,
        "rounds_count_from": member.anchor_on.isoformat() if member.anchor_on else None,
        "next_round": member.next_round,
        "next_round_due_on": member.next_due_on.isoformat()
        if member.next_due_on
        else None,
    }


def _feedback(session: Session, member_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Feedback).where(Feedback.member_id == member_id).order_by(Feedback.round)
    ).all()
    return [
        feedback_view(
            row,
            list(
                session.scalars(
                    select(FeedbackPrinciple.principle).where(
                        FeedbackPrinciple.feedback_id == row.id
                    )
                )
            ),
        )
        for row in rows
    ]
