"""Who may do what: one table for every route, tested row by row.

A rule names the roles that may take an action; `own` lets a member take it on
their own things too (their profile, their stories); partners also need the
rule's `scope` on their API key."""

from dataclasses import dataclass

from gateway.auth import Identity
from gateway.exceptions import Forbidden, Unauthenticated

ANYONE = frozenset({"anonymous", "member", "coordinator", "partner"})
PEOPLE = frozenset({"member", "coordinator"})
COORDINATORS = frozenset({"coordinator"})
PARTNERS = frozenset({"partner"})
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    own: bool = False
    scope: str | None = None


RULES: dict[str, Rule] = {
    "site.view": Rule(ANYONE),
    "health.view": Rule(ANYONE),
    "docs.view": Rule(ANYONE),
    # membership: joining and signing in are open; a member's record is theirs
    # and the coordinators'; the drive is for people signed in.
    "members.join": Rule(ANYONE),
    "members.confirm": Rule(ANYONE),
    "session.request": Rule(ANYONE),
    "session.redeem": Rule(ANYONE),
    "session.end": Rule(ANYONE),
    "members.me": Rule(PEOPLE),
    "members.list": Rule(COORDINATORS),
    "members.view": Rule(COORDINATORS, own=True),
    "members.update": Rule(COORDINATORS, own=True),
    "members.consents": Rule(COORDINATORS, own=True),
    "members.promises": Rule(COORDINATORS, own=True),
    "members.promise": Rule(NOBODY, own=True),
    "members.agree": Rule(NOBODY, own=True),
    "members.badge": Rule(COORDINATORS, own=True),
    "members.leave": Rule(COORDINATORS, own=True),
    "members.export": Rule(COORDINATORS, own=True),
    "principles.view": Rule(ANYONE),
    "principles.publish": Rule(COORDINATORS),
    "drive.view": Rule(PEOPLE),
    "drive.set": Rule(COORDINATORS),
    "badges.view": Rule(ANYONE),
    "badges.revoke": Rule(COORDINATORS),
    "directory.search": Rule(ANYONE, scope="directory:read"),
    "directory.listings.view": Rule(ANYONE, scope="directory:read"),
    "directory.listings.view_own": Rule(COORDINATORS, own=True),
    "directory.listings.edit": Rule(COORDINATORS, own=True),
    "directory.listings.review": Rule(COORDINATORS, own=True),
    "directory.posts.search": Rule(ANYONE, scope="directory:read"),
    "directory.posts.view": Rule(ANYONE, scope="directory:read"),
    "directory.posts.create": Rule(PEOPLE),
    "directory.posts.close": Rule(COORDINATORS, own=True),
    "directory.posts.respond": Rule(PEOPLE),
    "directory.responses.view": Rule(COORDINATORS, own=True),
    "directory.exchanges.agree": Rule(COORDINATORS, own=True),
    "directory.map.view": Rule(ANYONE, scope="directory:read"),
    "directory.hsds.view": Rule(ANYONE, scope="directory:read"),
    # what's on: anyone reads public events and subscribes to the feeds;
    # members propose and sign up; coordinators approve; the organiser (or
    # whoever proposed it) runs their own event.
    "directory.events.search": Rule(ANYONE, scope="directory:read"),
    "directory.events.view": Rule(ANYONE, scope="directory:read"),
    "directory.events.calendar": Rule(ANYONE, scope="directory:read"),
    "directory.events.propose": Rule(PEOPLE),
    "directory.events.sign_up": Rule(PEOPLE),
    "directory.events.review": Rule(COORDINATORS),
    "directory.events.change": Rule(COORDINATORS, own=True),
    "directory.events.cancel": Rule(COORDINATORS, own=True),
    "directory.events.attendees": Rule(COORDINATORS, own=True),
    "directory.events.attendance": Rule(COORDINATORS, own=True),
    "directory.events.mine": Rule(COORDINATORS, own=True),
    # stories: a teller tells only their own; what each role may read is
    # narrowed further by the stories service (coordinators all, members
    # members-and-public, anyone else public stories only).
    "stories.framework": Rule(ANYONE),
    "stories.check": Rule(ANYONE),
    "stories.submit": Rule(NOBODY, own=True),
    "stories.list": Rule(ANYONE),
    "stories.view": Rule(ANYONE),
    "feedback.submit": Rule(NOBODY, own=True),
    "progress.view": Rule(ANYONE, scope="progress:read"),
    "evaluation.view": Rule(ANYONE, scope="evaluation:read"),
    "evaluation.export": Rule(COORDINATORS),
    # notifications: the delivery log and the newsletter are coordinators';
    # the unsubscribe token is its own authority; partners manage webhooks.
    "notifications.view_deliveries": Rule(COORDINATORS),
    "notifications.resend": Rule(COORDINATORS),
    "notifications.manage_newsletter": Rule(COORDINATORS),
    "notifications.read_archive": Rule(ANYONE),
    "notifications.unsubscribe": Rule(ANYONE),
    "notifications.manage_webhooks": Rule(PARTNERS, scope="webhooks:manage"),
    # suggestions to improve a form: anyone makes one, coordinators answer.
    "suggestions.make": Rule(ANYONE),
    "suggestions.read": Rule(COORDINATORS),
    "suggestions.answer": Rule(COORDINATORS),
    # messages a service could not take, parked for a coordinator to replay.
    "parked.view": Rule(COORDINATORS),
    "parked.replay": Rule(COORDINATORS),
    # partner systems' API keys are made and revoked by coordinators.
    "apikeys.manage": Rule(COORDINATORS),
}


def allowed(identity: Identity, action: str, owner: str | None = None) -> bool:
    rule = RULES[action]
    if identity.role in rule.roles:
        return identity.role != "partner" or rule.scope in identity.scopes
    return rule.own and owner is not None and identity.member_id == owner


def require(identity: Identity, action: str, owner: str | None = None) -> None:
    """Raise unless `identity` may take `action` (on something `owner` owns)."""
    if allowed(identity, action, owner):
        return
    if identity.role == "anonymous":
        raise Unauthenticated("Sign in to do this.")
    raise Forbidden("You are not allowed to do this.")
