"""The stories service on a real broker and database (SQLite and PostgreSQL)."""

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from contracts.errors import Conflict, InvalidInput, NotFound
from services.stories.service import StoriesService
from tests.support.amqp import EventTap, publish_event
from tests.support.members import snapshot
from tests.support.waiting import eventually

ANSWERS = {
    "prompt": "turning_point",
    "feeling": {"choice": "positive"},
    "about": {"choice": "community"},
    "role": {"choice": "volunteering"},
}
STORY = {
    "title": "Gardd y gymuned",
    "text": "Daeth pawb at ei gilydd i gynllunio'r ardd.",
    "language": "cy",
    "sharing": "members",
    "answers": ANSWERS,
}
COORDINATORS = {"audience": "coordinators", "member_id": None}
PUBLIC = {"audience": "public", "member_id": None}


@pytest.fixture
def stories(container_factory, config):
    container_factory(StoriesService, config).start()
    with ServiceRpcProxy("stories", config) as proxy:
        yield proxy


def join(config, stories, **overrides) -> dict:
    """Announce a member as membership would, and wait until stories has them."""
    member = snapshot(**overrides)
    publish_event(config["AMQP_URI"], "MemberJoined", member["member_id"], member)
    eventually(lambda: stories.export_member(member["member_id"])["member"])
    return member


def tell(stories, member_id: str | None = None, **changes) -> dict:
    answers = {**ANSWERS, **changes.pop("answers", {})}
    form = {**STORY, **changes, "answers": answers}
    return stories.submit_story({**form, "member_id": member_id or str(uuid.uuid4())})


def test_a_members_only_story_is_announced_without_its_words(stories, config):
    tap = EventTap(config["AMQP_URI"], "stories", "StorySubmitted")

    story = tell(stories, answers={"power": 0.8, "seen_as": None})

    (event,) = tap.collect(1)
    tap.close()
    assert story["answers"]["power"] == 0.8
    assert "seen_as" not in story["answers"]
    assert event["data"]["story_id"] == story["id"]
    assert (event["data"]["title"], event["data"]["text"]) == (None, None)
    assert event["data"]["framework_version"] == "1"


def test_checking_a_story_names_the_question_and_writes_nothing(stories):
    with pytest.raises(InvalidInput) as refused:
        stories.check_story({**STORY, "answers": {**ANSWERS, "difference": [1, 1, 1]}})

    assert list(refused.value.errors["answers"]) == ["difference"]
    assert stories.check_story(STORY)["ok"] is True
    assert stories.list_stories({**COORDINATORS})["total"] == 0


def test_the_join_forms_story_becomes_the_baseline(stories, config):
    member = join(config, stories, area="W06000015")
    publish_event(
        config["AMQP_URI"],
        "BaselineStoryTold",
        member["member_id"],
        {
            "member_id": member["member_id"],
            "story": STORY,
            "told_at": datetime.now(UTC),
        },
    )

    found = eventually(lambda: stories.export_member(member["member_id"])["stories"])

    assert found[0]["occasion"] == "baseline"
    assert found[0]["area"] == "W06000015"


def test_readers_see_only_what_was_shared_with_them(stories):
    teller = str(uuid.uuid4())
    private = tell(stories, teller, sharing="coordinators")
    public = tell(stories, teller, sharing="public")

    assert stories.list_stories(PUBLIC)["total"] == 1
    member = {"audience": "members", "member_id": str(uuid.uuid4())}
    with pytest.raises(NotFound):
        stories.get_story(private["id"], member)
    own = stories.get_story(private["id"], {"audience": "members", "member_id": teller})
    assert own["member_id"] == teller
    assert stories.get_story(public["id"], PUBLIC)["member_id"] is None


def test_no_figure_for_fewer_than_five_stories(stories):
    for _ in range(4):
        tell(stories, sharing="public")

    found = stories.evaluate({**COORDINATORS})

    assert found["suppressed"] is True
    assert found["stories"] is None and found["questions"] == []


def test_small_cells_are_hidden_even_when_the_group_is_large(stories):
    for _ in range(7):
        tell(stories, answers={"power": 0.9})
    for _ in range(2):
        tell(stories, answers={"power": 0.1})
    for _ in range(6):
        tell(stories)

    found = stories.evaluate({**COORDINATORS})
    power = next(q for q in found["questions"] if q["id"] == "power")

    assert found["stories"] == 15
    assert power["counts"]["5"] == 7
    assert power["counts"]["1"] is None  # 2 stories
    assert power["counts"]["no_answer"] is None  # 6, hidden so 2 cannot be worked out
    assert power["mean"] is not None


def test_public_view_counts_only_public_stories(stories):
    for _ in range(5):
        tell(stories, sharing="public", answers={"about": {"choice": "me"}})
    for _ in range(5):
        tell(stories, sharing="coordinators")

    public = stories.evaluate({**PUBLIC})
    everyone = stories.evaluate({**COORDINATORS})

    about = next(q for q in public["questions"] if q["id"] == "about")
    assert (public["stories"], everyone["stories"]) == (5, 10)
    assert about["counts"]["me"] == 5


