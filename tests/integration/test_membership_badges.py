"""The limited edition of the Co-pro Hero Badge, on both databases, including
several processes confirming members at the same moment."""

import dataclasses

from sqlalchemy import select

from services.membership import badge_documents, badges, joining, links
from services.membership.models import Badge, Member
from services.membership.schemas import JoinSchema
from services.membership.settings import Settings
from tests.support.membership import events, form
from tests.support.membership_worker import start as worker

SETTINGS = dataclasses.replace(Settings(), badge_edition_size=3)


def pending_tokens(session, how_many: int) -> list[str]:
    for number in range(how_many):
        email = f"aelod{number}@example.cymru"
        joining.join(session, SETTINGS, JoinSchema().load(form(email=email)))
    return [e["token"] for e in events(session, "LinkRequested")]


def numbers(session) -> list[int]:
    with session.begin():
        return sorted(session.scalars(select(Badge.number)))


def test_badges_are_numbered_and_stop_at_the_edition_size(membership_db):
    with membership_db() as session:
        for token in pending_tokens(session, 5):
            links.redeem(session, SETTINGS, token, "confirm")

        assert numbers(session) == [1, 2, 3]
        with session.begin():
            active = session.scalars(select(Member.status)).all()
        assert active == ["active"] * 5
        assert [e["number"] for e in events(session, "BadgeAwarded")] == [1, 2, 3]


def test_concurrent_confirmations_never_pass_the_edition_size(
    membership_db, db_url, tmp_path
):
    with membership_db() as session:
        tokens = pending_tokens(session, 12)
    go = tmp_path / "go"
    workers = [
        worker(db_url, go, "confirm", "5", *tokens[first::4]) for first in range(4)
    ]

    go.touch()

    assert [w.wait(120) for w in workers] == [0, 0, 0, 0]
    with membership_db() as session:
        assert numbers(session) == [1, 2, 3, 4, 5]
        assert len(events(session, "BadgeAwarded")) == 5
        assert len(events(session, "MemberVerified")) == 12


def test_the_assertion_is_an_open_badges_2_hosted_assertion(membership_db):
    with membership_db() as session:
        (token,) = pending_tokens(session, 1)
        member = links.redeem(session, SETTINGS, token, "confirm")
        with session.begin():
            badge = badges.badge_of(session, member.id)

        found = badge_documents.assertion_or_revocation(session, SETTINGS, badge.id)

    document = found["document"]
    assert found["revoked"] is False
    assert document["recipient"]["identity"] == badges.identity_hash(
        "aelod0@example.cymru", badge.salt
    )
    assert document["id"] == f"{SETTINGS.public_url}/badges/{badge.id}"


def test_a_revoked_badge_says_so(membership_db):
    with membership_db() as session:
        (token,) = pending_tokens(session, 1)
        member = links.redeem(session, SETTINGS, token, "confirm")
        with session.begin():
            badge = badges.badge_of(session, member.id)

        badges.revoke_by_id(session, badge.id, "Camgymeriad / A mistake")

        found = badge_documents.assertion_or_revocation(session, SETTINGS, badge.id)
        (revoked,) = events(session, "BadgeRevoked")
    assert found["revoked"] is True
    assert found["document"]["revocationReason"] == "Camgymeriad / A mistake"
    assert revoked["badge_id"] == badge.id
