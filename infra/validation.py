from typing import Any

from marshmallow import Schema, ValidationError

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
