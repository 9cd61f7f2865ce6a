"""Which stories a group holds, on a real database: each teller's newest round,
and the same tellers in two groups (the comparison of baseline and progress)."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from infra.db import make_engine
from infra.migrate import upgrade
from services.stories.groups import condition, same_members
from services.stories.models import Story, story_facts

COORDINATORS = {"audience": "coordinators", "member_id": None}

# Who told what: (teller, occasion, round).
TOLD = [
    ("ana", "baseline", None),
    ("ana", "feedback", 1),
    ("ana", "feedback", 2),
    ("bryn", "baseline", None),
    ("bryn", "feedback", 1),
    ("cerys", "feedback", 1),
    ("dai", "baseline", None),
]


@pytest.fixture
def stories(db_url):
    """The stories in TOLD, as {(teller, occasion, round): story id}, and a
    function that gives the keys of the stories matching a condition."""
    engine = make_engine(db_url)
    upgrade(engine, "services/stories/migrations")
    members = {name: str(uuid.uuid4()) for name, _, _ in TOLD}
    ids = {key: str(uuid.uuid4()) for key in TOLD}
    now = datetime(2026, 12, 4, 9, tzinfo=UTC)
    common = {"sharing": "members", "submitted_at": now}
    with engine.begin() as connection:
        connection.execute(
            insert(Story),
            [
                {**common, "id": ids[key], "member_id": members[key[0]],
                 "occasion": key[1], "round": key[2], "framework_version": "1",
                 "language": "cy"}
                for key in TOLD
            ],
        )  # fmt: skip
        connection.execute(
            insert(story_facts),
            [
                {**common, "story_id": ids[key], "member_id": members[key[0]],
                 "occasion": key[1], "round": key[2]}
                for key in TOLD
            ],
        )  # fmt: skip
    keys = {story_id: key for key, story_id in ids.items()}

    def matching(where) -> set:
        with engine.connect() as connection:
            found = connection.scalars(select(story_facts.c.story_id).where(where))
            return {keys[story_id] for story_id in found}

    yield matching
    engine.dispose()


def test_the_latest_round_is_each_tellers_newest_feedback(stories):
    latest = condition({"round": "latest"}, COORDINATORS)

    assert stories(latest) == {
        ("ana", "feedback", 2),
        ("bryn", "feedback", 1),
        ("cerys", "feedback", 1),
    }


def test_the_same_members_keeps_only_tellers_in_both_groups(stories):
    baseline = condition({"occasion": "baseline"}, COORDINATORS)
    latest = condition({"round": "latest"}, COORDINATORS)

    assert stories(same_members(baseline, latest)) == {
        ("ana", "baseline", None),
        ("bryn", "baseline", None),
    }
    assert stories(same_members(latest, baseline)) == {
        ("ana", "feedback", 2),
        ("bryn", "feedback", 1),
    }
