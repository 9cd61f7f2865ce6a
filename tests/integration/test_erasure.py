"""Leaving with erasure reaches everything this service made from a member:
their words and name in newsletter drafts and issues, what partners were sent."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from infra.migrate import upgrade
from services.notifications import feedback, lifecycle, newsletter, sources, webhooks
from services.notifications.models import WebhookDelivery
from services.notifications.service import MIGRATIONS
from services.notifications.settings import Settings
from tests.support.members import contact, snapshot

NOW = datetime.now(UTC)


@pytest.fixture
def session(db_url):
    engine = make_engine(db_url)
    upgrade(engine, MIGRATIONS)
    yield sessionmaker(engine, expire_on_commit=False)()
    engine.dispose()


def envelope(event_type: str, data: dict) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "time": NOW.isoformat(),
        "subject": None,
        "data": data,
    }


def everything_from(session, data: dict) -> None:
    member_id = data["member_id"]
    lifecycle.contact_changed(
        session, envelope("ContactDetailsChanged", {}), contact(data)
    )
    lifecycle.snapshot(session, envelope("MemberVerified", {}), data)
    feedback.submitted(
        session,
        envelope("FeedbackSubmitted", {}),
        {
            "feedback_id": str(uuid.uuid4()),
            "member_id": member_id,
            "round": 1,
            "rating": 5,
            "shared": True,
            "progress": "Geiriau Gwenno",
            "area": None,
            "submitted_at": NOW,
        },
    )
    sources.story_submitted(
        session,
        envelope("StorySubmitted", {}),
        {
            "story_id": str(uuid.uuid4()),
            "member_id": member_id,
            "occasion": "other",
            "round": None,
            "framework_version": "1",
            "sharing": "public",
            "language": "cy",
            "title": "Stori Gwenno",
            "text": "Testun y stori",
            "submitted_at": NOW,
        },
    )
    sources.posted(
        session,
        envelope("OfferPosted", {}),
        "offer",
        {
            "post_id": str(uuid.uuid4()),
            "member_id": member_id,
            "category": "time",
            "title": "Cynnig Gwenno",
            "area": None,
            "ends_on": None,
            "posted_at": NOW,
        },
    )


def left(session, data: dict, stories: str) -> None:
    lifecycle.left(
        session,
        envelope("MemberLeft", {}),
        {
            "member_id": data["member_id"],
            "version": 9,
            "reason": "left",
            "erase": True,
            "stories": stories,
            "left_at": NOW,
        },
    )


@pytest.mark.parametrize("stories", ["delete", "anonymise"])
def test_erasure_takes_the_member_out_of_every_issue(session, stories):
    data = snapshot("Gwenno Hywyn", language="cy", listed=True)
    everything_from(session, data)
    draft = newsletter.draft(session, None, NOW)
    text = json.dumps(draft.content, ensure_ascii=False)
    assert all(w in text for w in ("Gwenno Hywyn", "Geiriau Gwenno", "Cynnig Gwenno"))

    left(session, data, stories)

    with session.begin():
        kept = json.dumps(newsletter.get(session, draft.id).content, ensure_ascii=False)
    for gone in ("Gwenno Hywyn", "Geiriau Gwenno", "Cynnig Gwenno", data["member_id"]):
        assert gone not in kept
    assert ("Stori Gwenno" in kept) is (stories == "anonymise")
    again = json.dumps(newsletter.draft(session, None, NOW).content, ensure_ascii=False)
    assert "Gwenno Hywyn" not in again and "Geiriau Gwenno" not in again


def test_erasure_blanks_what_partners_were_sent_about_the_member(session):
    data = snapshot("Gwenno Hywyn", language="cy")
    settings = Settings(webhook_allow_private=True)
    webhooks.register(
        session,
        settings,
        "p1",
        {"url": "https://127.0.0.1:9/x", "event_types": ["MemberVerified"]},
    )
    webhooks.fan_out(
        session,
        envelope(
            "MemberVerified",
            json.loads(
                json.dumps(
                    {
                        **data,
                        "joined_at": NOW.isoformat(),
                        "verified_at": NOW.isoformat(),
                        "updated_at": NOW.isoformat(),
                    }
                )
            ),
        ),
    )

    left(session, data, "delete")

    with session.begin():
        (row,) = session.scalars(select(WebhookDelivery)).all()
        assert "Gwenno" not in row.body and row.status == "cancelled"
