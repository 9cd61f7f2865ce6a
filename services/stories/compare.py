"""Two groups side by side, with a significance test where the numbers allow.

Which test, and why:

- **dyad** (a slider from 0 to 1): Mann-Whitney U, two-sided. Slider answers
  are bounded and rarely normal, often bunched near one pole; the rank test
  asks whether one group tends to sit further along without assuming a shape.
- **ordered single choice** (the feeling scale): Mann-Whitney U on the
  options' order, for the same reason: the options are ranked, not measured.
- **triad** and **unordered single choice / prompt**: chi-square test of
  independence on the zones (or options) by group. Shares of a triad are
  compositional (they add up to 1), so comparing one share alone would be
  misleading; the seven zones summarise the whole position. A 2 x 2 table, or
  any table where more than a fifth of expected counts are under 5, is not
  fit for chi-square: a 2 x 2 one gets Fisher's exact test, a larger one gets
  no test.
- **multiple choice**: for each option, Fisher's exact test on chosen / not
  chosen by group (a story can pick several options, so the options are not
  one distribution), with Holm's correction across the options.
- **stones**: no test; several items from one story are not independent.

Both groups must hold at least five stories and five answers to the question,
or no test is run. The groups are treated as independent samples, also with
`same_members`: a teller's baseline and newest round are then not paired, so
the test is conservative about change within the same people."""

from typing import Any

import numpy as np
from scipy import stats
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.stories import framework
from services.stories.evaluation import answered, cells, evaluate_where, raw_counts
from services.stories.framework import Question, layout
from services.stories.groups import condition, same_members
from services.stories.models import story_facts
from services.stories.suppression import MIN_GROUP

ALPHA = 0.05


def compare(session: Session, query: dict[str, Any]) -> dict[str, Any]:
    a_where, b_where = condition(query["a"], query), condition(query["b"], query)
    if query["same_members"]:
        a_where, b_where = (
            same_members(a_where, b_where),
            same_members(b_where, a_where),
        )
    wheres = (a_where, b_where)
    with session.begin():
        raws = [raw_counts(session, where) for where in wheres]
        pairs = zip(wheres, raws, strict=True)
        a, b = (evaluate_where(session, where, raw) for where, raw in pairs)
        tests = []
        if not (a["suppressed"] or b["suppressed"]):
            tests = _tests(session, raws, wheres)
    return {"a": a, "b": b, "same_members": query["same_members"], "tests": tests}


def _tests(session: Session, raws, wheres) -> list[dict]:
    questions = [q for q in framework.current().questions if q.type != "story"]
    sliders = [_sliders(session, questions, where) for where in wheres]
    found = []
    for question in questions:
        result = _test(question, raws, sliders)
        found.append({"question": question.id, **result})
    return found


def _test(question: Question, raws, sliders) -> dict[str, Any]:
    if question.type == "stones":
        return _none("Stones from one story are not independent; no test.")
    if question.type == "dyad":
        return _mann_whitney([values[question.id] for values in sliders])
    if question.type == "single" and question.ordered:
        return _mann_whitney([_ranks(question, raw) for raw in raws])
    if question.type == "multiple":
        return _per_option(question, raws)
    return _contingency([list(cells(question, raw).values()) for raw in raws])


def _none(why: str) -> dict[str, Any]:
    return {"test": None, "statistic": None, "p": None, "significant": None, "why": why}


def _result(test: str, statistic: float, p: float) -> dict[str, Any]:
    return {
        "test": test,
        "statistic": round(float(statistic), 4),
        "p": round(float(p), 6),
        "significant": bool(p < ALPHA),
        "why": None,
    }


def _sliders(session: Session, questions: list[Question], where) -> dict[str, list]:
    """Every dyad's answers in the group, by question id, read in one query."""
    dyads = [q.id for q in questions if q.type == "dyad"]
    if not dyads:
        return {}
    columns = [story_facts.c[layout()[qid].column] for qid in dyads]
    rows = session.execute(select(*columns).where(where)).all()
    return {
        qid: [row[i] for row in rows if row[i] is not None]
        for i, qid in enumerate(dyads)
    }


def _ranks(question: Question, raw) -> list[int]:
    ranks: list[int] = []
    for rank, count in enumerate(cells(question, raw).values()):
        ranks.extend([rank] * count)
    return ranks


def _mann_whitney(samples: list[list[float]]) -> dict[str, Any]:
    if min(len(sample) for sample in samples) < MIN_GROUP:
        return _none(f"Each group needs at least {MIN_GROUP} answers.")
    if len(set(samples[0]) | set(samples[1])) < 2:
        return _none("Every answer is the same; there is nothing to test.")
    result = stats.mannwhitneyu(samples[0], samples[1], alternative="two-sided")
    return _result("mann-whitney-u", result.statistic, result.pvalue)


def _contingency(table: list[list[int]]) -> dict[str, Any]:
    array = np.array(table)
    array = array[:, array.sum(axis=0) > 0]
    if array.sum(axis=1).min() < MIN_GROUP:
        return _none(f"Each group needs at least {MIN_GROUP} answers.")
    if array.shape[1] < 2:
        return _none("Every answer falls in one place; there is nothing to test.")
    expected = stats.contingency.expected_freq(array)
    if array.shape == (2, 2) and expected.min() < 5:
        result = stats.fisher_exact(array)
        return _result("fisher-exact", result.statistic, result.pvalue)
    if (expected < 5).mean() > 0.2 or expected.min() < 1:
        return _none("Too few answers in some places for a chi-square test.")
    result = stats.chi2_contingency(array)
    return _result("chi-square", result.statistic, result.pvalue)


def _per_option(question: Question, raws) -> dict[str, Any]:
    totals = [answered(question, raw) for raw in raws]
    if min(totals) < MIN_GROUP:
        return _none(f"Each group needs at least {MIN_GROUP} answers.")
    chosen = [cells(question, raw) for raw in raws]
    options = list(question.option_ids)
    p_values = [
        stats.fisher_exact(
            [[chosen[i][option], totals[i] - chosen[i][option]] for i in range(2)]
        ).pvalue
        for option in options
    ]
    adjusted = _holm(p_values)
    smallest = min(adjusted)
    return {
        "test": "fisher-exact-per-option-holm",
        "statistic": None,
        "p": round(float(smallest), 6),
        "significant": bool(smallest < ALPHA),
        "why": None,
        "options": {
            o: round(float(p), 6) for o, p in zip(options, adjusted, strict=True)
        },
    }


def _holm(p_values: list[float]) -> list[float]:
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted, running = [1.0] * len(p_values), 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted
