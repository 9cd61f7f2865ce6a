"""Errors of the notifications service. Those that cross RPC are rebuilt on the
gateway's side (it imports this module) and mapped to HTTP in one table."""

from nameko.exceptions import deserialize_to_instance

from contracts.errors import Conflict, InvalidInput, NotFound, PlatformError


class SendFailed(PlatformError):
    """The mail server or folder did not take the message. `definite` when it
    said so (a reply code), not when the line went quiet; `permanent` when it
    said it never will (5xx), so trying again is pointless."""

    def __init__(self, message: str, permanent: bool = False, definite: bool = True):
        super().__init__(message)
        self.permanent, self.definite = permanent, definite


@deserialize_to_instance
class DeliveryNotFound(NotFound):
    pass


@deserialize_to_instance
class DeliveryNotRetryable(Conflict):
    """Only a failed or uncertain message can be sent again, once, by hand."""


@deserialize_to_instance
class IssueNotFound(NotFound):
    pass


@deserialize_to_instance
class IssueNotDraft(Conflict):
    """The issue has been sent (or is being sent) and can no longer change."""


@deserialize_to_instance
class UnsubscribeLinkInvalid(NotFound):
    """The unsubscribe link was altered, made up, or belongs to nobody now."""


@deserialize_to_instance
class WebhookNotFound(NotFound):
    pass


@deserialize_to_instance
class WebhookRefused(InvalidInput):
    """The endpoint or secret a partner gave cannot be used."""
