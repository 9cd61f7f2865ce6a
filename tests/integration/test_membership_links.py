"""Confirming and signing in with single-use links, on both databases."""

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.membership import joining, links
from services.membership.exceptions import LinkNotValid
from services.membership.models import Link, Member
from services.membership.schemas import JoinSchema
from services.membership.settings import Settings
from tests.support.membership import event_types, events, form, last_token

SETTINGS = Settings()


def joined(session, settings=SETTINGS, **overrides) -> str:
    joining.join(session, settings, JoinSchema().load(form(**overrides)))
    return last_token(session)


def status(session) -> str:
    with session.begin():
        return session.scalars(select(Member.status)).one()


def test_confirming_makes_the_member_active_with_their_badge(membership_db):
    with membership_db() as session:
        token = joined(session)

        member = links.redeem(session, SETTINGS, token, "confirm")

        assert status(session) == "active"
        assert event_types(session)[-2:] == ["MemberVerified", "BadgeAwarded"]
        (verified,) = events(session, "MemberVerified")
    assert (verified["status"], verified["version"]) == ("active", 2)
    assert verified["verified_at"] is not None
    assert member.access_role == "member"


def test_a_link_works_once(membership_db):
    with membership_db() as session:
        token = joined(session)
        links.redeem(session, SETTINGS, token, "confirm")

        with pytest.raises(LinkNotValid):
            links.redeem(session, SETTINGS, token, "confirm")
        assert len(events(session, "MemberVerified")) == 1


def test_an_expired_link_is_refused(membership_db):
    expired = dataclasses.replace(SETTINGS, confirm_link_for=timedelta(seconds=-1))

    with membership_db() as session:
        token = joined(session, expired)

        with pytest.raises(LinkNotValid):
            links.redeem(session, SETTINGS, token, "confirm")
        assert status(session) == "pending"


def test_only_the_hash_of_a_token_is_kept(membership_db):
    with membership_db() as session:
        token = joined(session)

        with session.begin():
            kept = session.scalars(select(Link.token_hash)).all()
    assert token not in kept
    assert kept == [links.token_hash(token)]


def test_a_confirmation_link_does_not_sign_in_and_a_made_up_one_does_nothing(
    membership_db,
):
    with membership_db() as session:
        token = joined(session)

        for wrong, purpose in ((token, "sign_in"), ("x" * 43, "confirm")):
            with pytest.raises(LinkNotValid):
                links.redeem(session, SETTINGS, wrong, purpose)
        assert status(session) == "pending"


def test_a_member_asking_to_sign_in_gets_a_sign_in_link(membership_db):
    with membership_db() as session:
        links.redeem(session, SETTINGS, joined(session), "confirm")

        links.request_sign_in(session, SETTINGS, "GWEN.WYN@example.cymru ")
        token = last_token(session, "sign_in")

        member = links.redeem(session, SETTINGS, token, "sign_in")
        assert member.status == "active"
        with pytest.raises(LinkNotValid):
            links.redeem(session, SETTINGS, token, "sign_in")


def test_a_sign_in_link_lasts_minutes(membership_db):
    with membership_db() as session:
        links.redeem(session, SETTINGS, joined(session), "confirm")
        links.request_sign_in(session, SETTINGS, "gwen.wyn@example.cymru")

        link = events(session, "LinkRequested")[-1]
        with session.begin():
            row = session.scalars(select(Link).where(Link.purpose == "sign_in")).one()
    assert row.expires_at - row.created_at == SETTINGS.sign_in_link_for
    assert link["expires_at"] == row.expires_at.isoformat()


def test_a_pending_member_asking_to_sign_in_gets_a_new_confirmation_link(
    membership_db,
):
    with membership_db() as session:
        joined(session)

        links.request_sign_in(session, SETTINGS, "gwen.wyn@example.cymru")

        purposes = [e["purpose"] for e in events(session, "LinkRequested")]
    assert purposes == ["confirm", "confirm"]


def test_an_unknown_address_asking_to_sign_in_gets_nothing(membership_db):
    with membership_db() as session:
        before = event_types(session)

        links.request_sign_in(session, SETTINGS, "neb@example.cymru")

        assert event_types(session) == before


def test_a_confirmation_that_fails_half_way_changes_nothing(membership_db, monkeypatch):
    from services.membership import badges

    def broken(*args, **kwargs):
        raise RuntimeError("the badge could not be made")

    with membership_db() as session:
        token = joined(session)
        monkeypatch.setattr(badges, "award", broken)

        with pytest.raises(RuntimeError):
            links.redeem(session, SETTINGS, token, "confirm")
        monkeypatch.undo()

        assert status(session) == "pending"
        assert events(session, "MemberVerified") == []
        links.redeem(session, SETTINGS, token, "confirm")
        assert status(session) == "active"
