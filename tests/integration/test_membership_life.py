"""Being a member, on both databases: changes, promises, principles, lapsing,
leaving with erasure, and the export."""

import dataclasses
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contracts import principles as texts
from contracts.errors import InvalidInput
from contracts.events.directory import AttendanceRecordedV1
from contracts.events.stories import FeedbackSubmittedV1
from services.membership import (
    activation,
    export,
    joining,
    leaving,
    links,
    members,
    principles,
    promises,
)
from services.membership.exceptions import MemberHasLeft
from services.membership.models import (
    Badge,
    ConsentChange,
    Member,
    Promise,
    StatusChange,
)
from services.membership.schemas import JoinSchema, UpdateSchema
from services.membership.settings import Settings
from tests.support.membership import event_types, events, form, last_token

SETTINGS = Settings()


def active_member(session, **overrides) -> str:
    joining.join(session, SETTINGS, JoinSchema().load(form(**overrides)))
    return links.redeem(session, SETTINGS, last_token(session), "confirm").id


def feedback(member_id: str, when: datetime | None = None) -> tuple[dict, dict]:
    data = {
        "feedback_id": str(uuid.uuid4()),
        "member_id": member_id,
        "round": 1,
        "rating": 4,
        "shared": False,
        "submitted_at": (when or datetime.now(UTC)).isoformat(),
    }
    envelope = {"id": str(uuid.uuid4()), "type": "FeedbackSubmitted", "data": data}
    return envelope, FeedbackSubmittedV1().load(data)


@pytest.fixture
def second_version(tmp_path, monkeypatch):
    """Principles version 2 exists as data (not yet published)."""
    folder = tmp_path / "principles"
    folder.mkdir()
    first = Path(texts.__file__).parent / "data" / "principles" / "1.yml"
    shutil.copy(first, folder / "1.yml")
    second = first.read_text(encoding="utf-8").replace('version: "1"', 'version: "2"')
    (folder / "2.yml").write_text(second, encoding="utf-8")
    monkeypatch.setattr(texts, "_FOLDER", folder)
    texts.versions.cache_clear()
    yield
    texts.versions.cache_clear()


def test_a_change_is_one_new_version_naming_what_changed(membership_db):
    with membership_db() as session:
        member_id = active_member(session)
        changes = UpdateSchema().load(
            {"language": "en", "skills": ["hwyluso", "coginio"], "postcode": None}
        )

        member = members.update_member(session, member_id, changes)

        update = events(session, "MemberUpdated")[-1]
        contact = events(session, "ContactDetailsChanged")[-1]
    assert member.version == 3
    assert (update["version"], contact["version"]) == (3, 3)
    assert sorted(update["changed"]) == ["language", "postcode", "skills"]
    assert contact["language"] == "en"


def test_a_change_to_nothing_announces_nothing(membership_db):
    with membership_db() as session:
        member_id = active_member(session)
        before = event_types(session)

        members.update_member(
            session, member_id, UpdateSchema().load({"language": "cy"})
        )

        assert event_types(session) == before


def test_each_consent_change_is_recorded_with_its_time(membership_db):
    with membership_db() as session:
        member_id = active_member(session)
        change = UpdateSchema().load({"consents": {"listed": False}})

        members.update_member(session, member_id, change)

        history = members.consent_history(session, member_id, 1, 50)["items"]
        update = events(session, "MemberUpdated")[-1]
    assert history[-1]["consent"] == "listed"
    assert history[-1]["given"] is False
    assert update["consents"]["listed"] is False
    assert update["changed"] == ["consents"]


def test_every_version_of_the_promise_is_kept_and_announced(membership_db):
    with membership_db() as session:
        member_id = active_member(session)

        promises.update_promise(
            session, member_id, {"text": "Byddaf yn rhannu'r gyllideb.", "focus": None}
        )

        found = promises.promises(session, member_id, 1, 10)
        numbers = [e["number"] for e in events(session, "PromiseUpdated")]
    assert [p.number for p in found["items"]] == [2, 1]
    assert numbers == [1, 2]


