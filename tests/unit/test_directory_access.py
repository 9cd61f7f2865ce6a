"""The directory's rows of the access table: anyone searches and reads the open
data; signed-in members post and respond; owners edit their own listing and
handle their own posts; coordinators may do everything."""

import pytest

from gateway.access import RULES, allowed
from gateway.auth import Identity

ANON = Identity()
ALYS = Identity("member", "alys")
COORDINATOR = Identity("coordinator", "cyd")
PARTNER = Identity("partner", None, frozenset({"directory:read"}))
PARTNER_WITHOUT_SCOPE = Identity("partner", None, frozenset())

READ = [
    "directory.search",
    "directory.listings.view",
    "directory.posts.search",
    "directory.posts.view",
    "directory.map.view",
    "directory.hsds.view",
    "directory.events.search",
    "directory.events.view",
    "directory.events.calendar",
]
MEMBERS = [
    "directory.posts.create",
    "directory.posts.respond",
    "directory.events.propose",
    "directory.events.sign_up",
]
COORDINATORS_ONLY = ["directory.events.review"]
OWNERS = [
    "directory.listings.view_own",
    "directory.listings.edit",
    "directory.listings.review",
    "directory.posts.close",
    "directory.responses.view",
    "directory.exchanges.agree",
    "directory.events.change",
    "directory.events.cancel",
    "directory.events.attendees",
    "directory.events.attendance",
    "directory.events.mine",
]


def test_every_directory_action_is_in_one_of_the_groups_tested_here():
    directory = {action for action in RULES if action.startswith("directory.")}

    assert directory == set(READ + MEMBERS + OWNERS + COORDINATORS_ONLY)


@pytest.mark.parametrize("action", READ)
def test_anyone_reads(action):
    for identity in (ANON, ALYS, COORDINATOR, PARTNER):
        assert allowed(identity, action)
    assert not allowed(PARTNER_WITHOUT_SCOPE, action)


@pytest.mark.parametrize("action", MEMBERS)
def test_people_who_are_signed_in_post_and_respond(action):
    assert allowed(ALYS, action) and allowed(COORDINATOR, action)
    assert not allowed(ANON, action) and not allowed(PARTNER, action)


@pytest.mark.parametrize("action", OWNERS)
def test_owners_and_coordinators_handle_their_own(action):
    assert allowed(ALYS, action, owner="alys")
    assert allowed(COORDINATOR, action, owner="alys")
    assert not allowed(ALYS, action, owner="bryn")
    assert not allowed(ANON, action, owner="alys")
    assert not allowed(PARTNER, action, owner="alys")


@pytest.mark.parametrize("action", COORDINATORS_ONLY)
def test_only_coordinators_approve_events(action):
    assert allowed(COORDINATOR, action)
    for identity in (ANON, ALYS, PARTNER):
        assert not allowed(identity, action)
        assert not allowed(identity, action, owner=identity.member_id)
