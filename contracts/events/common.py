"""Pieces every event schema is made of."""

from marshmallow import EXCLUDE, Schema, fields, validate

LANGUAGES = ("cy", "en")
SHARING = ("coordinators", "members", "public")


class EventData(Schema):
    """Base of every event's data: unknown fields are ignored when loading, so a
    producer may add an optional field without breaking anyone."""

    class Meta:
        unknown = EXCLUDE


def language(**kwargs) -> fields.String:
    """`cy`, `en`, or null for a member with no preference (who is written to in
    Welsh and English together, Welsh first)."""
    return fields.String(allow_none=True, validate=validate.OneOf(LANGUAGES), **kwargs)


def area(**kwargs) -> fields.String:
    """The ONS code of a principal area of Wales, such as `W06000015`."""
    return fields.String(validate=validate.Regexp(r"^W06\d{6}$"), **kwargs)


def tags(**kwargs) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(1, 60)), **kwargs)
