import math

from marshmallow import Schema, ValidationError, fields, validate

from contracts.events.common import LANGUAGES
from contracts.fields import Text

SHARING = ("coordinators", "members", "public")


def _check_answer(value) -> None:
    """A dyad is a number from 0 to 1; a triad is three non-negative shares that add
    up to 1; null means not applicable."""
    if value is None:
        return
    if isinstance(value, bool):
        raise ValidationError("Expected a number from 0 to 1, three shares, or null.")
    if isinstance(value, int | float):
        if not 0 <= value <= 1:
            raise ValidationError("A slider answer is a number from 0 to 1.")
        return
    if (
        isinstance(value, list)
        and len(value) == 3
        and all(
            isinstance(share, int | float)
            and not isinstance(share, bool)
            and share >= 0
            for share in value
        )
    ):
        if math.isclose(sum(value), 1.0, abs_tol=1e-6):
            return
    raise ValidationError(
        "A triad answer is three non-negative shares that add up to 1."
    )


class Signifiers(fields.Dict):
    def __init__(self, **kwargs):
        super().__init__(
            keys=fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,49}$")),
            values=fields.Raw(allow_none=True, validate=_check_answer),
            **kwargs,
        )


class StorySchema(Schema):
    """A story and how its teller signified it. Example::

    {"member_id": "5b0e…", "title": "Ein gardd gymunedol", "text": "…",
     "language": "cy", "sharing": "members",
     "signifiers": {"power_shared": 0.8, "voices": [0.5, 0.3, 0.2]}}
    """

    member_id = fields.UUID(required=True)
    title = Text(required=True, multiline=False, validate=validate.Length(1, 200))
    text = Text(required=True, validate=validate.Length(1, 20_000))
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    sharing = fields.String(
        load_default="coordinators", validate=validate.OneOf(SHARING)
    )
    signifiers = Signifiers(load_default=dict, validate=validate.Length(max=50))


class StoryOutSchema(Schema):
    id = fields.String()
    member_id = fields.String()
    title = fields.String()
    language = fields.String()
    sharing = fields.String()
    signifiers = fields.Dict()
    framework_version = fields.String()
    submitted_at = fields.AwareDateTime()
