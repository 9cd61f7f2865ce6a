"""The join form's steps and its story, read from what a browser posts."""

from werkzeug.datastructures import MultiDict

from gateway import join_steps, story_form
from services.stories.framework import current

FRAMEWORK = current().raw


def posted(**fields) -> MultiDict:
    return MultiDict(list(fields.items()))


def test_each_step_carries_what_the_other_steps_typed():
    form = MultiDict(
        [
            ("csrf_token", "t"),
            ("step", "promise"),
            ("name", "Siân"),
            ("promise", "Byddaf yn gwrando."),
            ("q.prompt", "advice"),
            ("listed", "yes"),
        ]
    )

    carried = join_steps.carried(form, "promise")

    assert carried == [("name", "Siân"), ("q.prompt", "advice"), ("listed", "yes")]


def test_errors_of_later_steps_wait_for_those_steps():
    errors = {"name": ["short"], "promise": ["short"], "consents": ["needed"]}

    assert join_steps.errors_up_to("about", errors) == {"name": ["short"]}
    assert set(join_steps.errors_up_to("promise", errors)) == {"name", "promise"}
    assert join_steps.first_step_with({"consents": [], "q.feeling": []}) == "story"


def test_a_story_left_empty_is_no_story():
    form = posted(**{"q.prompt": "advice", "q.power": "answer", "v.power": "80"})

    assert story_form.story_from_form(form, FRAMEWORK, "cy") is None


def test_a_triad_point_and_a_chosen_slider_become_the_apis_answers():
    form = posted(
        story_title="Gardd",
        story_text="Plannu gyda'n gilydd.",
        **{
            "q.prompt": "advice",
            "q.difference": "ab",
            "q.decisions": "abc",
            "q.power": "answer",
            "v.power": "80",
            "v.seen_as": "50",
            "q.boundaries": "not_applicable",
            "q.about": "other",
            "other.about": "Y côr",
        },
    )

    story = story_form.story_from_form(form, FRAMEWORK, "cy")

    answers = story["answers"]
    assert answers["difference"] == [0.5, 0.5, 0.0]
    assert abs(sum(answers["decisions"]) - 1) < 1e-9
    assert answers["power"] == 0.8
    assert "seen_as" not in answers  # a slider not chosen as the answer
    assert answers["boundaries"] == "not_applicable"
    assert answers["about"] == {"choice": "other", "other": "Y côr"}
    assert story["language"] == "cy" and story["sharing"] == "coordinators"


def test_the_stories_services_errors_land_on_the_forms_fields():
    errors = {"title": ["Missing."], "answers": {"feeling": ["Needs an answer."]}}

    assert story_form.story_errors(errors) == {
        "story_title": ["Missing."],
        "q.feeling": ["Needs an answer."],
    }


def test_the_web_form_asks_every_question_but_placing_stones():
    asked = {q["type"] for q in story_form.asked(FRAMEWORK)}

    assert asked == {"prompt", "triad", "dyad", "single", "multiple"}
