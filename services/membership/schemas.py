"""Every input the membership service takes, parsed in one place, and the shapes
of what it answers."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import postcode as uk_postcode
from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from contracts import principles
from contracts.events.common import LANGUAGES
from contracts.events.membership import KINDS, SECTORS, STORY_CHOICES
from contracts.fields import Email, PrincipalArea, Text
from contracts.scopes import SCOPES
from contracts.text import fold

LONDON = ZoneInfo("Europe/London")
CONSENTS = ("privacy", "listed", "newsletter", "share_progress", "partner_contact")


class Postcode(fields.String):
    """A UK postcode in any case and spacing; loads as `CF10 1AA`."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        normalised = uk_postcode.to_normalised(text) if len(text) <= 10 else None
        if normalised is None:
            raise ValidationError(
                "Not a UK postcode. Write it like CF10 1AA or SA1 1AA "
                "(letters, digits, a space, a digit and two letters)."
            )
        return normalised


def _language(**kwargs) -> fields.String:
    return fields.String(allow_none=True, validate=validate.OneOf(LANGUAGES), **kwargs)


def _tags() -> fields.List:
    tag = Text(multiline=False, validate=validate.Length(1, 60))
    return fields.List(tag, load_default=list, validate=validate.Length(max=30))


def _short_text(length: int) -> Text:
    return Text(
        load_default=None, allow_none=True, validate=validate.Length(max=length)
    )


def _distinct(tags: list[str]) -> list[str]:
    seen, kept = set(), []
    for tag in tags:
        if fold(tag) not in seen:
            seen.add(fold(tag))
            kept.append(tag)
    return kept


class ConsentsSchema(Schema):
    """Each consent separately; the privacy notice must be accepted to join."""

    privacy = fields.Boolean(required=True)
    listed = fields.Boolean(load_default=False)
    newsletter = fields.Boolean(load_default=False)
    share_progress = fields.Boolean(load_default=False)
    partner_contact = fields.Boolean(load_default=False)

    @validates("privacy")
    def _privacy_accepted(self, value: bool, **kwargs) -> None:
        if value is not True:
            raise ValidationError("The privacy notice must be accepted to be a member.")


class ConsentChangesSchema(ConsentsSchema):
    """Consents to change; only the ones named change."""

    privacy = fields.Boolean()
    listed = fields.Boolean()
    newsletter = fields.Boolean()
    share_progress = fields.Boolean()
    partner_contact = fields.Boolean()


class PromiseSchema(Schema):
    """What the member will do: `{"text": "…", "focus": "trust_power",
    "by_date": "2027-03-31"}`; `focus` and `by_date` may be left out."""

    text = Text(required=True, validate=validate.Length(10, 2000))
    focus = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(principles.current().ids),
    )
    by_date = fields.Date(load_default=None, allow_none=True)

    @validates("by_date")
    def _not_in_the_past(self, value: date | None, **kwargs) -> None:
        if value is not None and value < datetime.now(LONDON).date():
            raise ValidationError("The date cannot be in the past.")


class ProfileFields(Schema):
    """What a member says about themselves: on the form, and when they change it."""

    name = Text(required=True, multiline=False, validate=validate.Length(1, 200))
    language = _language(load_default=None)
    area = PrincipalArea(required=True)
    postcode = Postcode(load_default=None, allow_none=True)
    sector = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(SECTORS)
    )
    role = Text(
        load_default=None,
        allow_none=True,
        multiline=False,
        validate=validate.Length(max=120),
    )
    about_life = _short_text(1000)
    about_work = _short_text(1000)
    about_community = _short_text(1000)
    interests = _tags()
    skills = _tags()

    @post_load
    def _tidy(self, data: dict, **kwargs) -> dict:
        for key in ("interests", "skills"):
            if key in data:
                data[key] = _distinct(data[key])
        for key in ("role", "about_life", "about_work", "about_community"):
            if data.get(key) == "":
                data[key] = None
        return data


