"""Schemas of the `data` of every event, shared by producers, consumers and the
published event documentation. A change that would break a consumer is a new
version of the event, registered beside the old one."""

from dataclasses import dataclass

from marshmallow import Schema, fields, validate

LANGUAGES = ("cy", "en")


class MemberJoinedV1(Schema):
    """A person or organisation joined the network.

    Carries the contact details the welcome e-mail needs and the listing details
    the directory needs; nothing more. Example::

        {"member_id": "5b0e…", "kind": "individual", "name": "Gwenllïan Ŵyn",
         "email": "gwen@example.cymru", "language": "cy", "area": "W06000016",
         "listed": true, "joined_at": "2026-12-03T21:40:00+00:00", "version": 1}
    """

    member_id = fields.UUID(required=True)
    kind = fields.String(
        required=True, validate=validate.OneOf(["individual", "organisation"])
    )
    name = fields.String(required=True)
    email = fields.String(required=True)
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    area = fields.String(required=True)
    listed = fields.Boolean(required=True)
    joined_at = fields.AwareDateTime(required=True)
    version = fields.Integer(required=True)


class StorySubmittedV1(Schema):
    """A member told a story. The text stays in the stories service."""

    story_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    sharing = fields.String(
        required=True, validate=validate.OneOf(["coordinators", "members", "public"])
    )
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    submitted_at = fields.AwareDateTime(required=True)


class EmailSentV1(Schema):
    """An e-mail left the platform. No address and no body, only what and why."""

    delivery_id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    template = fields.String(required=True)
    sent_at = fields.AwareDateTime(required=True)


@dataclass(frozen=True)
class EventType:
    service: str
    name: str
    version: int
    schema: type[Schema]

    @property
    def exchange(self) -> str:
        return f"{self.service}.events"


CATALOGUE = (
    EventType("membership", "MemberJoined", 1, MemberJoinedV1),
    EventType("stories", "StorySubmitted", 1, StorySubmittedV1),
    EventType("notifications", "EmailSent", 1, EmailSentV1),
)


def lookup(name: str) -> EventType:
    return next(event for event in CATALOGUE if event.name == name)
