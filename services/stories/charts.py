"""Pictures of the evaluation as SVG, drawn with matplotlib on the server: a
ternary plot of a triad (a grid of small triangles shaded by how many stories
fall in each, the zone boundaries dashed, the mean marked) and a histogram of
a dyad in its five bands. A cell or bar of fewer than five stories is left
blank. Text is written as SVG text, which matplotlib escapes."""

import io
import math
from typing import Any

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.stories import framework
from services.stories.evaluation import evaluate_where
from services.stories.exceptions import NotAChart, QuestionNotFound
from services.stories.framework import Question, layout
from services.stories.groups import condition
from services.stories.models import story_facts
from services.stories.suppression import MIN_GROUP, too_small
from services.stories.zones import BANDS, CORNER, EDGE, cell_corners

matplotlib.rcParams.update(
    {"svg.fonttype": "none", "svg.hashsalt": "coprod", "font.size": 9}
)
_TOP = (0.5, math.sqrt(3) / 2)
_TOO_FEW = {
    "cy": f"Llai na {MIN_GROUP} stori: dim darlun",
    "en": f"Fewer than {MIN_GROUP} stories: no picture",
}
_STORIES = {"cy": "straeon", "en": "stories"}


def chart(session: Session, query: dict[str, Any]) -> str:
    question = framework.current().question(query["question"])
    if question is None:
        raise QuestionNotFound("The framework has no such question.")
    if question.type not in ("triad", "dyad"):
        raise NotAChart({"question": ["Only triads and dyads have a picture."]})
    where = condition(query["group"], query)
    with session.begin():
        if question.type == "dyad":
            result = evaluate_where(session, where)
            found = next(
                (q for q in result["questions"] if q["id"] == question.id), None
            )
            return dyad_svg(question, found, query["language"])
        cell = story_facts.c[f"{layout()[question.id].column}_cell"]
        rows = session.execute(
            select(cell, func.count()).where(where, cell.is_not(None)).group_by(cell)
        ).all()
    return triad_svg(question, dict(rows), query["language"])


def _point(a: float, b: float) -> tuple[float, float]:
    """Corner a bottom left, b bottom right, c at the top."""
    c = 1 - a - b
    return (b + c * _TOP[0], c * _TOP[1])


def triad_svg(question: Question, cells: dict[int, int], language: str) -> str:
    figure = Figure(figsize=(6.4, 6.0))
    axes = figure.add_subplot()
    axes.set_aspect("equal")
    axes.axis("off")
    axes.set_title(question.label[language], wrap=True)
    total = sum(cells.values())
    shown = {cell: count for cell, count in cells.items() if not too_small(count)}
    if total < MIN_GROUP:
        axes.text(0.5, 0.4, _TOO_FEW[language], ha="center")
    else:
        _shade(figure, axes, shown, language)
    _outline(axes, question, language)
    return _svg(figure)


def _shade(figure, axes, shown: dict[int, int], language: str) -> None:
    scale = Normalize(vmin=0, vmax=max(shown.values(), default=1))
    colours = matplotlib.colormaps["Blues"]
    for cell, count in shown.items():
        if count:
            corners = [_point(a, b) for a, b in cell_corners(cell)]
            axes.add_patch(Polygon(corners, facecolor=colours(scale(count)), lw=0))
    mappable = matplotlib.cm.ScalarMappable(norm=scale, cmap=colours)
    figure.colorbar(mappable, ax=axes, shrink=0.6, label=_STORIES[language])


def _outline(axes, question: Question, language: str) -> None:
    corners = [(0, 0), (1, 0), _TOP]
    axes.add_patch(Polygon(corners, fill=False, edgecolor="#333333", lw=1))
    for line in _zone_lines():
        xs, ys = zip(*[_point(a, b) for a, b in line], strict=True)
        axes.plot(xs, ys, color="#555555", lw=0.8, ls="--")
    places = [(0.0, -0.04, "top"), (1.0, -0.04, "top"), (0.5, _TOP[1] + 0.03, "bottom")]
    codes = layout()[question.id].codes
    order = {
        option.id: codes.get(option.id, i) for i, option in enumerate(question.options)
    }
    corners = sorted(question.options, key=lambda option: order[option.id])
    for option, (x, y, align) in zip(corners, places, strict=True):
        axes.text(x, y, option.label[language], ha="center", va=align, wrap=True)
    axes.set_xlim(-0.15, 1.15)
    axes.set_ylim(-0.15, 1.0)


def _zone_lines() -> list[list[tuple[float, float]]]:
    """As (a, b) shares: each corner's 0.6 line, then the centre's three sides
    (the 0.2 lines that close off the edges), as `zones` defines them."""
    hi, lo = CORNER, EDGE
    return [
        [(hi, 1 - hi), (hi, 0.0)],
        [(1 - hi, hi), (0.0, hi)],
        [(1 - hi, 0.0), (0.0, 1 - hi)],
        [(hi, lo), (lo, hi)],
        [(hi, lo), (lo, lo)],
        [(lo, hi), (lo, lo)],
    ]


def dyad_svg(question: Question, found: dict | None, language: str) -> str:
    figure = Figure(figsize=(6.4, 4.0))
    axes = figure.add_subplot()
    axes.set_title(question.label[language], wrap=True)
    counts = (found or {}).get("counts") or {}
    bars = [counts.get(str(band)) for band in BANDS]
    if found is None or found.get("answered") in (None, 0):
        axes.text(0.5, 0.5, _TOO_FEW[language], ha="center", transform=axes.transAxes)
    else:
        heights = [value or 0 for value in bars]
        axes.bar(
            [f"{(b - 1) / 5:.1f}–{b / 5:.1f}" for b in BANDS], heights, color="#2b6cb0"
        )
        axes.set_ylabel(_STORIES[language])
    left, right = question.extra["left"][language], question.extra["right"][language]
    axes.set_xlabel(f"← {left}    ·    {right} →")
    return _svg(figure)


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None})
    return buffer.getvalue()
