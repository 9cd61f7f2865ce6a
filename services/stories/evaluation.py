"""The evaluation of a group of stories: triad zones and mean positions, dyad
bands and means, choice counts. One scan of `story_facts` counts every cell
of every question at once; then no figure is shown for fewer than five stories
(see `suppression`)."""

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from services.stories import framework
from services.stories.framework import Question, layout
from services.stories.groups import condition
from services.stories.models import StoryAnswer, story_facts
from services.stories.suppression import MIN_GROUP, share, suppress
from services.stories.zones import BANDS, ZONES

F = story_facts.c
Raw = dict[str, dict[str, Any]]


def evaluate(session: Session, query: dict[str, Any]) -> dict[str, Any]:
    where = condition(query["group"], query)
    with session.begin():
        return evaluate_where(session, where)


def evaluate_where(
    session: Session, where: ColumnElement, raw: Raw | None = None
) -> dict[str, Any]:
    """The evaluation of the stories matching `where`, in the open transaction;
    `raw`, when the caller has counted them already, is their `raw_counts`."""
    current = framework.current()
    raw = raw_counts(session, where) if raw is None else raw
    total = raw["stories"]
    head = {"min_group": MIN_GROUP, "framework_version": current.version}
    if total < MIN_GROUP:
        return {**head, "stories": None, "suppressed": True, "questions": []}
    questions = [
        _question(question, raw, total, session, where)
        for question in current.questions
        if question.type not in ("story",)
    ]
    return {**head, "stories": total, "suppressed": False, "questions": questions}


def statement(where: ColumnElement) -> Select:
    """The one SELECT that counts every cell (the benchmark runs it bare)."""
    return select(*_aggregates()).where(where)


def raw_counts(session: Session, where: ColumnElement) -> Raw:
    """Every cell's count, nothing suppressed: for tests and rules, never for
    showing as it is."""
    row = session.execute(statement(where)).one()._mapping
    return {"stories": row["stories"], **{key: row[key] for key in row.keys()}}


def _count(when: ColumnElement, label: str):
    return func.count(case((when, 1))).label(label)


def _aggregates() -> list:
    found = [func.count().label("stories")]
    questions = {q.id: q for f in framework.versions() for q in f.questions}
    for question_id, slot in layout().items():
        found += _SQL[questions[question_id].type](question_id, slot.column, slot.codes)
    return found


def _triad_sql(qid: str, column: str, codes: dict[str, int]) -> list:
    zone = story_facts.c[f"{column}_zone"]
    found = [_count(zone == -1, f"{qid}:na")]
    found += [_count(zone == i, f"{qid}:{name}") for i, name in enumerate(ZONES)]
    found += [
        func.avg(story_facts.c[f"{column}_{s}"]).label(f"{qid}:mean_{s}") for s in "abc"
    ]
    return found


def _dyad_sql(qid: str, column: str, codes: dict[str, int]) -> list:
    band = story_facts.c[f"{column}_band"]
    found = [_count(band == 0, f"{qid}:na")]
    found += [_count(band == b, f"{qid}:{b}") for b in BANDS]
    return found + [func.avg(story_facts.c[column]).label(f"{qid}:mean")]


def _single_sql(qid: str, column: str, codes: dict[str, int]) -> list:
    value = story_facts.c[column]
    found = [_count(value == -1, f"{qid}:na")]
    return found + [_count(value == code, f"{qid}:{o}") for o, code in codes.items()]


def _multiple_sql(qid: str, column: str, codes: dict[str, int]) -> list:
    value = story_facts.c[column]
    found = [_count(value == -1, f"{qid}:na"), _count(value > 0, f"{qid}:answered")]
    return found + [
        _count(and_(value > 0, value.op("&")(1 << code) != 0), f"{qid}:{o}")
        for o, code in codes.items()
    ]


_SQL = {
    "triad": _triad_sql,
    "dyad": _dyad_sql,
    "prompt": _single_sql,
    "single": _single_sql,
    "multiple": _multiple_sql,
}


def cells(question: Question, raw: Raw) -> dict[str, int]:
    """The question's own cells, by zone, band or option id."""
    if question.type == "triad":
        keys = ZONES
    elif question.type == "dyad":
        keys = tuple(str(b) for b in BANDS)
    else:
        keys = question.option_ids
    return {key: raw[f"{question.id}:{key}"] for key in keys}


def answered(question: Question, raw: Raw) -> int:
    if question.type == "multiple":
        return raw[f"{question.id}:answered"]
    return sum(cells(question, raw).values())


def _question(question: Question, raw: Raw, total: int, session, where) -> dict:
    if question.type == "stones":
        return _stones(session, question, where, total)
    count, na = answered(question, raw), raw[f"{question.id}:na"]
    shown = suppress(
        {**cells(question, raw), "not_applicable": na, "no_answer": total - count - na}
    )
    found = {
        "id": question.id,
        "type": question.type,
        "label": question.label,
        "answered": count if count >= MIN_GROUP or count == 0 else None,
        "counts": shown,
        "shares": {key: share(value, total) for key, value in shown.items()},
    }
    if count >= MIN_GROUP:
        found.update(_means(question, raw))
    return found


def _means(question: Question, raw: Raw) -> dict[str, Any]:
    if question.type == "triad":
        codes = layout()[question.id].codes
        means = [raw[f"{question.id}:mean_{s}"] for s in "abc"]
        return {
            "mean": [round(means[codes[o.id]], 4) for o in question.options],
            "corners": list(question.option_ids),
        }
    if question.type == "dyad":
        return {"mean": round(raw[f"{question.id}:mean"], 4)}
    return {}


def _stones(session: Session, question: Question, where, total: int) -> dict:
    """Stones are few and kept only as said: counted from the answers table."""
    a = StoryAnswer
    ids = select(F.story_id).where(where)
    rows = session.execute(
        select(a.item, func.count(), func.avg(a.a), func.avg(a.b))
        .where(a.question == question.id, a.story_id.in_(ids))
        .group_by(a.item)
    ).all()
    found = {item: (count, x, y) for item, count, x, y in rows}
    na = found.pop("", (0, None, None))[0]
    counts = {item: found.get(item, (0,))[0] for item in question.option_ids}
    shown = suppress({**counts, "not_applicable": na})
    places = {
        item: [round(found[item][1], 4), round(found[item][2], 4)]
        if shown.get(item)
        else None
        for item in question.option_ids
        if item in found
    }
    return {
        "id": question.id,
        "type": "stones",
        "label": question.label,
        "counts": shown,
        "shares": {key: share(value, total) for key, value in shown.items()},
        "places": places,
    }
