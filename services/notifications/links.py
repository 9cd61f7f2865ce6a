"""Every address an e-mail points to, in one place. The confirm, sign-in,
unsubscribe and newsletter links are agreed with the gateway; the others point at
the site until the web pages they name exist."""

from services.notifications.settings import Settings


def confirm(settings: Settings, token: str) -> str:
    return f"{settings.public_url}/confirm/{token}"


def sign_in(settings: Settings, token: str) -> str:
    return f"{settings.public_url}/sign-in/{token}"


def unsubscribe(settings: Settings, token: str) -> str:
    return f"{settings.public_url}/unsubscribe/{token}"


def issue(settings: Settings, number: int) -> str:
    return f"{settings.public_url}/newsletter/{number}"


def site(settings: Settings) -> str:
    """The front page: sign-in, feedback, the directory and the principles are
    reached from there until the web issue gives them pages of their own."""
    return f"{settings.public_url}/"


def event(settings: Settings, event_id: str) -> str:
    """An event's page in what's on: details, the sign-up, giving a place back."""
    return f"{settings.public_url}/events/{event_id}"


def whats_on(settings: Settings) -> str:
    return f"{settings.public_url}/events"
