"""Events of the directory service (exchange `directory.events`)."""

from marshmallow import fields, validate

from contracts.events.common import EventData, area, tags

CATEGORIES = ("time", "skills", "experience", "resources")
EVENT_KINDS = ("event", "training", "meetup", "online")
EVENT_LANGUAGES = ("cy", "en", "both")


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


class _EventTimes(EventData):
    """What every event about an event or training session says of it: its
    titles (one or both languages) and when it is, in UTC."""

    event_id = fields.UUID(required=True)
    title_cy = fields.String(allow_none=True, load_default=None)
    title_en = fields.String(allow_none=True, load_default=None)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class EventPublishedV1(_EventTimes):
    """A coordinator approved an event or training session: it is public in
    what's on. An online link is never in an event: only people with a place
    see it."""

    organiser_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(EVENT_KINDS))
    area = area(allow_none=True, load_default=None)
    online = fields.Boolean(required=True)
    language = fields.String(required=True, validate=validate.OneOf(EVENT_LANGUAGES))
    principles = fields.List(fields.String(), load_default=list)
    places = fields.Integer(required=True)
    published_at = fields.AwareDateTime(required=True)


class EventChangedV1(_EventTimes):
    """A public event changed; `changed` names the fields. Everyone signed up
    (`member_ids`: with a place or waiting) is told when the time or the place
    changed."""

    changed = fields.List(fields.String(), required=True)
    area = area(allow_none=True, load_default=None)
    online = fields.Boolean(required=True)
    member_ids = fields.List(fields.UUID(), load_default=list)
    changed_at = fields.AwareDateTime(required=True)


class EventCancelledV1(_EventTimes):
    """A public event will not happen; everyone signed up (`member_ids`) is told."""

    reason = fields.String(required=True)
    member_ids = fields.List(fields.UUID(), load_default=list)
    cancelled_at = fields.AwareDateTime(required=True)


class PlaceTakenV1(_EventTimes):
    """A member has a place at an event: by signing up, or as the first on the
    waiting list when a place came free (`from_waiting_list`, and they are told)."""

    member_id = fields.UUID(required=True)
    from_waiting_list = fields.Boolean(required=True)
    taken_at = fields.AwareDateTime(required=True)


class PlaceReleasedV1(EventData):
    """A member gave up their place (`cancelled`), or left the network (`left`)."""

    event_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    released_at = fields.AwareDateTime(required=True)


class AttendanceRecordedV1(EventData):
    """The organiser marked whether a member with a place came. Attending
    counts as activity toward the member being active."""

    event_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    attended = fields.Boolean(required=True)
    event_starts_at = fields.AwareDateTime(required=True)
    recorded_at = fields.AwareDateTime(required=True)


class EventReminderDueV1(_EventTimes):
    """Internal: remind a member with a place that the event is within a day;
    sent once for each member and start time."""

    member_id = fields.UUID(required=True)
    online = fields.Boolean(required=True)
    place_name = fields.String(allow_none=True, load_default=None)
    area = area(allow_none=True, load_default=None)


EVENTS = (
    ("ListingPublished", 1, ListingPublishedV1),
    ("ListingWithdrawn", 1, ListingWithdrawnV1),
    ("ListingReviewDue", 1, ListingReviewDueV1),
    ("OfferPosted", 1, OfferPostedV1),
    ("RequestPosted", 1, RequestPostedV1),
    ("ResponseSent", 1, ResponseSentV1),
    ("ExchangeAgreed", 1, ExchangeAgreedV1),
    ("EventPublished", 1, EventPublishedV1),
    ("EventChanged", 1, EventChangedV1),
    ("EventCancelled", 1, EventCancelledV1),
    ("PlaceTaken", 1, PlaceTakenV1),
    ("PlaceReleased", 1, PlaceReleasedV1),
    ("AttendanceRecorded", 1, AttendanceRecordedV1),
    ("EventReminderDue", 1, EventReminderDueV1),
)
INTERNAL = {"ResponseSent", "EventReminderDue"}
