from contracts.errors import PlatformError


class ServiceUnavailable(PlatformError):
    """A service behind the gateway did not answer in time, or is not running."""


class BadRequestBody(PlatformError):
    """The body is not JSON, or not the JSON object the route expects."""


class BodyTooLarge(PlatformError):
    pass


class Unauthenticated(PlatformError):
    """Nobody is signed in, and the action needs someone who is."""


class Forbidden(PlatformError):
    """Someone is signed in, but this action is not theirs to take."""
