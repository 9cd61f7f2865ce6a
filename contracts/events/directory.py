"""Events of the directory service (exchange `directory.events`)."""

from marshmallow import fields, validate

from contracts.events.common import EventData, area, tags

CATEGORIES = ("time", "skills", "experience", "resources")


class ListingPublishedV1(EventData):
    """A listing is public in the directory (new, or changed by its owner)."""

    listing_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    areas = fields.List(area(), required=True)
    tags = tags(required=True)
    published_at = fields.AwareDateTime(required=True)


class ListingWithdrawnV1(EventData):
    listing_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    withdrawn_at = fields.AwareDateTime(required=True)


class ListingReviewDueV1(EventData):
    """A listing has not been reviewed for a year; its owner is asked to look."""

    listing_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    last_reviewed_at = fields.AwareDateTime(required=True)
    due_at = fields.AwareDateTime(required=True)


class PostedV1(EventData):
    """An offer or a request of time, skills, experience or resources."""

    post_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    title = fields.String(required=True)
    area = area(allow_none=True, load_default=None)
    tags = tags(load_default=list)
    ends_on = fields.Date(allow_none=True, load_default=None)
    posted_at = fields.AwareDateTime(required=True)


class OfferPostedV1(PostedV1):
    """A member offers time, skills, experience or resources."""


class RequestPostedV1(PostedV1):
    """A member asks for time, skills, experience or resources."""


class ResponseSentV1(EventData):
    """Internal: a member answered an offer or request; notifications passes the
    message on to the poster without showing either side's address."""

    response_id = fields.UUID(required=True)
    post_id = fields.UUID(required=True)
    post_kind = fields.String(
        required=True, validate=validate.OneOf(["offer", "request"])
    )
    post_title = fields.String(required=True)
    poster_id = fields.UUID(required=True)
    responder_id = fields.UUID(required=True)
    responder_name = fields.String(required=True)
    message = fields.String(required=True)
    sent_at = fields.AwareDateTime(required=True)


class ExchangeAgreedV1(EventData):
    """Two members agreed an exchange; `hours` when time was given."""

    exchange_id = fields.UUID(required=True)
    post_id = fields.UUID(required=True)
    giver_id = fields.UUID(required=True)
    receiver_id = fields.UUID(required=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    hours = fields.Float(allow_none=True, load_default=None)
    area = area(allow_none=True, load_default=None)
    agreed_at = fields.AwareDateTime(required=True)


EVENTS = (
    ("ListingPublished", 1, ListingPublishedV1),
    ("ListingWithdrawn", 1, ListingWithdrawnV1),
    ("ListingReviewDue", 1, ListingReviewDueV1),
    ("OfferPosted", 1, OfferPostedV1),
    ("RequestPosted", 1, RequestPostedV1),
    ("ResponseSent", 1, ResponseSentV1),
    ("ExchangeAgreed", 1, ExchangeAgreedV1),
)
INTERNAL = {"ResponseSent"}
