"""Errors the stories service raises on purpose; the gateway maps them to HTTP."""

from nameko.exceptions import deserialize_to_instance

from contracts.errors import Conflict, InvalidInput, NotFound


@deserialize_to_instance
class StoryNotFound(NotFound):
    pass


@deserialize_to_instance
class FrameworkNotFound(NotFound):
    pass


@deserialize_to_instance
class QuestionNotFound(NotFound):
    pass


@deserialize_to_instance
class IdempotencyKeyReused(Conflict):
    """The teller sent this `Idempotency-Key` before with a different story."""


@deserialize_to_instance
class MemberHasLeft(Conflict):
    """The member left the network; nothing more is kept for them."""


@deserialize_to_instance
class NoOpenRound(Conflict):
    """No feedback round is waiting for this member."""


@deserialize_to_instance
class FeedbackAlreadyGiven(Conflict):
    pass


@deserialize_to_instance
class NotAChart(InvalidInput):
    """The question has no picture (only triads and dyads do)."""
