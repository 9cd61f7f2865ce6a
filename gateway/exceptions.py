from contracts.errors import NotFound, PlatformError


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


class NotFoundHere(NotFound):
    """The gateway itself has nothing at this address (a file, a language)."""


class TooManyRequests(PlatformError):
    """A rate limit was reached; `retry_after` says in how many seconds to try."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
