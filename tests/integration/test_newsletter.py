"""The newsletter: a draft built from what happened, edited, previewed and sent
to subscribers who consented, in their language, with one-click unsubscribing;
sending resumes after a crash without a second copy for anyone."""

import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from infra.migrate import upgrade
from services.notifications import members, newsletter
from services.notifications.exceptions import IssueNotDraft, UnsubscribeLinkInvalid
from services.notifications.service import MIGRATIONS, NotificationsService
from tests.support.amqp import EventTap, publish_event
from tests.support.members import contact, snapshot
from tests.support.waiting import eventually

ROOT = Path(__file__).parents[2]
NOW = datetime.now(UTC)
LIST = "List-Unsubscribe"


def person(name, language, newsletter=True, listed=True, status="active", **kw):
    data = snapshot(name, language=language, listed=listed, status=status, **kw)
    data["consents"]["newsletter"] = newsletter
    return data


def join(amqp: str, data: dict, email: str) -> None:
    publish_event(
        amqp, "ContactDetailsChanged", data["member_id"], contact(data, email)
    )
    publish_event(amqp, "MemberVerified", data["member_id"], data)


def newsletters(sink) -> list:
    return [m for m in sink.messages() if m[LIST]]


def to(message) -> str:
    return message["To"].addresses[0].addr_spec


def token_of(message) -> str:
    return message[LIST].strip("<>").rsplit("/", 1)[1]


@pytest.fixture
def running(container_factory, notifications_config, smtp_sink):
    settings = {**notifications_config, "SMTP_URL": smtp_sink.url}
    container = container_factory(NotificationsService, settings)
    container.start()
    return container


@pytest.fixture
def rpc(running):
    with ServiceRpcProxy("notifications", running.config) as proxy:
        yield proxy


@pytest.fixture
def community(running, smtp_sink):
    """Five members (three subscribers), a drive, shared progress, a public
    story, an open offer and an ended request."""
    amqp = running.config["AMQP_URI"]
    people = {
        "sian": person("Siân Ŵyn", "cy", area="W06000015"),
        "tom": person("Tom Jones", "en", listed=False, area="W06000015"),
        "both": person("Ffion Dafis", None, area="W06000001"),
        "no": person("Heb Gydsyniad", "cy", newsletter=False),
        "pending": person("Aros", "en", status="pending"),
    }
    for key, data in people.items():
        join(amqp, data, f"{key}@example.cymru")
    eventually(lambda: len(smtp_sink.messages()) >= 4)  # welcomes, not the pending
    publish_event(
        amqp,
        "CampaignSet",
        str(uuid.uuid4()),
        {
            "campaign_id": str(uuid.uuid4()),
            "name": "Ymgyrch yr haf",
            "target": 120,
            "starts_on": date(2026, 1, 1),
            "deadline": date.today() + timedelta(days=60),
            "set_at": NOW,
        },
    )
    sian, tom = people["sian"]["member_id"], people["tom"]["member_id"]
    publish_event(
        amqp,
        "FeedbackSubmitted",
        sian,
        feedback(sian, "Rydym wedi cwrdd â 30 o deuluoedd."),
    )
    publish_event(
        amqp, "FeedbackSubmitted", tom, feedback(tom, "Private words", shared=False)
    )
    publish_event(
        amqp,
        "StorySubmitted",
        tom,
        story(tom, "Our <b>garden</b>", "We grew it together & shared it."),
    )
    publish_event(
        amqp,
        "OfferPosted",
        sian,
        post(sian, "Fan i'w benthyg", ends_on=date.today() + timedelta(days=9)),
    )
    publish_event(
        amqp,
        "RequestPosted",
        tom,
        post(tom, "Old request", ends_on=date.today() - timedelta(days=1)),
    )
    assert len(smtp_sink.messages()) == 4
    return people


def feedback(member_id: str, progress: str, shared: bool = True) -> dict:
    return {
        "feedback_id": str(uuid.uuid4()),
        "member_id": member_id,
        "round": 1,
        "rating": 4,
        "shared": shared,
        "progress": progress,
        "area": "W06000015",
        "submitted_at": NOW,
    }


