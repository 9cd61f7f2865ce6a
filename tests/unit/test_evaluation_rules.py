import pytest

from services.stories import framework
from services.stories.charts import dyad_svg, triad_svg
from services.stories.framework import Option, Question
from services.stories.summary import summarise
from services.stories.suppression import suppress
from services.stories.zones import (
    ZONES,
    cell_corners,
    dyad_band,
    triad_cell,
    triad_zone,
)


@pytest.mark.parametrize(
    ("shares", "zone"),
    [
        ((0.6, 0.2, 0.2), "a"),
        ((0.1, 0.8, 0.1), "b"),
        ((0.0, 0.0, 1.0), "c"),
        ((0.5, 0.45, 0.05), "ab"),
        ((0.45, 0.1, 0.45), "ac"),
        ((0.19, 0.41, 0.4), "bc"),
        ((1 / 3, 1 / 3, 1 / 3), "centre"),
        ((0.59, 0.21, 0.2), "centre"),
    ],
)
def test_each_triad_position_falls_in_exactly_one_zone(shares, zone):
    assert triad_zone(*shares) == zone


def test_dyad_bands_split_the_slider_in_five():
    assert [dyad_band(v) for v in (0, 0.19, 0.2, 0.5, 0.79, 0.8, 1)] == [
        1,
        1,
        2,
        3,
        4,
        5,
        5,
    ]


def test_a_point_lies_inside_its_grid_cell():
    for a, b in [(0.05, 0.05), (0.95, 0.0), (0.0, 1.0), (0.33, 0.33), (0.55, 0.44)]:
        corners = cell_corners(triad_cell(a, b))
        assert min(p[0] for p in corners) - 1e-9 <= a <= max(p[0] for p in corners)
        assert min(p[1] for p in corners) - 1e-9 <= b <= max(p[1] for p in corners)


def test_a_count_under_five_is_hidden_with_its_complement():
    shown = suppress({"a": 40, "b": 3, "c": 12, "d": 0})

    assert shown == {"a": 40, "b": None, "c": None, "d": 0}


def test_two_small_counts_hide_each_other_and_nothing_else():
    assert suppress({"a": 40, "b": 3, "c": 2, "d": 9}) == {
        "a": 40,
        "b": None,
        "c": None,
        "d": 9,
    }


def _dyad_evaluation(bands: dict[str, int]) -> dict:
    answered = sum(bands.values())
    return {
        "suppressed": False,
        "questions": [
            {
                "id": "power",
                "type": "dyad",
                "answered": answered,
                "counts": {**bands, "not_applicable": 0, "no_answer": 0},
            }
        ],
    }


def test_power_shared_in_most_stories_is_a_strength_with_its_rule():
    summary = summarise(_dyad_evaluation({"1": 1, "2": 0, "3": 2, "4": 7, "5": 10}))

    (line,) = summary["lines"]
    assert (line["kind"], line["principle"]) == ("strength", "trust_power")
    assert line["rule"]["en"].startswith("At least 60%")
    assert "85%" in line["text"]["en"] and "85%" in line["text"]["cy"]


def test_a_gap_becomes_a_priority_for_its_principle():
    summary = summarise(_dyad_evaluation({"1": 6, "2": 6, "3": 4, "4": 2, "5": 2}))

    kinds = [(line["kind"], line["principle"]) for line in summary["lines"]]
    assert kinds == [("gap", "trust_power"), ("priority", "trust_power")]


def test_no_line_uses_a_hidden_figure():
    evaluation = _dyad_evaluation({"1": 1, "2": 0, "3": 2, "4": 7, "5": 10})
    evaluation["questions"][0]["counts"]["4"] = None

    assert summarise(evaluation)["lines"] == []


HOSTILE = '<script>alert("x")</script> & ŵ'


def _hostile_triad() -> Question:
    options = tuple(Option(f"o{i}", {"cy": HOSTILE, "en": HOSTILE}) for i in range(3))
    return Question(
        "difference", "triad", False, True, {"cy": HOSTILE, "en": HOSTILE}, options
    )


def test_text_in_a_ternary_plot_is_escaped():
    svg = triad_svg(_hostile_triad(), {0: 12, 5: 7, 9: 2}, "en")

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.lstrip().startswith("<?xml")


def test_a_dyad_histogram_shows_no_bar_under_five():
    question = framework.current().question("power")
    found = {"answered": 20, "counts": {"1": None, "2": None, "3": 5, "4": 6, "5": 6}}

    svg = dyad_svg(question, found, "cy")

    assert "wedi'i rannu rhwng pawb" in svg or "wedi&#39;i rannu" in svg
    assert svg.count("<path") > 0


def test_every_zone_has_a_name():
    assert len(ZONES) == 7
