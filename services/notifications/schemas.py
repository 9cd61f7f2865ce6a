"""What the notifications service's RPCs take and give. Input is parsed here and
nowhere else (with `infra.validation.parse`)."""

from marshmallow import Schema, fields, validate

from contracts.fields import Text
from services.notifications.deliveries import FINISHED
from services.notifications.webhooks import PUBLIC_TYPES

STATUSES = ("pending", "sending", *FINISHED)
PREVIEW_LANGUAGES = ("cy", "en", "both")


class PageSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class DeliveryQuerySchema(PageSchema):
    """`{"status": "failed", "template": "welcome", "page": 1, "per_page": 20}`"""

    status = fields.String(validate=validate.OneOf(STATUSES))
    template = fields.String(validate=validate.Length(1, 50))
    member_id = fields.UUID()


class DeliverySchema(Schema):
    """One line of the delivery log: what, to whom, when, how it went. No body."""

    id = fields.String()
    template = fields.String()
    member_id = fields.String()
    recipient = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    status = fields.String()
    attempts = fields.Integer()
    error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)
    failed_at = fields.AwareDateTime(allow_none=True)
    issue_id = fields.String(allow_none=True)


class DeliveryPageSchema(PageSchema):
    items = fields.List(fields.Nested(DeliverySchema))
    total = fields.Integer()


class IssueQuerySchema(PageSchema):
    status = fields.String(validate=validate.OneOf(("draft", "sending", "sent")))


class IssueEditSchema(Schema):
    """A coordinator's changes to a draft: titles, introductions (each language),
    and the ids of items to leave out. Example::

        {"title_cy": "Newyddion yr hydref", "intro_en": "A busy season...",
         "drop": ["area:W06000015"]}
    """

    title_cy = Text(multiline=False, validate=validate.Length(1, 200))
    title_en = Text(multiline=False, validate=validate.Length(1, 200))
    intro_cy = Text(validate=validate.Length(max=5000))
    intro_en = Text(validate=validate.Length(max=5000))
    drop = fields.List(fields.String(validate=validate.Length(1, 80)))


class PreviewSchema(Schema):
    language = fields.String(
        load_default="both", validate=validate.OneOf(PREVIEW_LANGUAGES)
    )


class IssueSchema(Schema):
    id = fields.String()
    number = fields.Integer(allow_none=True)
    status = fields.String()
    content = fields.Dict()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    sending_at = fields.AwareDateTime(allow_none=True)
    issued_at = fields.AwareDateTime(allow_none=True)
    recipients = fields.Integer()


class ProgressSchema(Schema):
    """How far sending an issue has got."""

    issue_id = fields.String()
    status = fields.String()
    recipients = fields.Integer()
    sent = fields.Integer()
    failed = fields.Integer()
    cancelled = fields.Integer()
    to_go = fields.Integer()


class RenderedSchema(Schema):
    """An issue as a subscriber (or the web) gets it."""

    subject = fields.String()
    text = fields.String()
    html = fields.String()
    language = fields.String()


class IssuePageSchema(PageSchema):
    items = fields.List(fields.Nested(IssueSchema))
    total = fields.Integer()


class ArchiveQuerySchema(Schema):
    number = fields.Integer(required=True, validate=validate.Range(min=1))
    audience = fields.String(
        load_default="public", validate=validate.OneOf(("public", "members"))
    )


class IssueSummarySchema(Schema):
    id = fields.String()
    number = fields.Integer(allow_none=True)
    sending_at = fields.AwareDateTime(allow_none=True)
    issued_at = fields.AwareDateTime(allow_none=True)


class ArchivedSchema(RenderedSchema):
    issue = fields.Nested(IssueSummarySchema)


class WebhookFormSchema(Schema):
    """A partner's endpoint. Example::

    {"url": "https://partner.example/hooks", "event_types": ["MemberVerified"],
     "secret": "whsec_...", "description": "Cyngor ... dashboard"}
    """

    url = fields.Url(
        required=True,
        schemes={"https"},
        require_tld=False,
        validate=validate.Length(max=2000),
    )
    event_types = fields.List(
        fields.String(validate=validate.OneOf(PUBLIC_TYPES)),
        required=True,
        validate=validate.Length(min=1),
    )
    secret = fields.String(validate=validate.Length(max=200))
    description = Text(multiline=False, validate=validate.Length(max=300))


class WebhookChangeSchema(WebhookFormSchema):
    status = fields.String(validate=validate.OneOf(("active", "paused")))

    class Meta:
        exclude = ("secret",)


class WebhookSchema(Schema):
    id = fields.String()
    url = fields.String()
    event_types = fields.List(fields.String())
    description = fields.String(allow_none=True)
    status = fields.String()
    failing_since = fields.AwareDateTime(allow_none=True)
    paused_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()


class RegisteredWebhookSchema(WebhookSchema):
    """A new subscription, with its secret shown this once."""

    secret = fields.String()


class UnsubscribeStateSchema(Schema):
    subscribed = fields.Boolean()


class WebhookPageSchema(PageSchema):
    items = fields.List(fields.Nested(WebhookSchema))
    total = fields.Integer()


class AttemptSchema(Schema):
    attempted_at = fields.AwareDateTime()
    status_code = fields.Integer(allow_none=True)
    response = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    ms = fields.Integer()


class WebhookDeliverySchema(Schema):
    """What was sent (the body, byte for byte) and every answer that came back."""

    id = fields.String(attribute="delivery.id")
    event_id = fields.String(attribute="delivery.event_id")
    event_type = fields.String(attribute="delivery.event_type")
    body = fields.String(attribute="delivery.body")
    status = fields.String(attribute="delivery.status")
    attempts = fields.Integer(attribute="delivery.attempts")
    created_at = fields.AwareDateTime(attribute="delivery.created_at")
    delivered_at = fields.AwareDateTime(attribute="delivery.delivered_at")
    next_attempt_at = fields.AwareDateTime(attribute="delivery.next_attempt_at")
    tries = fields.List(fields.Nested(AttemptSchema), attribute="attempts")


class WebhookLogSchema(PageSchema):
    items = fields.List(fields.Nested(WebhookDeliverySchema))
    total = fields.Integer()
