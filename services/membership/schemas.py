from marshmallow import Schema, fields, validate

from contracts.events.common import LANGUAGES
from contracts.fields import Email, PrincipalArea, Text

KINDS = ("individual", "organisation")


class JoinSchema(Schema):
    """The joining form. Example::

    {"name": "Siân Llŷr", "email": "sian@example.cymru", "area": "Caerdydd",
     "language": "cy", "listed": true,
     "promise": "Byddaf yn gwahodd pobl sy'n defnyddio ein gwasanaeth i'w gynllunio."}
    """

    kind = fields.String(load_default="individual", validate=validate.OneOf(KINDS))
    name = Text(required=True, multiline=False, validate=validate.Length(1, 200))
    email = Email(required=True, validate=validate.Length(max=320))
    area = PrincipalArea(required=True)
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    listed = fields.Boolean(required=True)
    promise = Text(required=True, validate=validate.Length(10, 2000))


class MemberSchema(Schema):
    """A member as others may see it: no e-mail address."""

    id = fields.String()
    kind = fields.String()
    name = fields.String()
    area = fields.String()
    language = fields.String()
    listed = fields.Boolean()
    status = fields.String()
    joined_at = fields.AwareDateTime()
