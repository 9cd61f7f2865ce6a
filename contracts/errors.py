"""Errors that cross the RPC boundary. nameko turns each back into an instance on
the caller's side, so the gateway can map them to HTTP in one table."""

from nameko.exceptions import deserialize_to_instance


class PlatformError(Exception):
    """Base of every error a service raises on purpose."""


@deserialize_to_instance
class InvalidInput(PlatformError):
    """Input failed validation; `errors` maps each field to its messages."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


@deserialize_to_instance
class NotFound(PlatformError):
    pass


@deserialize_to_instance
class Conflict(PlatformError):
    pass
