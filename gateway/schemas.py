"""Shapes of the answers the gateway makes itself."""

from marshmallow import Schema, fields, validate


class HealthSchema(Schema):
    """`ok` or `unavailable` for the broker and each service."""

    status = fields.String(validate=validate.OneOf(["ok", "unavailable"]))
    checks = fields.Dict(keys=fields.String(), values=fields.String())
