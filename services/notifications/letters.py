"""Putting a queued delivery together: whom it goes to, in which language, and
the message itself with whatever its template needs at sending time (the
unsealed link, the issue and its unsubscribe link)."""

from email.message import EmailMessage

from sqlalchemy.orm import Session

from services.notifications import links, members, messages, newsletter_render, sealing
from services.notifications.members import Recipient
from services.notifications.models import Delivery
from services.notifications.settings import Settings

LINKS = {"confirm": links.confirm, "sign_in": links.sign_in}


def recipient(session: Session, delivery: Delivery) -> Recipient | None:
    """The address given with the event, else the member's newest address."""
    if delivery.recipient and delivery.template in (
        "confirm",
        "sign_in",
        "already_member",
        "suggestion_answered",
    ):
        name = delivery.context.get("name", "")
        return Recipient(delivery.member_id, delivery.recipient, name, None, None)
    return members.recipient(session, delivery.member_id)


def language(delivery: Delivery, to: Recipient) -> str:
    """`cy`, `en`, or `both` for a member with no preference."""
    return delivery.language or to.language or "both"


def compose(
    session: Session, settings: Settings, delivery: Delivery, to: Recipient
) -> EmailMessage | None:
    """The message, or None when it should no longer go (the member left, or
    unsubscribed before their copy of an issue went)."""
    if to.status == "left":
        return None
    context = {**delivery.context, "name": to.name}
    headers: dict[str, str] = {}
    if delivery.template in LINKS:
        token = sealing.unseal(settings.secret_key, delivery.secret or "")
        context["link"] = LINKS[delivery.template](settings, token)
    elif delivery.template == "already_member":
        context["link"] = links.site(settings)
    elif delivery.template == "newsletter":
        extra = newsletter_render.mail_context(session, settings, delivery)
        if extra is None:
            return None
        context, headers = {**context, **extra[0]}, extra[1]
    chosen = language(delivery, to)
    return messages.compose(
        delivery.template,
        None if chosen == "both" else chosen,
        to.email,
        context,
        message_id=f"<{delivery.id}@{settings.mail_domain}>",
        headers=headers,
    )
