"""How a newsletter issue looks: the coordinator's preview, a subscriber's copy
(with its one-click unsubscribe headers, RFC 8058), and the web archive."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notifications import links, messages, subscriptions
from services.notifications.exceptions import IssueNotFound
from services.notifications.models import Delivery, Issue, Subscription
from services.notifications.newsletter import PUBLISHED, get
from services.notifications.settings import Settings


def preview(
    session: Session, settings: Settings, issue_id: str, language: str | None
) -> dict[str, str]:
    """The issue as a subscriber with that language would get it."""
    with session.begin():
        issue = get(session, issue_id)
        context = _context(issue, "members", name="")
        context["unsubscribe_url"] = links.unsubscribe(settings, "preview")
        context["web_url"] = links.issue(settings, issue.number or 0)
        return messages.render_all("newsletter", language, context)


def archived(
    session: Session, settings: Settings, number: int, audience: str
) -> dict[str, Any]:
    """A published issue, both languages (Welsh first), as the web shows it:
    progress that members shared only with members is left out for the public."""
    with session.begin():
        issue = session.scalar(
            select(Issue).where((Issue.number == number) & Issue.status.in_(PUBLISHED))
        )
        if issue is None:
            raise IssueNotFound(f"No published issue {number}.")
        rendered = messages.render_all("newsletter", None, _context(issue, audience))
    return {"issue": issue, **rendered}


def mail_context(session: Session, settings: Settings, delivery: Delivery):
    """What one subscriber's copy needs, with its one-click unsubscribe headers;
    None if they unsubscribed before their copy went."""
    subscription = session.get(Subscription, delivery.context["subscription_id"])
    if subscription is None or subscription.opted_out or not subscription.consent:
        return None
    issue = get(session, delivery.issue_id)
    url = links.unsubscribe(
        settings, subscriptions.token_for(settings, subscription.id)
    )
    context = _context(issue, "members")
    context |= {"unsubscribe_url": url, "web_url": links.issue(settings, issue.number)}
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Newsletter <newsletter.{settings.mail_domain}>",
        "Precedence": "bulk",
    }
    return context, headers


def _context(issue: Issue, audience: str, name: str = "") -> dict[str, Any]:
    return {
        "issue": {"content": issue.content},
        "number": issue.number,
        "audience": audience,
        "name": name,
        "unsubscribe_url": "",
        "web_url": "",
    }
