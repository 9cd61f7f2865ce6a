"""The access rows of the notifications routes."""

import pytest

from gateway.access import allowed
from gateway.auth import Identity

ANON = Identity()
MEMBER = Identity("member", "alys")
COORDINATOR = Identity("coordinator", "cyd")
PARTNER = Identity("partner", scopes=frozenset({"webhooks:manage"}), partner_id="p1")
PARTNER_READ_ONLY = Identity("partner", scopes=frozenset({"directory:read"}))

COORDINATORS_ONLY = (
    "notifications.view_deliveries",
    "notifications.resend",
    "notifications.manage_newsletter",
)


@pytest.mark.parametrize("action", COORDINATORS_ONLY)
@pytest.mark.parametrize(
    ("identity", "expected"),
    [(ANON, False), (MEMBER, False), (COORDINATOR, True), (PARTNER, False)],
)
def test_the_log_and_the_newsletter_are_for_coordinators_only(
    action, identity, expected
):
    assert allowed(identity, action) is expected


@pytest.mark.parametrize(
    "action", ["notifications.read_archive", "notifications.unsubscribe"]
)
@pytest.mark.parametrize("identity", [ANON, MEMBER, COORDINATOR])
def test_the_archive_and_unsubscribing_are_open_to_everyone(action, identity):
    assert allowed(identity, action) is True


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        (ANON, False),
        (MEMBER, False),
        (COORDINATOR, False),
        (PARTNER_READ_ONLY, False),
        (PARTNER, True),
    ],
)
def test_webhooks_need_a_partner_key_with_the_webhooks_scope(identity, expected):
    assert allowed(identity, "notifications.manage_webhooks") is expected