def test_publishing_principles_asks_for_agreement_and_blocks_nothing(
    membership_db, second_version
):
    with membership_db() as session:
        member_id = active_member(session)

        principles.publish(session, "2")

        (published,) = events(session, "PrinciplesPublished")
        assert published["version"] == "2"
        assert members.read_member(session, member_id).principles_version == "1"
        promises.update_promise(session, member_id, {"text": "Dal i fynd ymlaen."})

        member = principles.agree(session, member_id, "2")
        assert member.principles_version == "2"
        assert events(session, "MemberUpdated")[-1]["changed"] == ["principles_version"]


def test_joining_now_needs_the_new_version(membership_db, second_version):
    with membership_db() as session:
        principles.publish(session, "2")

        with pytest.raises(InvalidInput) as refused:
            joining.join(session, SETTINGS, JoinSchema().load(form()))
        joining.join(session, SETTINGS, JoinSchema().load(form(principles_version="2")))
    assert "version 2" in refused.value.errors["principles_version"][0]


@pytest.mark.parametrize("version", ["1", "3", "x"])
def test_only_a_newer_existing_version_can_be_published(
    membership_db, second_version, version
):
    with membership_db() as session, pytest.raises(InvalidInput) as refused:
        principles.publish(session, version)

    assert "version" in refused.value.errors


def test_a_member_without_feedback_for_two_rounds_lapses_once(membership_db):
    quick = dataclasses.replace(SETTINGS, feedback_round=timedelta(0))
    with membership_db() as session:
        member_id = active_member(session)

        later = datetime.now(UTC) + timedelta(seconds=1)
        assert activation.lapse_inactive(session, quick, later) == 1
        assert activation.lapse_inactive(session, quick, later) == 0

        update = events(session, "MemberUpdated")[-1]
    assert (update["member_id"], update["status"]) == (member_id, "lapsed")
    assert update["changed"] == ["status"]


def test_new_feedback_makes_a_lapsed_member_active_again(membership_db):
    quick = dataclasses.replace(SETTINGS, feedback_round=timedelta(0))
    with membership_db() as session:
        member_id = active_member(session)
        activation.lapse_inactive(session, quick, datetime.now(UTC) + timedelta(1))
        envelope, data = feedback(member_id)

        assert activation.on_feedback(session, envelope, data) is True
        assert activation.on_feedback(session, envelope, data) is False

        assert members.read_member(session, member_id).status == "active"
        assert events(session, "MemberUpdated")[-1]["status"] == "active"


def test_pending_members_who_never_confirm_are_removed_and_erased(membership_db):
    now = datetime.now(UTC) + timedelta(seconds=1)
    soon = dataclasses.replace(SETTINGS, unconfirmed_after=timedelta(0))
    with membership_db() as session:
        joining.join(session, SETTINGS, JoinSchema().load(form()))
        active_member(session, email="arall@example.cymru")

        assert leaving.purge_unconfirmed(session, soon, now) == 1
        assert leaving.purge_unconfirmed(session, soon, now) == 0

        (left,) = events(session, "MemberLeft")
        with session.begin():
            names = {m.email: m.name for m in session.scalars(select(Member))}
    assert (left["reason"], left["erase"], left["stories"]) == (
        "unconfirmed",
        True,
        "delete",
    )
    assert names == {None: None, "arall@example.cymru": "Gwenllïan Ŵyn-Prydderch"}


def test_leaving_with_erasure_keeps_only_what_refuses_later_events(membership_db):
    with membership_db() as session:
        member_id = active_member(session)

        leaving.leave(session, member_id, {"erase": True, "stories": "anonymise"})

        with session.begin():
            member = session.get(Member, member_id)
            kept = [
                session.scalar(
                    select(func.count()).select_from(m).where(m.member_id == member_id)
                )
                for m in (Promise, ConsentChange, StatusChange)
            ]
            badge = session.scalars(select(Badge)).one()
        (left,) = events(session, "MemberLeft")
        assert event_types(session)[-2:] == ["BadgeRevoked", "MemberLeft"]
    assert (member.status, member.name, member.email, member.email_key) == (
        "left",
        None,
        None,
        None,
    )
    assert (member.about_life, member.postcode, member.consents) == (None, None, {})
    assert kept == [0, 0, 0]
    assert (badge.identity_hash, badge.revoked_at is not None) == (None, True)
    assert (left["erase"], left["stories"], left["version"]) == (True, "anonymise", 3)


