"""The directory's errors; the gateway maps each family to an HTTP status."""

from nameko.exceptions import deserialize_to_instance

from contracts.errors import Conflict, InvalidInput, NotFound


@deserialize_to_instance
class ListingNotFound(NotFound):
    pass


@deserialize_to_instance
class PostNotFound(NotFound):
    pass


@deserialize_to_instance
class ResponseNotFound(NotFound):
    pass


@deserialize_to_instance
class NotAnActiveMember(Conflict):
    """The directory does not (yet) know the member as active or lapsed."""


@deserialize_to_instance
class PostClosed(Conflict):
    """The post has ended, or its poster closed it."""


@deserialize_to_instance
class OwnPost(Conflict):
    """A member cannot respond to, or agree an exchange on, their own post."""


@deserialize_to_instance
class NotAParty(Conflict):
    """Only the poster and the responder can agree an exchange."""


@deserialize_to_instance
class AlreadyAgreed(Conflict):
    pass


@deserialize_to_instance
class BadAgreement(InvalidInput):
    """An agreement that cannot stand, naming the field (such as `hours`)."""


@deserialize_to_instance
class TaxonomyNotFound(NotFound):
    pass


@deserialize_to_instance
class EventNotFound(NotFound):
    """No such event, or it is not public and the caller is not its organiser."""


@deserialize_to_instance
class BadEvent(InvalidInput):
    """An event whose fields do not fit together, naming the field."""


@deserialize_to_instance
class EventNotOpen(Conflict):
    """The event is not public, is cancelled, or has begun: no sign-ups."""


@deserialize_to_instance
class EventNotChangeable(Conflict):
    """A cancelled or rejected event, or a proposal that was decided already."""


@deserialize_to_instance
class NoPlace(Conflict):
    """Attendance is marked only for members with a place, once the event began."""