class JoinSchema(ProfileFields):
    """The joining form. Example::

    {"kind": "individual", "name": "Siân Llŷr", "email": "sian@example.cymru",
     "language": "cy", "area": "Caerdydd", "postcode": "cf10 1aa",
     "sector": "third_sector", "role": "Gweithiwr ieuenctid",
     "about_life": "…", "about_work": "…", "about_community": "…",
     "interests": ["ieuenctid"], "skills": ["hwyluso"],
     "principles_version": "1",
     "promise": {"text": "Byddaf yn gwahodd pobl i gynllunio gyda ni.",
                 "focus": "trust_power", "by_date": null},
     "consents": {"privacy": true, "listed": true, "newsletter": false,
                  "share_progress": false, "partner_contact": false}}

    An organisation (`"kind": "organisation"`) names its co-production champions
    by e-mail address in `champions`; each is a member in their own right.
    `story`, when present, is a baseline story the gateway has had checked."""

    kind = fields.String(load_default="individual", validate=validate.OneOf(KINDS))
    email = Email(required=True, validate=validate.Length(max=320))
    champions = fields.List(
        Email(validate=validate.Length(max=320)),
        load_default=list,
        validate=validate.Length(max=10),
    )
    principles_version = fields.String(required=True, validate=validate.Length(1, 20))
    promise = fields.Nested(PromiseSchema, required=True)
    consents = fields.Nested(ConsentsSchema, required=True)
    story = fields.Dict(load_default=None, allow_none=True)

    @validates_schema
    def _champions_fit_the_kind(self, data: dict, **kwargs) -> None:
        champions = data.get("champions", [])
        if data.get("kind") == "organisation" and not champions:
            raise ValidationError(
                "Name at least one co-production champion by e-mail address.",
                "champions",
            )
        if data.get("kind") == "individual" and champions:
            raise ValidationError("Only an organisation names champions.", "champions")


class UpdateSchema(ProfileFields):
    """A change to a member's profile, language or consents; send only what
    changes: `{"language": "en", "consents": {"listed": false}}`."""

    name = Text(multiline=False, validate=validate.Length(1, 200))
    language = _language()
    area = PrincipalArea()
    postcode = Postcode(allow_none=True)
    sector = fields.String(allow_none=True, validate=validate.OneOf(SECTORS))
    role = Text(allow_none=True, multiline=False, validate=validate.Length(max=120))
    about_life = Text(allow_none=True, validate=validate.Length(max=1000))
    about_work = Text(allow_none=True, validate=validate.Length(max=1000))
    about_community = Text(allow_none=True, validate=validate.Length(max=1000))
    interests = fields.List(
        Text(multiline=False, validate=validate.Length(1, 60)),
        validate=validate.Length(max=30),
    )
    skills = fields.List(
        Text(multiline=False, validate=validate.Length(1, 60)),
        validate=validate.Length(max=30),
    )
    consents = fields.Nested(ConsentChangesSchema)

    @validates("consents")
    def _privacy_stays(self, value: dict, **kwargs) -> None:
        if value.get("privacy") is False:
            raise ValidationError(
                "The privacy notice cannot be withdrawn while a member; "
                "leave the network instead."
            )

    @validates_schema
    def _something_changes(self, data: dict, **kwargs) -> None:
        if not data:
            raise ValidationError("Name at least one thing to change.", "_schema")


class EmailSchema(Schema):
    email = Email(required=True, validate=validate.Length(max=320))


class TokenSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(20, 100))


class AgreeSchema(Schema):
    version = fields.String(required=True, validate=validate.Length(1, 20))


class PublishSchema(AgreeSchema):
    """Publish a version of the principles: `{"version": "2"}`."""


class LeaveSchema(Schema):
    """Leave the network: `{"erase": true, "stories": "anonymise"}`."""

    erase = fields.Boolean(load_default=False)
    stories = fields.String(
        load_default="anonymise", validate=validate.OneOf(STORY_CHOICES)
    )


class PageSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class MemberListSchema(PageSchema):
    status = fields.String(
        load_default=None,
        validate=validate.OneOf(("pending", "active", "lapsed", "left")),
    )


