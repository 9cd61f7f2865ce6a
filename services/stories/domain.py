"""Keeping stories and announcing them."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.stories.models import OutboxEvent, Story

FRAMEWORK_VERSION = "0"


def submit_story(session: Session, form: dict[str, Any]) -> Story:
    with session.begin():
        story = Story(
            id=str(uuid.uuid4()),
            member_id=str(form["member_id"]),
            title=form["title"],
            text=form["text"],
            signifiers=form["signifiers"],
            sharing=form["sharing"],
            language=form["language"],
            framework_version=FRAMEWORK_VERSION,
            submitted_at=datetime.now(UTC),
        )
        session.add(story)
        record_event(
            session,
            OutboxEvent,
            "StorySubmitted",
            story.id,
            _submitted(story),
        )
    return story


def _submitted(story: Story) -> dict[str, Any]:
    public = story.sharing == "public"
    return {
        "story_id": story.id,
        "member_id": story.member_id,
        "occasion": "other",
        "round": None,
        "framework_version": story.framework_version,
        "sharing": story.sharing,
        "language": story.language,
        "title": story.title if public else None,
        "text": story.text if public else None,
        "submitted_at": story.submitted_at,
    }
