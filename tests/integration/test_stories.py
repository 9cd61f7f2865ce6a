import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from contracts.errors import InvalidInput
from services.stories.service import StoriesService
from tests.support.amqp import EventTap

STORY = {
    "member_id": str(uuid.uuid4()),
    "title": "Gardd y gymuned",
    "text": "Daeth pawb at ei gilydd i gynllunio'r ardd, a'r plant a ddewisodd y coed.",
    "language": "cy",
    "sharing": "members",
    "signifiers": {"power_shared": 0.8, "voices": [0.5, 0.25, 0.25], "felt": None},
}


@pytest.fixture
def stories(container_factory, config):
    container_factory(StoriesService, config).start()
    with ServiceRpcProxy("stories", config) as proxy:
        yield proxy


def test_a_members_only_story_is_announced_without_its_words(stories, config):
    tap = EventTap(config["AMQP_URI"], "stories", "StorySubmitted")

    story = stories.submit_story(STORY)

    (event,) = tap.collect(1)
    tap.close()
    assert story["signifiers"] == STORY["signifiers"]
    assert event["data"]["story_id"] == story["id"]
    assert event["data"]["text"] is None
    assert event["data"]["title"] is None


@pytest.mark.parametrize(
    "signifiers",
    [{"voices": [0.5, 0.5, 0.5]}, {"power": 1.5}, {"power": True}, {"Bad Key": 0.5}],
)
def test_answers_that_do_not_fit_their_question_are_refused(stories, signifiers):
    with pytest.raises(InvalidInput) as refused:
        stories.submit_story({**STORY, "signifiers": signifiers})

    assert "signifiers" in refused.value.errors
