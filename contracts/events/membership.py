"""Events of the membership service (exchange `membership.events`).

`MemberJoined`, `MemberVerified` and `MemberUpdated` all carry the member as a
whole (`MemberSnapshot`) with its `version`, which goes up by one with every
change. A consumer keeps its copy by applying a snapshot only when its version is
newer than the one it holds, so repeats and late arrivals change nothing. After
`MemberLeft` a consumer keeps only a tombstone, and ignores every later event
about that member."""

from marshmallow import fields, validate

from contracts.events.common import EventData, area, language, tags

STATUSES = ("pending", "active", "lapsed", "left")
KINDS = ("individual", "organisation")
SECTORS = ("public", "third_sector", "private", "community_group", "citizen")
STORY_CHOICES = ("delete", "anonymise")


class Consents(EventData):
    """Each consent as it stands now; the history stays in membership."""

    privacy = fields.Boolean(required=True)
    listed = fields.Boolean(required=True)
    newsletter = fields.Boolean(required=True)
    share_progress = fields.Boolean(required=True)
    partner_contact = fields.Boolean(required=True)


class MemberSnapshot(EventData):
    """A member as other services may know them. No e-mail address: that travels
    only in the internal `ContactDetailsChanged`. `principles_version` is the
    newest version of the principles the member agreed to (optional: absent in
    events written before it was added)."""

    member_id = fields.UUID(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    name = fields.String(required=True)
    language = language(required=True)
    area = area(required=True)
    sector = fields.String(allow_none=True, validate=validate.OneOf(SECTORS))
    role = fields.String(allow_none=True)
    interests = tags(load_default=list)
    skills = tags(load_default=list)
    champions = fields.List(fields.UUID(), load_default=list)
    consents = fields.Nested(Consents, required=True)
    principles_version = fields.String(allow_none=True, load_default=None)
    joined_at = fields.AwareDateTime(required=True)
    verified_at = fields.AwareDateTime(allow_none=True, load_default=None)
    updated_at = fields.AwareDateTime(required=True)


class MemberJoinedV1(MemberSnapshot):
    """Someone filled in the form; they are `pending` until they confirm their
    address. Example::

        {"member_id": "5b0e…", "version": 1, "status": "pending",
         "kind": "individual", "name": "Gwenllïan Ŵyn", "language": "cy",
         "area": "W06000016", "sector": "third_sector", "role": "gweithiwr ieuenctid",
         "interests": ["ieuenctid"], "skills": ["hwyluso"], "champions": [],
         "consents": {"privacy": true, "listed": true, "newsletter": true,
                      "share_progress": false, "partner_contact": false},
         "joined_at": "2026-12-03T21:40:00+00:00", "verified_at": null,
         "updated_at": "2026-12-03T21:40:00+00:00"}
    """


class MemberVerifiedV1(MemberSnapshot):
    """The member confirmed their address and is now `active`: from here they count
    toward the drive, may be listed, and get their welcome."""


class MemberUpdatedV1(MemberSnapshot):
    """Profile, consents, language or status changed; `changed` names the fields."""

    changed = fields.List(fields.String(), required=True)


class MemberLeftV1(EventData):
    """The member left. With `erase`, every copy of their personal data goes, and
    their stories are deleted or kept without anything that identifies them, as
    `stories` says."""

    member_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    reason = fields.String(
        required=True, validate=validate.OneOf(["left", "unconfirmed", "removed"])
    )
    erase = fields.Boolean(required=True)
    stories = fields.String(required=True, validate=validate.OneOf(STORY_CHOICES))
    left_at = fields.AwareDateTime(required=True)


class PromiseUpdatedV1(EventData):
    """The member made or changed their Co-production Promise; `number` counts
    the versions from 1."""

    member_id = fields.UUID(required=True)
    promise_id = fields.UUID(required=True)
    number = fields.Integer(required=True, validate=validate.Range(min=1))
    text = fields.String(required=True)
    focus = fields.String(allow_none=True, load_default=None)
    by_date = fields.Date(allow_none=True, load_default=None)
    updated_at = fields.AwareDateTime(required=True)


class PrinciplesPublishedV1(EventData):
    """A new version of the co-production principles; members are asked to agree."""

    version = fields.String(required=True)
    published_at = fields.AwareDateTime(required=True)


class BadgeAwardedV1(EventData):
    """A Co-pro Hero Badge of a limited edition, with its number in the edition."""

    badge_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    edition = fields.String(required=True)
    number = fields.Integer(required=True, validate=validate.Range(min=1))
    assertion_url = fields.Url(required=True, require_tld=False)
    image_url = fields.Url(required=True, require_tld=False)
    awarded_at = fields.AwareDateTime(required=True)


class BadgeRevokedV1(EventData):
    badge_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    revoked_at = fields.AwareDateTime(required=True)


class ContactDetailsChangedV1(EventData):
    """Internal: where and how to write to a member, for notifications only."""

    member_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    language = language(required=True)
    newsletter = fields.Boolean(required=True)


class LinkRequestedV1(EventData):
    """Internal: a single-use link to send; the token is shown once, in the e-mail.
    `purpose` is `confirm` (the address, after joining) or `sign_in`."""

    member_id = fields.UUID(required=True)
    purpose = fields.String(
        required=True, validate=validate.OneOf(["confirm", "sign_in"])
    )
    email = fields.String(required=True)
    name = fields.String(required=True)
    language = language(required=True)
    token = fields.String(required=True)
    expires_at = fields.AwareDateTime(required=True)


class AlreadyMemberV1(EventData):
    """Internal: someone tried to join with the address of an existing member. The
    form's answer does not say so; the owner of the address is told instead."""

    member_id = fields.UUID(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    language = language(required=True)
    attempted_at = fields.AwareDateTime(required=True)


class CampaignSetV1(EventData):
    """A membership drive was started or changed: a target number of active
    members by a deadline (the first: 120 by 31 July)."""

    campaign_id = fields.UUID(required=True)
    name = fields.String(required=True)
    target = fields.Integer(required=True, validate=validate.Range(min=1))
    starts_on = fields.Date(required=True)
    deadline = fields.Date(required=True)
    set_at = fields.AwareDateTime(required=True)


class BaselineStoryToldV1(EventData):
    """Internal: the story a person gave on the joining form, for the stories
    service to keep as their baseline. The gateway has had it checked against the
    framework (`stories.check_story`) before the join was accepted; `story` is
    the story form exactly as the stories service takes it, without
    `member_id`."""

    member_id = fields.UUID(required=True)
    story = fields.Dict(required=True)
    told_at = fields.AwareDateTime(required=True)


class SuggestionAnsweredV1(EventData):
    """Internal: a coordinator answered a suggestion to improve a form, for the
    notifications service to pass the answer on. To a member by `member_id`;
    to someone who was not signed in by the `email` they left."""

    suggestion_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True, allow_none=True)
    email = fields.String(required=True, allow_none=True)
    language = language(required=True)
    form = fields.String(required=True)
    text = fields.String(required=True)
    answer = fields.String(required=True)
    answered_at = fields.AwareDateTime(required=True)


EVENTS = (
    ("MemberJoined", 1, MemberJoinedV1),
    ("MemberVerified", 1, MemberVerifiedV1),
    ("MemberUpdated", 1, MemberUpdatedV1),
    ("MemberLeft", 1, MemberLeftV1),
    ("PromiseUpdated", 1, PromiseUpdatedV1),
    ("PrinciplesPublished", 1, PrinciplesPublishedV1),
    ("BadgeAwarded", 1, BadgeAwardedV1),
    ("BadgeRevoked", 1, BadgeRevokedV1),
    ("ContactDetailsChanged", 1, ContactDetailsChangedV1),
    ("LinkRequested", 1, LinkRequestedV1),
    ("AlreadyMember", 1, AlreadyMemberV1),
    ("CampaignSet", 1, CampaignSetV1),
    ("BaselineStoryTold", 1, BaselineStoryToldV1),
    ("SuggestionAnswered", 1, SuggestionAnsweredV1),
)
INTERNAL = {
    "ContactDetailsChanged",
    "LinkRequested",
    "AlreadyMember",
    "BaselineStoryTold",
    "SuggestionAnswered",
}