def test_after_leaving_nothing_about_the_member_comes_back(membership_db):
    with membership_db() as session:
        member_id = active_member(session)
        leaving.leave(session, member_id, {"erase": True, "stories": "delete"})
        before = event_types(session)

        assert activation.on_feedback(session, *feedback(member_id)) is False
        with pytest.raises(MemberHasLeft):
            members.update_member(session, member_id, {"name": "Yn ôl"})
        with pytest.raises(MemberHasLeft):
            leaving.leave(session, member_id, {"erase": True, "stories": "delete"})

        assert event_types(session) == before
        assert members.read_member(session, member_id).name is None


def test_the_same_address_can_join_again_after_leaving(membership_db):
    with membership_db() as session:
        member_id = active_member(session)
        leaving.leave(session, member_id, {"erase": False, "stories": "anonymise"})

        joining.join(session, SETTINGS, JoinSchema().load(form()))

        with session.begin():
            statuses = sorted(session.scalars(select(Member.status)))
    assert statuses == ["left", "pending"]


def test_the_export_holds_everything_membership_keeps(membership_db):
    with membership_db() as session:
        member_id = active_member(session)

        document = export.export_member(session, member_id)

    assert document["member"]["email"] == "Gwen.Wyn@example.cymru"
    assert document["member"]["about_work"] == "Rwy'n rhedeg clwb ieuenctid."
    assert [p["number"] for p in document["promises"]] == [1]
    assert {c["consent"] for c in document["consent_history"]} == set(
        form()["consents"]
    )
    assert [s["status"] for s in document["status_history"]] == ["pending", "active"]
    assert document["principles_agreed"][0]["version"] == "1"
    assert document["badge"]["number"] == 1
    assert "token" not in str(document["links_sent"])


def attendance(member_id: str, attended: bool = True) -> tuple[dict, dict]:
    data = {
        "event_id": str(uuid.uuid4()),
        "member_id": member_id,
        "attended": attended,
        "event_starts_at": datetime.now(UTC).isoformat(),
        "recorded_at": datetime.now(UTC).isoformat(),
    }
    envelope = {"id": str(uuid.uuid4()), "type": "AttendanceRecorded", "data": data}
    return envelope, AttendanceRecordedV1().load(data)


def test_coming_to_an_event_makes_a_lapsed_member_active_again(membership_db):
    quick = dataclasses.replace(SETTINGS, feedback_round=timedelta(0))
    with membership_db() as session:
        member_id = active_member(session)
        activation.lapse_inactive(session, quick, datetime.now(UTC) + timedelta(1))
        absent, came = attendance(member_id, attended=False), attendance(member_id)

        assert activation.on_attendance(session, *absent) is False
        assert activation.on_attendance(session, *came) is True
        assert activation.on_attendance(session, *came) is False

        assert members.read_member(session, member_id).status == "active"
        assert events(session, "MemberUpdated")[-1]["status"] == "active"


def test_coming_to_an_event_keeps_a_member_from_lapsing(membership_db):
    round_ = timedelta(days=30)
    settings = dataclasses.replace(SETTINGS, feedback_round=round_)
    with membership_db() as session:
        member_id = active_member(session)
        with session.begin():
            session.get(Member, member_id).last_active_at -= 3 * round_
        envelope, data = attendance(member_id)

        activation.on_attendance(session, envelope, data)

        assert activation.lapse_inactive(session, settings, datetime.now(UTC)) == 0
        assert members.read_member(session, member_id).status == "active"
