"""The membership service's errors; the gateway rebuilds them from RPC replies."""

from nameko.exceptions import deserialize_to_instance

from contracts.errors import Conflict, InvalidInput, NotFound, PlatformError


@deserialize_to_instance
class MemberNotFound(NotFound):
    pass


@deserialize_to_instance
class MemberHasLeft(Conflict):
    pass


@deserialize_to_instance
class LinkNotValid(InvalidInput):
    """The link is unknown, used, expired, or for something else."""

    def __init__(self, errors: dict | None = None):
        super().__init__(
            errors
            or {"token": ["This link has expired or was used. Ask for a new one."]}
        )


@deserialize_to_instance
class IdempotencyKeyReused(Conflict):
    pass


@deserialize_to_instance
class CampaignNotFound(NotFound):
    pass


@deserialize_to_instance
class BadgeNotFound(NotFound):
    pass


@deserialize_to_instance
class ApiKeyNotFound(NotFound):
    pass


@deserialize_to_instance
class ApiKeyNotValid(PlatformError):
    """The key offered is unknown, malformed or revoked."""


@deserialize_to_instance
class SuggestionNotFound(NotFound):
    pass