def story(member_id: str, title: str, text: str) -> dict:
    return {
        "story_id": str(uuid.uuid4()),
        "member_id": member_id,
        "occasion": "other",
        "framework_version": "1",
        "sharing": "public",
        "language": "en",
        "title": title,
        "text": text,
        "submitted_at": NOW,
    }


def post(member_id: str, title: str, ends_on: date) -> dict:
    return {
        "post_id": str(uuid.uuid4()),
        "member_id": member_id,
        "category": "resources",
        "title": title,
        "area": "W06000015",
        "ends_on": ends_on,
        "posted_at": NOW,
    }


def section(issue: dict, kind: str) -> list[dict]:
    return next(s["items"] for s in issue["content"]["sections"] if s["kind"] == kind)


def complete_draft(rpc) -> dict:
    def ready():
        draft = rpc.draft_newsletter("cydlynydd")
        filled = all(
            section(draft, kind) for kind in ("drive", "progress", "stories", "offers")
        )
        return draft if filled else None

    return eventually(ready)


def test_the_draft_is_built_from_what_members_did_and_agreed_to_share(rpc, community):
    draft = complete_draft(rpc)

    assert draft["status"] == "draft" and draft["number"] is None
    (drive,) = section(draft, "drive")
    assert (drive["target"], drive["active"]) == (120, 4)  # not the pending one
    cardiff = next(i for i in section(draft, "new_members") if i["area"] == "W06000015")
    assert cardiff["count"] == 2
    assert [p["name"] for p in cardiff["people"]] == ["Siân Ŵyn"]  # Tom is unlisted
    assert [i["text"] for i in section(draft, "progress")] == [
        "Rydym wedi cwrdd â 30 o deuluoedd."
    ]
    assert [i["title"] for i in section(draft, "stories")] == ["Our <b>garden</b>"]
    assert [i["title"] for i in section(draft, "offers")] == ["Fan i'w benthyg"]
    assert section(draft, "requests") == []


def test_an_edited_issue_goes_to_consenting_subscribers_each_in_their_language(
    rpc, community, running, smtp_sink
):
    issued = EventTap(running.config["AMQP_URI"], "notifications", "NewsletterIssued")
    draft = complete_draft(rpc)
    offer = section(draft, "offers")[0]["id"]
    edited = rpc.edit_newsletter(
        draft["id"],
        {
            "title_cy": "Newyddion yr haf",
            "title_en": "Summer news",
            "intro_en": "A <busy> season.",
            "drop": [offer],
        },
    )
    preview = rpc.preview_newsletter(draft["id"], {"language": "cy"})

    progress = rpc.send_newsletter(draft["id"])

    assert section(edited, "offers") == []
    assert preview["subject"] == "Newyddion yr haf"
    assert progress["recipients"] == 3
    mails = eventually(
        lambda: len(newsletters(smtp_sink)) == 3 and newsletters(smtp_sink)
    )
    by_address = {to(m): m for m in mails}
    assert set(by_address) == {
        "sian@example.cymru",
        "tom@example.cymru",
        "both@example.cymru",
    }
    assert by_address["sian@example.cymru"]["Subject"] == "Newyddion yr haf"
    assert by_address["tom@example.cymru"]["Subject"] == "Summer news"
    assert (
        by_address["both@example.cymru"]["Subject"] == "Newyddion yr haf / Summer news"
    )
    english = by_address["tom@example.cymru"]
    assert "A &lt;busy&gt; season." in english.get_body(("html",)).get_content()
    assert "A <busy> season." in english.get_body(("plain",)).get_content()
    assert "Our &lt;b&gt;garden&lt;/b&gt;" in english.get_body(("html",)).get_content()
    for message in mails:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message[LIST].startswith("<https://cyd.example.cymru/unsubscribe/")
    assert len({token_of(m) for m in mails}) == 3
    (event,) = issued.collect(1)
    issued.close()
    assert event["data"]["number"] == 1
    assert event["data"]["url"] == "https://cyd.example.cymru/newsletter/1"
    assert rpc.newsletter_progress(draft["id"]) == {
        "issue_id": draft["id"],
        "status": "sent",
        "recipients": 3,
        "sent": 3,
        "failed": 0,
        "cancelled": 0,
        "to_go": 0,
    }


