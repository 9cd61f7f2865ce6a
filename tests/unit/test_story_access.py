"""The access rows of the stories routes."""

import pytest
from werkzeug.datastructures import MultiDict

from gateway.access import allowed
from gateway.auth import Identity
from gateway.routes.stories import group_args, viewer

ANON = Identity()
ALYS = Identity("member", "alys")
CYDLYNYDD = Identity("coordinator", "cyd")
PARTNER = Identity("partner", None, frozenset({"evaluation:read"}))


@pytest.mark.parametrize(
    ("identity", "action", "owner", "expected"),
    [
        (ANON, "stories.submit", None, False),
        (ALYS, "stories.submit", "alys", True),
        (ALYS, "stories.submit", "bryn", False),
        (CYDLYNYDD, "stories.submit", "bryn", False),
        (ANON, "feedback.submit", None, False),
        (ALYS, "feedback.submit", "alys", True),
        (ALYS, "feedback.submit", "bryn", False),
        (ANON, "stories.framework", None, True),
        (ANON, "stories.check", None, True),
        (ANON, "stories.list", None, True),
        (ANON, "progress.view", None, True),
        (ANON, "evaluation.view", None, True),
        (PARTNER, "evaluation.view", None, True),
        (PARTNER, "progress.view", None, False),
        (ANON, "evaluation.export", None, False),
        (ALYS, "evaluation.export", None, False),
        (CYDLYNYDD, "evaluation.export", None, True),
    ],
)
def test_the_stories_rules_let_in_exactly_whom_they_name(
    identity, action, owner, expected
):
    assert allowed(identity, action, owner) is expected


@pytest.mark.parametrize(
    ("identity", "audience"),
    [
        (ANON, "public"),
        (ALYS, "members"),
        (CYDLYNYDD, "coordinators"),
        (PARTNER, "public"),
    ],
)
def test_each_role_reads_stories_as_its_audience(identity, audience):
    assert viewer(identity)["audience"] == audience


def test_group_filters_come_from_the_query_string():
    args = MultiDict(
        [
            ("a.occasion", "baseline"),
            ("a.choice.about", "me,group"),
            ("b.round", "latest"),
            ("area", "Caerdydd"),
        ]
    )

    assert group_args(args, "a.") == {
        "occasion": "baseline",
        "choices": {"about": ["me", "group"]},
    }
    assert group_args(args, "b.") == {"round": "latest"}
    assert group_args(args) == {"area": "Caerdydd"}
