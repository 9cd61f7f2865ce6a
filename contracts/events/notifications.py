"""Events of the notifications service (exchange `notifications.events`)."""

from marshmallow import fields

from contracts.events.common import EventData


class EmailSentV1(EventData):
    """An e-mail left the platform. No address and no body, only what and why."""

    delivery_id = fields.UUID(required=True)
    member_id = fields.UUID(allow_none=True, load_default=None)
    template = fields.String(required=True)
    sent_at = fields.AwareDateTime(required=True)


class EmailFailedV1(EventData):
    """An e-mail could not be delivered after every retry."""

    delivery_id = fields.UUID(required=True)
    member_id = fields.UUID(allow_none=True, load_default=None)
    template = fields.String(required=True)
    attempts = fields.Integer(required=True)
    failed_at = fields.AwareDateTime(required=True)


class NewsletterIssuedV1(EventData):
    """A newsletter issue was sent; its web copy is at `url`."""

    issue_id = fields.UUID(required=True)
    number = fields.Integer(required=True)
    title_cy = fields.String(required=True)
    title_en = fields.String(required=True)
    url = fields.Url(required=True, require_tld=False)
    issued_at = fields.AwareDateTime(required=True)


class NewsletterUnsubscribedV1(EventData):
    """Internal: a member unsubscribed from the newsletter with the one-click link
    in an issue; membership records the newsletter consent as withdrawn."""

    member_id = fields.UUID(required=True)
    unsubscribed_at = fields.AwareDateTime(required=True)


EVENTS = (
    ("EmailSent", 1, EmailSentV1),
    ("EmailFailed", 1, EmailFailedV1),
    ("NewsletterIssued", 1, NewsletterIssuedV1),
    ("NewsletterUnsubscribed", 1, NewsletterUnsubscribedV1),
)
INTERNAL = {"NewsletterUnsubscribed"}