def test_a_sent_issue_cannot_change_and_is_in_the_archive(rpc, community, smtp_sink):
    draft = complete_draft(rpc)
    rpc.send_newsletter(draft["id"])

    with pytest.raises(IssueNotDraft):
        rpc.edit_newsletter(draft["id"], {"title_en": "Too late"})
    listed = rpc.newsletter_archive({})
    public = rpc.archived_newsletter({"number": 1})
    for_members = rpc.archived_newsletter({"number": 1, "audience": "members"})

    assert [item["number"] for item in listed["items"]] == [1]
    assert public["html"].index('lang="cy"') < public["html"].index('lang="en"')
    assert "Rydym wedi cwrdd" not in public["html"]  # shared with members only
    assert "Rydym wedi cwrdd" in for_members["html"]
    assert "Helo" not in public["text"] and "unsubscribe" not in public["text"].lower()


def test_one_click_unsubscribing_takes_only_that_subscriber_off_the_next_issue(
    rpc, community, running, smtp_sink
):
    told = EventTap(
        running.config["AMQP_URI"], "notifications", "NewsletterUnsubscribed"
    )
    first = complete_draft(rpc)
    rpc.send_newsletter(first["id"])
    mails = eventually(
        lambda: len(newsletters(smtp_sink)) == 3 and newsletters(smtp_sink)
    )
    token = token_of(next(m for m in mails if to(m) == "sian@example.cymru"))
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")

    assert rpc.check_unsubscribe(token) == {"subscribed": True}
    for bad in (tampered, "made-up", f"{token}x"):
        with pytest.raises(UnsubscribeLinkInvalid):
            rpc.unsubscribe(bad)
    assert rpc.check_unsubscribe(token) == {"subscribed": True}
    assert rpc.unsubscribe(token) == {"subscribed": False}
    assert rpc.unsubscribe(token) == {"subscribed": False}

    second = rpc.draft_newsletter("cydlynydd")
    assert rpc.send_newsletter(second["id"])["recipients"] == 2
    eventually(lambda: len(newsletters(smtp_sink)) == 5)
    assert [to(m) for m in newsletters(smtp_sink)].count("sian@example.cymru") == 1
    assert len(told.collect(1)) == 1
    told.close()


@pytest.fixture
def session(notifications_config):
    engine = make_engine(notifications_config["DATABASE_URL"])
    upgrade(engine, MIGRATIONS)
    yield sessionmaker(engine, expire_on_commit=False)()
    engine.dispose()


def test_sending_resumes_after_a_crash_and_nobody_gets_a_second_copy(
    container_factory, notifications_config, smtp_sink, session
):
    people = [person(f"Tanysgrifiwr {n}", "cy") for n in range(5)]
    with session.begin():
        for n, data in enumerate(people):
            members.keep_snapshot(session, data)
            members.keep_contact(
                session, {**contact(data, f"t{n}@example.cymru"), "newsletter": True}
            )
    issue = newsletter.draft(session, None, NOW)
    newsletter.send(session, issue.id, NOW)
    with session.begin():
        from sqlalchemy import select

        from services.notifications.models import Delivery

        ids = session.scalars(
            select(Delivery.id).where(Delivery.issue_id == issue.id)
        ).all()

    for delivery_id, when in zip(ids[:2], ("after", "before"), strict=True):
        command = [
            sys.executable,
            "-m",
            "tests.support.crash_after_send",
            notifications_config["DATABASE_URL"],
            smtp_sink.url,
            notifications_config["SECRET_KEY"],
            delivery_id,
            when,
        ]
        subprocess.run(command, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=False)
    assert len(smtp_sink.messages()) == 1
    settings = {
        **notifications_config,
        "SMTP_URL": smtp_sink.url,
        "DELIVERY_STALE_SECONDS": 1,
    }
    container_factory(NotificationsService, settings).start()

    progress = eventually(
        lambda: (
            (found := newsletter.progress(session, issue.id))["status"] == "sent"
            and found
        ),
        timeout=40,
    )
    addresses = sorted(to(m) for m in smtp_sink.messages())
    assert addresses == [f"t{n}@example.cymru" for n in range(5)]
    assert (progress["sent"], progress["failed"]) == (4, 1)  # the one left uncertain
