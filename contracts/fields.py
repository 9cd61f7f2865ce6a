"""Input fields every service parses the same way."""

import re

from email_validator import EmailNotValidError, validate_email
from marshmallow import ValidationError, fields

from contracts import areas
from contracts.text import nfc

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Text(fields.String):
    """Free text kept as typed, in Unicode NFC, trimmed; control characters refused.
    With `multiline=False` a line break is refused too."""

    def __init__(self, *args, multiline: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = nfc(super()._deserialize(value, attr, data, **kwargs)).strip()
        if _CONTROL.search(text) or (not self.multiline and "\n" in text):
            raise ValidationError("Contains characters that are not allowed.")
        return text


class Email(fields.String):
    """An e-mail address checked for shape (not by asking its server)."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise ValidationError(f"Not a valid e-mail address: {error}") from error


class PrincipalArea(fields.String):
    """A principal area of Wales by code or name; loads as its ONS code."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        area = areas.resolve(super()._deserialize(value, attr, data, **kwargs))
        if area is None:
            raise ValidationError(
                "Not a principal area of Wales. Give its name in Welsh or English "
                "(such as Caerdydd or Cardiff) or its ONS code (such as W06000015)."
            )
        return area.code
