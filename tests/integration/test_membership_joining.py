"""Joining, on both databases: the domain with its real tables and outbox."""

import unicodedata

import pytest
from sqlalchemy import func, select

from contracts.errors import InvalidInput
from services.membership import joining, links
from services.membership.exceptions import IdempotencyKeyReused
from services.membership.models import (
    Champion,
    ConsentChange,
    Member,
    OutboxEvent,
    PrinciplesAgreement,
    Promise,
)
from services.membership.schemas import JoinSchema
from services.membership.settings import Settings
from tests.support.membership import (
    event_types,
    events,
    form,
    invalid_events,
    last_token,
)
from tests.support.membership_worker import start as worker

SETTINGS = Settings()


def join(session, key=None, **overrides):
    return joining.join(session, SETTINGS, JoinSchema().load(form(**overrides)), key)


def count(session, model) -> int:
    with session.begin():
        return session.scalar(select(func.count()).select_from(model))


def only_member(session) -> Member:
    with session.begin():
        return session.scalars(select(Member)).one()


def test_joining_makes_a_pending_member_and_announces_it_in_order(membership_db):
    with membership_db() as session:
        answer = join(session)

        member = only_member(session)
        assert answer["status"] == "received"
        assert (member.status, member.version) == ("pending", 1)
        assert event_types(session)[1:] == [
            "MemberJoined",
            "ContactDetailsChanged",
            "LinkRequested",
            "PromiseUpdated",
        ]
        assert invalid_events(session) == []


def test_what_the_events_carry(membership_db):
    with membership_db() as session:
        join(session)

        (joined,) = events(session, "MemberJoined")
        (contact,) = events(session, "ContactDetailsChanged")
        (link,) = events(session, "LinkRequested")
        (promise,) = events(session, "PromiseUpdated")
    assert joined["status"] == "pending"
    assert joined["area"] == "W06000016"
    assert joined["consents"]["newsletter"] is True
    assert joined["principles_version"] == "1"
    assert "email" not in joined
    assert contact["email"] == "Gwen.Wyn@example.cymru"
    assert (link["purpose"], len(link["token"]) >= 40) == ("confirm", True)
    assert (promise["number"], promise["focus"]) == (1, "what_matters")


def test_the_form_is_kept_as_typed_in_nfc(membership_db):
    decomposed = unicodedata.normalize("NFD", "Gwenllïan Ŵyn ap Siôn")

    with membership_db() as session:
        join(session, name=decomposed, about_life="<b>Tŷ ni</b> & ein gardd")

        member = only_member(session)
    assert member.name == "Gwenllïan Ŵyn ap Siôn"
    assert unicodedata.is_normalized("NFC", member.name)
    assert member.about_life == "<b>Tŷ ni</b> & ein gardd"
    assert member.postcode == "CF37 1DB"


def test_the_principles_agreement_and_each_consent_are_recorded(membership_db):
    with membership_db() as session:
        join(session)

        with session.begin():
            agreed = session.scalars(select(PrinciplesAgreement)).one()
            consents = {
                c.consent: c.given for c in session.scalars(select(ConsentChange))
            }
    assert agreed.version == "1"
    assert agreed.agreed_at is not None
    assert consents == form()["consents"]


def test_an_old_principles_version_is_refused_and_nothing_is_written(
    membership_db,
):
    with membership_db() as session:
        with pytest.raises(InvalidInput) as refused:
            join(session, principles_version="0")

        assert "principles_version" in refused.value.errors
        assert count(session, Member) == 0
        assert event_types(session) == ["CampaignSet"]


def test_a_step_that_fails_leaves_nothing_half_written(membership_db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the link could not be made")

    monkeypatch.setattr(links, "issue", broken)

    with membership_db() as session:
        with pytest.raises(RuntimeError):
            join(session)

        assert [count(session, m) for m in (Member, Promise, ConsentChange)] == [
            0,
            0,
            0,
        ]
        assert count(session, OutboxEvent) == 1  # only the seeded CampaignSet


@pytest.mark.parametrize(
    "typed", ["GWEN.WYN@example.cymru", "  gwen.wyn@EXAMPLE.CYMRU"]
)
def test_a_known_address_creates_nothing_and_answers_the_same(membership_db, typed):
    with membership_db() as session:
        first = join(session)
        links.redeem(session, SETTINGS, last_token(session), "confirm")
        before = count(session, Member)

        again = join(session, email=typed, name="Rhywun Arall")

        assert again == first
        assert count(session, Member) == before == 1
        assert event_types(session)[-1] == "AlreadyMember"
        (already,) = events(session, "AlreadyMember")
    assert already["name"] == "Gwenllïan Ŵyn-Prydderch"


def test_joining_again_while_pending_sends_a_new_confirmation_link(membership_db):
    with membership_db() as session:
        join(session)

        join(session)

        assert count(session, Member) == 1
        confirms = [e["purpose"] for e in events(session, "LinkRequested")]
    assert confirms == ["confirm", "confirm"]


def test_a_repeat_with_the_same_key_answers_as_the_first_and_does_nothing(
    membership_db,
):
    with membership_db() as session:
        first = join(session, key="cais-1")
        written = event_types(session)

        again = join(session, key="cais-1")

        assert again == first
        assert event_types(session) == written


def test_the_same_key_with_a_different_form_is_refused(membership_db):
    with membership_db() as session:
        join(session, key="cais-1")

        with pytest.raises(IdempotencyKeyReused):
            join(session, key="cais-1", name="Rhywun Arall")


def test_an_organisation_names_champions_who_count_once_confirmed(membership_db):
    with membership_db() as session:
        join(session, email="ceri@example.cymru", name="Ceri")
        join(
            session,
            kind="organisation",
            name="Tŷ Hapus",
            email="post@tyhapus.example.org",
            champions=["CERI@example.cymru", "dewi@example.cymru"],
        )
        (org,) = [e for e in events(session, "MemberJoined") if e["name"] == "Tŷ Hapus"]
        assert org["champions"] == []  # Ceri has not confirmed yet

        ceri_token = events(session, "LinkRequested")[0]["token"]
        links.redeem(session, SETTINGS, ceri_token, "confirm")

        update = events(session, "MemberUpdated")[-1]
        assert update["member_id"] == org["member_id"]
        assert update["changed"] == ["champions"]
        assert len(update["champions"]) == 1
        assert count(session, Champion) == 2


def test_the_same_address_joining_from_many_processes_at_once_is_one_member(
    membership_db, db_url, tmp_path
):
    spellings = ["sian@example.cymru", "SIAN@example.cymru", " Sian@Example.Cymru "]
    go = tmp_path / "go"
    workers = [worker(db_url, go, "join", typed) for typed in spellings]

    go.touch()

    assert [w.wait(120) for w in workers] == [0, 0, 0]
    with membership_db() as session:
        assert count(session, Member) == 1
        assert len(events(session, "MemberJoined")) == 1
        assert len(events(session, "LinkRequested")) == 3  # one new, two repeats


def test_the_same_key_from_many_processes_at_once_joins_once(
    membership_db, db_url, tmp_path
):
    go = tmp_path / "go"
    workers = [
        worker(db_url, go, "join", "sian@example.cymru", "cais-1") for _ in range(3)
    ]

    go.touch()

    assert [w.wait(120) for w in workers] == [0, 0, 0]
    with membership_db() as session:
        assert count(session, Member) == 1
        assert len(events(session, "LinkRequested")) == 1
