"""The shapes of what the membership service answers (its RPC replies, and so
the gateway's JSON)."""

from marshmallow import Schema, fields


class ConsentsOut(Schema):
    privacy = fields.Boolean()
    listed = fields.Boolean()
    newsletter = fields.Boolean()
    share_progress = fields.Boolean()
    partner_contact = fields.Boolean()


class PromiseOut(Schema):
    id = fields.String()
    number = fields.Integer()
    text = fields.String()
    focus = fields.String(allow_none=True)
    by_date = fields.Date(allow_none=True)
    created_at = fields.AwareDateTime()


class MemberSchema(Schema):
    """A member as they (or a coordinator) see their own record."""

    id = fields.String()
    kind = fields.String()
    status = fields.String()
    role_in_network = fields.String(attribute="access_role")
    version = fields.Integer()
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    area = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    about_life = fields.String(allow_none=True)
    about_work = fields.String(allow_none=True)
    about_community = fields.String(allow_none=True)
    interests = fields.List(fields.String())
    skills = fields.List(fields.String())
    consents = fields.Nested(ConsentsOut)
    principles_version = fields.String(allow_none=True)
    joined_at = fields.AwareDateTime()
    verified_at = fields.AwareDateTime(allow_none=True)
    updated_at = fields.AwareDateTime()
    left_at = fields.AwareDateTime(allow_none=True)


class SignedInSchema(Schema):
    """Who a redeemed link signed in: enough for the gateway's session."""

    member_id = fields.String(attribute="id")
    role = fields.String(attribute="access_role")
    status = fields.String()


class CampaignOut(Schema):
    id = fields.String()
    name = fields.String()
    target = fields.Integer()
    starts_on = fields.Date()
    deadline = fields.Date()
    set_at = fields.AwareDateTime()


class ReceivedSchema(Schema):
    """The same answer to every join, and to every request for a sign-in link."""

    status = fields.String()
    detail = fields.String()


class PromisePage(Schema):
    items = fields.List(fields.Nested(PromiseOut))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class MemberPage(PromisePage):
    items = fields.List(fields.Nested(MemberSchema))


class CampaignPage(PromisePage):
    items = fields.List(fields.Nested(CampaignOut))


class ApiKeyOut(Schema):
    """A key as coordinators see it in lists: never its secret."""

    id = fields.String()
    prefix = fields.String()
    partner = fields.String()
    label = fields.String()
    scopes = fields.List(fields.String())
    created_by = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)


class ApiKeyPage(Schema):
    items = fields.List(fields.Nested(ApiKeyOut))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class NewApiKeyOut(ApiKeyOut):
    """A key just made: `key` is the whole key, shown this once."""

    key = fields.String()


class PartnerOut(Schema):
    """Who an API key speaks for: `{"partner_id": "cyngor-caerdydd",
    "scopes": ["directory:read"]}`."""

    partner_id = fields.String(attribute="partner")
    scopes = fields.List(fields.String())


class SuggestionOut(Schema):
    """A suggestion and its answer, as coordinators (and its maker) see it."""

    id = fields.String()
    form = fields.String()
    text = fields.String()
    language = fields.String(allow_none=True)
    member_id = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    answer = fields.String(allow_none=True)
    answered_at = fields.AwareDateTime(allow_none=True)


class SuggestionPage(Schema):
    items = fields.List(fields.Nested(SuggestionOut))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