class CampaignSchema(Schema):
    """A drive: `{"name": "…", "target": 120, "starts_on": "2026-12-01",
    "deadline": "2027-07-31"}`."""

    name = Text(required=True, multiline=False, validate=validate.Length(1, 200))
    target = fields.Integer(required=True, validate=validate.Range(1, 1_000_000))
    starts_on = fields.Date(required=True)
    deadline = fields.Date(required=True)

    @validates_schema
    def _deadline_after_start(self, data: dict, **kwargs) -> None:
        if {"starts_on", "deadline"} <= set(data) and (
            data["deadline"] <= data["starts_on"]
        ):
            raise ValidationError("The deadline comes after the start.", "deadline")


class CampaignChangeSchema(CampaignSchema):
    name = Text(multiline=False, validate=validate.Length(1, 200))
    target = fields.Integer(validate=validate.Range(1, 1_000_000))
    starts_on = fields.Date()
    deadline = fields.Date()


class RevokeSchema(Schema):
    reason = Text(
        load_default="Withdrawn by the network.",
        multiline=False,
        validate=validate.Length(1, 200),
    )


class _Ids(Schema):
    @post_load
    def _as_text(self, data: dict, **kwargs) -> dict:
        return {key: str(value) for key, value in data.items()}


class MemberIdSchema(_Ids):
    member_id = fields.UUID(required=True)


class BadgeIdSchema(_Ids):
    badge_id = fields.UUID(required=True)


class CampaignIdSchema(_Ids):
    campaign_id = fields.UUID(required=True)


class CampaignRefSchema(Schema):
    """A campaign's id, or `current`."""

    campaign_id = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^(current|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
        ),
    )


class EditionSchema(Schema):
    edition = fields.String(
        required=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,40}$")
    )


class LeaveReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(("left", "removed")))


class ApiKeySchema(Schema):
    """A new key for a partner system: `{"partner": "cyngor-caerdydd",
    "label": "Directory sync", "scopes": ["directory:read"]}`. Keys of one
    `partner` share its webhook subscriptions, so a key can be replaced."""

    partner = fields.String(
        required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,59}$")
    )
    label = Text(required=True, multiline=False, validate=validate.Length(1, 200))
    scopes = fields.List(
        fields.String(validate=validate.OneOf(sorted(SCOPES))),
        required=True,
        validate=validate.Length(min=1),
    )

    @post_load
    def _distinct_scopes(self, data: dict, **kwargs) -> dict:
        data["scopes"] = sorted(set(data["scopes"]))
        return data


class ApiKeyListSchema(PageSchema):
    partner = fields.String(load_default=None, validate=validate.Length(1, 60))
    revoked = fields.Boolean(load_default=False)


class ApiKeyIdSchema(_Ids):
    key_id = fields.UUID(required=True)


class OfferedKeySchema(Schema):
    key = fields.String(required=True, validate=validate.Length(1, 200))


FORMS = ("join", "feedback", "story", "directory", "other")


class SuggestionSchema(Schema):
    """A suggestion to improve a form: `{"form": "join", "text": "…",
    "language": "cy", "email": null}`. `email`, for an answer, only from
    someone who is not signed in."""

    form = fields.String(load_default="other", validate=validate.OneOf(FORMS))
    text = Text(required=True, validate=validate.Length(3, 2000))
    language = _language(load_default=None)
    email = Email(load_default=None, allow_none=True, validate=validate.Length(max=320))

    @post_load
    def _no_empty_email(self, data: dict, **kwargs) -> dict:
        data["email"] = data.get("email") or None
        return data


class SuggestionListSchema(PageSchema):
    status = fields.String(
        load_default="open", validate=validate.OneOf(("open", "answered", "all"))
    )
    form = fields.String(load_default=None, validate=validate.OneOf(FORMS))
    member_id = fields.UUID(load_default=None)

    @post_load
    def _id_as_text(self, data: dict, **kwargs) -> dict:
        data["member_id"] = str(data["member_id"]) if data["member_id"] else None
        return data


class AnswerSchema(Schema):
    answer = Text(required=True, validate=validate.Length(1, 4000))


class SuggestionIdSchema(_Ids):
    suggestion_id = fields.UUID(required=True)
