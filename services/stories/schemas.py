"""Everything the stories service takes in is parsed here."""

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from contracts import principles
from contracts.events.common import LANGUAGES, SHARING
from contracts.events.membership import KINDS
from contracts.fields import PrincipalArea, Text
from services.stories import framework
from services.stories.answers import read_answers

OCCASIONS = ("baseline", "feedback", "other")
AUDIENCES = ("coordinators", "members", "public")


def _principle() -> fields.String:
    return fields.String(validate=validate.OneOf(principles.current().ids))


class StoryFormSchema(Schema):
    """A story as its teller gives it, without saying whose it is. Answers are
    read against `framework_version` (the current one when left out); see
    `services.stories.answers` for their shapes. Example::

        {"framework_version": "1", "title": "Gardd y gymuned",
         "text": "Daeth pawb at ei gilydd...", "language": "cy",
         "sharing": "members",
         "answers": {"prompt": "turning_point", "power": 0.8,
                     "difference": [0.5, 0.3, 0.2], "seen_as": null,
                     "feeling": {"choice": "positive"},
                     "about": {"choice": "community"},
                     "role": {"choice": "volunteering"},
                     "boundaries": "not_applicable"}}
    """

    framework_version = fields.String(
        load_default=lambda: framework.current().version,
        validate=validate.Length(1, 20),
    )
    title = Text(required=True, multiline=False, validate=validate.Length(1, 200))
    text = Text(required=True, validate=validate.Length(1, 20_000))
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    sharing = fields.String(
        load_default="coordinators", validate=validate.OneOf(SHARING)
    )
    answers = fields.Dict(keys=fields.String(), load_default=dict)

    @post_load
    def read_against_framework(self, data: dict, **kwargs) -> dict:
        version = framework.find(data["framework_version"])
        if version is None:
            known = ", ".join(f.version for f in framework.versions())
            raise ValidationError(
                f"There is no framework version {data['framework_version']}; "
                f"the versions are {known}.",
                "framework_version",
            )
        try:
            data["answers"] = read_answers(version, data["answers"])
        except ValidationError as error:
            raise ValidationError({"answers": error.messages}) from error
        return data


class SubmitStorySchema(StoryFormSchema):
    """A story from a signed-in member: the form plus whose it is."""

    member_id = fields.UUID(required=True)


class FeedbackSchema(Schema):
    """Progress on the promise for a round, optionally with a new story.
    `round` defaults to the member's newest requested round. Example::

        {"member_id": "5b0e…", "rating": 4,
         "progress": "Rydym wedi dechrau cyfarfod bob mis.",
         "principles": ["trust_power"], "story": null}
    """

    member_id = fields.UUID(required=True)
    round = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1)
    )
    rating = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5))
    progress = Text(required=True, validate=validate.Length(1, 5_000))
    principles = fields.List(
        _principle(), load_default=list, validate=validate.Length(max=5)
    )
    story = fields.Nested(StoryFormSchema, load_default=None, allow_none=True)


class PageSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ProgressQuerySchema(PageSchema):
    """Shared progress, newest first: `{"area": "Caerdydd", "principle": ...}`."""

    area = PrincipalArea(load_default=None)
    principle = _principle()


class ViewerSchema(Schema):
    """Who is looking: the audience their role allows, and their member id."""

    audience = fields.String(required=True, validate=validate.OneOf(AUDIENCES))
    member_id = fields.String(load_default=None, allow_none=True)


class StoryFilterSchema(PageSchema):
    """Which stories to list: `{"area": "Caerdydd", "principle": "trust_power"}`;
    a principle finds the stories told with progress on it."""

    area = PrincipalArea(load_default=None)
    principle = _principle()


class StoriesQuerySchema(StoryFilterSchema, ViewerSchema):
    pass


class GroupSchema(Schema):
    """Which stories to count: every filter is optional and they all apply.
    `choices` maps a choice question to the options a story must have picked
    one of: `{"about": ["community"], "role": ["volunteering", "organising"]}`.
    `round` is a number, or `latest` for each teller's newest feedback round."""

    area = PrincipalArea(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    occasion = fields.String(load_default=None, validate=validate.OneOf(OCCASIONS))
    round = fields.String(
        load_default=None, validate=validate.Regexp(r"^(latest|[1-9][0-9]{0,2})$")
    )
    since = fields.Date(load_default=None)
    until = fields.Date(load_default=None)
    choices = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String(), validate=validate.Length(1, 20)),
        load_default=dict,
        validate=validate.Length(max=10),
    )

    @validates_schema
    def choices_exist(self, data: dict, **kwargs) -> None:
        current = framework.current()
        errors = {}
        for question_id, options in data.get("choices", {}).items():
            question = current.question(question_id)
            if question is None or question.type not in ("single", "multiple"):
                errors[question_id] = ["Not a choice question of the framework."]
            elif set(options) - set(question.option_ids):
                errors[question_id] = [
                    f"Choose from: {', '.join(question.option_ids)}."
                ]
        if errors:
            raise ValidationError({"choices": errors})
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError("`since` comes after `until`.", "since")


class EvaluationQuerySchema(ViewerSchema):
    """The evaluation of one group of stories."""

    group = fields.Nested(GroupSchema, load_default=lambda: GroupSchema().load({}))


class CompareQuerySchema(ViewerSchema):
    """Two groups side by side; `same_members` keeps only tellers in both."""

    a = fields.Nested(GroupSchema, required=True)
    b = fields.Nested(GroupSchema, required=True)
    same_members = fields.Boolean(load_default=False)


class ChartQuerySchema(EvaluationQuerySchema):
    """One question's picture, labelled in `language`."""

    question = fields.String(required=True)
    language = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))


class ExportQuerySchema(EvaluationQuerySchema):
    format = fields.String(
        load_default="json", validate=validate.OneOf(["json", "csv"])
    )
