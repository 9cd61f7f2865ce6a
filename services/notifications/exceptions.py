from contracts.errors import PlatformError


class SendFailed(PlatformError):
    """The mail server or folder did not take the message."""