def test_filters_by_a_choice_answer(stories):
    for _ in range(6):
        tell(stories, answers={"matters_now": {"choices": ["health", "money"]}})
    for _ in range(6):
        tell(stories, answers={"matters_now": {"choices": ["housing"]}})

    found = stories.evaluate(
        {**COORDINATORS, "group": {"choices": {"matters_now": ["money"]}}}
    )

    assert found["stories"] == 6


def test_two_groups_side_by_side_with_a_significance_test(stories):
    for i in range(8):
        tell(stories, answers={"about": {"choice": "me"}, "power": 0.05 + i / 100})
        tell(stories, answers={"about": {"choice": "group"}, "power": 0.85 + i / 100})

    result = stories.compare(
        {
            **COORDINATORS,
            "a": {"choices": {"about": ["me"]}},
            "b": {"choices": {"about": ["group"]}},
        }
    )

    power = next(t for t in result["tests"] if t["question"] == "power")
    assert power["test"] == "mann-whitney-u"
    assert power["significant"] is True
    feeling = next(t for t in result["tests"] if t["question"] == "feeling")
    assert feeling["test"] is None  # every answer the same: nothing to test
    assert (result["a"]["stories"], result["b"]["stories"]) == (8, 8)


def test_a_group_too_small_is_never_compared(stories):
    for _ in range(6):
        tell(stories, answers={"about": {"choice": "me"}})
    tell(stories, answers={"about": {"choice": "group"}})

    result = stories.compare(
        {
            **COORDINATORS,
            "a": {"choices": {"about": ["me"]}},
            "b": {"choices": {"about": ["group"]}},
        }
    )

    assert result["b"]["suppressed"] is True and result["tests"] == []


def test_the_csv_export_has_a_row_per_story_and_a_column_per_answer(stories):
    tell(
        stories,
        answers={
            "difference": [0.5, 0.3, 0.2],
            "power": "not_applicable",
            "about": {"choice": "other", "other": '=HYPERLINK("http://x")'},
        },
    )
    tell(stories)

    found = stories.export_stories({**COORDINATORS, "format": "csv"})

    rows = list(csv.DictReader(io.StringIO(found["body"])))
    assert len(rows) == 2
    first = next(r for r in rows if r["difference.own_strengths"])
    assert float(first["difference.own_strengths"]) == pytest.approx(0.5)
    assert first["power.not_applicable"] == "1"
    assert first["about"] == "other" and first["about.other"] == "1"
    assert first["about.other_text"].startswith("'=")


def test_charts_are_svg(stories):
    for _ in range(6):
        tell(stories, answers={"difference": [0.7, 0.2, 0.1], "power": 0.6})

    triad = stories.chart({**COORDINATORS, "question": "difference", "language": "cy"})
    dyad = stories.chart({**COORDINATORS, "question": "power"})

    assert "<svg" in triad and "<svg" in dyad
    assert "Yn eich stori, beth wnaeth y gwahaniaeth?" in triad
    with pytest.raises(InvalidInput):
        stories.chart({**COORDINATORS, "question": "about"})


def test_erasure_deletes_or_anonymises_as_the_member_chose(stories, config):
    keep = join(config, stories)["member_id"]
    drop = join(config, stories)["member_id"]
    kept = tell(
        stories,
        keep,
        answers={"power": 0.7, "about": {"choice": "other", "other": "Côr Meibion"}},
    )
    tell(stories, drop)

    for member_id, choice in ((keep, "anonymise"), (drop, "delete")):
        publish_event(
            config["AMQP_URI"],
            "MemberLeft",
            member_id,
            {
                "member_id": member_id,
                "version": 2,
                "reason": "left",
                "erase": True,
                "stories": choice,
                "left_at": datetime.now(UTC),
            },
        )
    eventually(lambda: stories.export_member(drop)["member"]["status"] == "left")
    eventually(lambda: stories.export_member(keep)["member"]["status"] == "left")

    assert stories.export_member(drop)["stories"] == []
    assert stories.export_member(keep)["stories"] == []
    anonymous = stories.get_story(kept["id"], COORDINATORS)
    assert anonymous["member_id"] is None and anonymous["anonymised"] is True
    assert anonymous["title"] is None and anonymous["text"] is None
    assert anonymous["answers"]["power"] == 0.7
    assert anonymous["answers"]["about"] == {"choice": "other"}
    assert stories.list_stories(COORDINATORS)["total"] == 1


def test_nothing_comes_back_after_leaving(stories, config):
    member_id = join(config, stories)["member_id"]
    publish_event(
        config["AMQP_URI"],
        "MemberLeft",
        member_id,
        {
            "member_id": member_id,
            "version": 2,
            "reason": "unconfirmed",
            "erase": True,
            "stories": "delete",
            "left_at": datetime.now(UTC),
        },
    )
    eventually(lambda: stories.export_member(member_id)["member"]["status"] == "left")

    publish_event(
        config["AMQP_URI"],
        "BaselineStoryTold",
        member_id,
        {"member_id": member_id, "story": STORY, "told_at": datetime.now(UTC)},
    )
    with pytest.raises(Conflict):
        tell(stories, member_id)

    assert stories.export_member(member_id)["stories"] == []
    assert stories.export_member(member_id)["member"]["area"] is None


