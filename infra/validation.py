from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from contracts.errors import InvalidInput


def parse(schema: Schema, payload: Any) -> dict[str, Any]:
    """Load `payload` through `schema`, raising our `InvalidInput` with every
    field's messages when it does not fit."""
    if not isinstance(payload, dict):
        raise InvalidInput({"_schema": ["Expected a JSON object."]})
    try:
        return schema.load(payload)
    except ValidationError as error:
        raise InvalidInput(error.normalized_messages()) from error


class IdempotencyKeySchema(Schema):
    """The `Idempotency-Key` header: printable ASCII, at most 200 characters."""

    key = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^[\x21-\x7e]{1,200}$"),
    )


def idempotency_key_of(header: str | None) -> str | None:
    """The header's value once checked; `InvalidInput` naming `key` if it is bad."""
    return parse(IdempotencyKeySchema(), {"key": header})["key"]
