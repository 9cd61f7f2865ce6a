"""Events of the stories service (exchange `stories.events`)."""

from marshmallow import fields, validate

from contracts.events.common import SHARING, EventData, area, language


class StorySubmittedV1(EventData):
    """A member told a story. Its title and text travel only when the teller made
    it public (for the newsletter); otherwise they stay in the stories service."""

    story_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    occasion = fields.String(
        required=True, validate=validate.OneOf(["baseline", "feedback", "other"])
    )
    round = fields.Integer(allow_none=True, load_default=None)
    framework_version = fields.String(required=True)
    sharing = fields.String(required=True, validate=validate.OneOf(SHARING))
    language = language(required=True)
    title = fields.String(allow_none=True, load_default=None)
    text = fields.String(allow_none=True, load_default=None)
    submitted_at = fields.AwareDateTime(required=True)


class FeedbackRequestedV1(EventData):
    """A member's six-monthly feedback round fell due (`round` counts from 1)."""

    member_id = fields.UUID(required=True)
    round = fields.Integer(required=True, validate=validate.Range(min=1))
    due_on = fields.Date(required=True)
    requested_at = fields.AwareDateTime(required=True)


class FeedbackSubmittedV1(EventData):
    """A member reported progress on their promise. `progress` (their words) travels
    only when they agreed to share progress with other members."""

    feedback_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    round = fields.Integer(required=True)
    rating = fields.Integer(required=True, validate=validate.Range(1, 5))
    shared = fields.Boolean(required=True)
    progress = fields.String(allow_none=True, load_default=None)
    area = area(allow_none=True, load_default=None)
    story_id = fields.UUID(allow_none=True, load_default=None)
    submitted_at = fields.AwareDateTime(required=True)


EVENTS = (
    ("StorySubmitted", 1, StorySubmittedV1),
    ("FeedbackRequested", 1, FeedbackRequestedV1),
    ("FeedbackSubmitted", 1, FeedbackSubmittedV1),
)
INTERNAL: set[str] = set()
