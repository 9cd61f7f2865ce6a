import math

import pytest

from contracts.errors import InvalidInput
from infra.validation import parse
from services.stories import framework
from services.stories.schemas import StoryFormSchema

ANSWERS = {
    "prompt": "turning_point",
    "feeling": {"choice": "positive"},
    "about": {"choice": "community"},
    "role": {"choice": "volunteering"},
}
STORY = {"title": "Y caffi trwsio", "text": "Daeth pawb â'u tŵls.", "language": "cy"}


def read(answers: dict, **story) -> dict:
    return parse(
        StoryFormSchema(), {**STORY, **story, "answers": {**ANSWERS, **answers}}
    )


def refused(answers: dict, **story) -> dict:
    with pytest.raises(InvalidInput) as error:
        read(answers, **story)
    return error.value.errors


def test_every_published_framework_has_both_languages_and_known_principles():
    for version in framework.versions():
        for question in version.questions:
            assert question.label["cy"] and question.label["en"]
            assert all(o.label["cy"] and o.label["en"] for o in question.options)


def test_an_untouched_slider_is_stored_as_no_answer_not_zero_or_middle():
    answers = read({"power": None})["answers"]

    assert "power" not in answers


def test_a_slider_answer_keeps_its_value_and_version():
    form = read({"power": 0.8})

    assert form["answers"]["power"].value == 0.8
    assert form["framework_version"] == framework.current().version


@pytest.mark.parametrize(
    "shares", [[0.5, 0.5, 0.5], [0.2, 0.2, 0.2], [1, 0, 0, 0], [0.5, 0.5], "0.3"]
)
def test_a_triad_that_does_not_add_up_to_one_is_refused(shares):
    errors = refused({"difference": shares})

    assert list(errors["answers"]) == ["difference"]


def test_a_triad_rounded_to_two_decimals_is_accepted_and_scaled_to_one():
    shares = read({"difference": [0.33, 0.33, 0.33]})["answers"]["difference"].shares

    assert math.isclose(sum(shares), 1.0)


@pytest.mark.parametrize(
    "value", [math.nan, math.inf, -math.inf, 1.5, -0.1, True, False, "0.5", [0.5]]
)
def test_a_slider_that_is_not_a_finite_number_from_0_to_1_is_refused(value):
    errors = refused({"power": value})

    assert "power" in errors["answers"]


def test_a_triad_share_that_is_nan_is_refused():
    errors = refused({"difference": [math.nan, 0.5, 0.5]})

    assert "difference" in errors["answers"]


def test_an_unknown_question_is_named_in_the_error():
    errors = refused({"favourite_colour": 0.5})

    assert "favourite_colour" in errors["answers"]


def test_every_missing_required_answer_is_named():
    with pytest.raises(InvalidInput) as error:
        parse(StoryFormSchema(), {**STORY, "answers": {}})

    assert set(error.value.errors["answers"]) == {"prompt", "feeling", "about", "role"}


def test_not_applicable_only_where_the_question_allows_it():
    assert read({"power": "not_applicable"})["answers"]["power"].not_applicable
    assert "feeling" in refused({"feeling": "not_applicable"})["answers"]


def test_an_unknown_framework_version_is_refused():
    errors = refused({}, framework_version="99")

    assert "framework_version" in errors


def test_other_text_goes_only_with_an_other_choice():
    kept = read({"about": {"choice": "other", "other": "Côr y pentref"}})
    assert kept["answers"]["about"].other == "Côr y pentref"

    errors = refused({"about": {"choice": "me", "other": "rhywbeth"}})
    assert "about" in errors["answers"]


def test_multiple_choice_keeps_to_its_limit_and_its_options():
    assert (
        "matters_now"
        in refused(
            {"matters_now": {"choices": ["health", "money", "housing", "belonging"]}}
        )["answers"]
    )
    assert "matters_now" in refused({"matters_now": {"choices": ["gold"]}})["answers"]
    assert (
        "matters_now"
        in refused({"matters_now": {"choices": ["health", "health"]}})["answers"]
    )


def test_stones_are_placed_inside_the_canvas():
    kept = read({"support": {"the_network": [0.2, 0.9]}})
    assert kept["answers"]["support"].stones == (("the_network", 0.2, 0.9),)

    assert "support" in refused({"support": {"the_network": [1.2, 0.9]}})["answers"]


def test_hostile_text_is_kept_as_typed_and_control_characters_are_refused():
    kept = read({}, title="<script>alert(1)</script>")
    assert kept["title"] == "<script>alert(1)</script>"

    with pytest.raises(InvalidInput) as error:
        read({}, title="bad\x00title")
    assert "title" in error.value.errors


def test_question_slots_stay_put_across_versions():
    layout = framework.layout()

    assert len({slot.column for slot in layout.values()}) == len(layout)
    assert layout["power"].column == "d1"