def long_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


@pytest.fixture
def rounds_config(config):
    return {**config, "ROUNDS_INTERVAL_SECONDS": 0.2}


def test_a_round_that_fell_due_is_asked_for_and_answered(
    container_factory, rounds_config
):
    tap = EventTap(rounds_config["AMQP_URI"], "stories", "FeedbackRequested")
    given = EventTap(rounds_config["AMQP_URI"], "stories", "FeedbackSubmitted")
    container_factory(StoriesService, rounds_config).start()
    with ServiceRpcProxy("stories", rounds_config) as stories:
        member = snapshot(area="W06000015", verified_at=long_ago(200))
        member["consents"]["share_progress"] = True
        publish_event(
            rounds_config["AMQP_URI"], "MemberVerified", member["member_id"], member
        )

        (asked,) = tap.collect(1)
        feedback = stories.submit_feedback(
            {
                "member_id": member["member_id"],
                "rating": 4,
                "progress": "Rydym yn cyfarfod bob mis.",
                "principles": ["trust_power"],
                "story": STORY,
            }
        )
        with pytest.raises(Conflict):
            stories.submit_feedback(
                {"member_id": member["member_id"], "rating": 2, "progress": "Eto"}
            )
        shared = stories.list_progress({"area": "Caerdydd", "principle": "trust_power"})
        elsewhere = stories.list_progress({"area": "Ceredigion"})
        (submitted,) = given.collect(1)
    tap.close()
    given.close()

    assert (asked["data"]["member_id"], asked["data"]["round"]) == (
        member["member_id"],
        1,
    )
    assert feedback["round"] == 1 and feedback["story_id"]
    assert submitted["data"]["progress"] == "Rydym yn cyfarfod bob mis."
    assert [item["id"] for item in shared["items"]] == [feedback["id"]]
    assert elsewhere["total"] == 0


def test_each_round_is_asked_for_once_with_two_copies_running(
    container_factory, rounds_config
):
    tap = EventTap(rounds_config["AMQP_URI"], "stories", "FeedbackRequested")
    container_factory(StoriesService, rounds_config).start()
    container_factory(StoriesService, rounds_config).start()
    members = [snapshot(verified_at=long_ago(400)) for _ in range(6)]
    for member in members:
        publish_event(
            rounds_config["AMQP_URI"], "MemberVerified", member["member_id"], member
        )

    # Two copies starting together on a busy machine can take a while to begin.
    events = tap.collect(len(members), timeout=60)
    extra = tap.collect(len(members) + 1, timeout=3)
    tap.close()

    # The relay may publish a row twice (at least once); the round is emitted
    # once: one event id per member and round, which consumers' inboxes dedupe.
    emitted = {(e["data"]["member_id"], e["data"]["round"], e["id"]) for e in extra}
    asked = sorted((member_id, number) for member_id, number, _ in emitted)
    assert asked == sorted((m["member_id"], 2) for m in members)
    assert len(events) >= len(members)


def test_a_story_sent_again_with_its_idempotency_key_is_kept_once(stories, config):
    tap = EventTap(config["AMQP_URI"], "stories", "StorySubmitted")
    member_id = str(uuid.uuid4())
    form = {**STORY, "member_id": member_id}

    first = stories.submit_story(form, "story-key-1")
    again = stories.submit_story(form, "story-key-1")
    other = stories.submit_story(form, "story-key-2")

    events = tap.collect(3, timeout=5)
    tap.close()
    assert again == first and other["id"] != first["id"]
    kept = stories.list_stories({**COORDINATORS})
    assert sorted(s["id"] for s in kept["items"]) == sorted([first["id"], other["id"]])
    assert sorted(e["data"]["story_id"] for e in events) == sorted(
        [first["id"], other["id"]]
    )


def test_an_idempotency_key_used_for_another_story_is_refused(stories):
    member_id = str(uuid.uuid4())
    stories.submit_story({**STORY, "member_id": member_id}, "story-key")

    with pytest.raises(Conflict):
        stories.submit_story(
            {**STORY, "member_id": member_id, "title": "Stori arall"}, "story-key"
        )
    with pytest.raises(InvalidInput) as refused:
        stories.submit_story({**STORY, "member_id": member_id}, "bad key\n")

    assert list(refused.value.errors) == ["key"]
    assert stories.list_stories({**COORDINATORS})["total"] == 1


def test_two_tellers_may_use_the_same_idempotency_key(stories):
    one = stories.submit_story({**STORY, "member_id": str(uuid.uuid4())}, "same")
    two = stories.submit_story({**STORY, "member_id": str(uuid.uuid4())}, "same")

    assert one["id"] != two["id"]
