import pytest

from gateway.access import RULES, Rule, allowed, require
from gateway.auth import Identity
from gateway.exceptions import Forbidden, Unauthenticated

ANON = Identity()
ALYS = Identity("member", "alys")
CYDLYNYDD = Identity("coordinator", "cyd")
PARTNER = Identity("partner", None, frozenset({"directory:read"}))


@pytest.fixture
def rules(monkeypatch):
    table = {
        "open": Rule(frozenset({"anonymous", "member", "coordinator", "partner"})),
        "own": Rule(frozenset({"coordinator"}), own=True),
        "scoped": Rule(frozenset({"partner"}), scope="webhooks:manage"),
    }
    monkeypatch.setattr("gateway.access.RULES", table)


@pytest.mark.parametrize(
    ("identity", "action", "owner", "expected"),
    [
        (ANON, "open", None, True),
        (ANON, "own", "alys", False),
        (ALYS, "own", "alys", True),
        (ALYS, "own", "bryn", False),
        (CYDLYNYDD, "own", "bryn", True),
        (PARTNER, "scoped", None, False),
        (
            Identity("partner", None, frozenset({"webhooks:manage"})),
            "scoped",
            None,
            True,
        ),
    ],
)
def test_each_rule_lets_in_exactly_whom_it_names(
    rules, identity, action, owner, expected
):
    assert allowed(identity, action, owner) is expected


def test_nobody_signed_in_is_asked_to_sign_in(rules):
    with pytest.raises(Unauthenticated):
        require(ANON, "own", "alys")


def test_someone_signed_in_but_not_allowed_is_forbidden(rules):
    with pytest.raises(Forbidden):
        require(ALYS, "own", "bryn")


def test_every_rule_names_only_known_roles():
    known = {"anonymous", "member", "coordinator", "partner"}

    assert all(rule.roles <= known for rule in RULES.values())


MEMBERSHIP_ROWS = {
    # action: (anonymous, member on own, member on another's, coordinator)
    "members.join": (True, True, True, True),
    "members.confirm": (True, True, True, True),
    "session.request": (True, True, True, True),
    "session.redeem": (True, True, True, True),
    "session.end": (True, True, True, True),
    "members.me": (False, True, True, True),
    "members.list": (False, False, False, True),
    "members.view": (False, True, False, True),
    "members.update": (False, True, False, True),
    "members.consents": (False, True, False, True),
    "members.promises": (False, True, False, True),
    "members.promise": (False, True, False, False),
    "members.agree": (False, True, False, False),
    "members.badge": (False, True, False, True),
    "members.leave": (False, True, False, True),
    "members.export": (False, True, False, True),
    "principles.view": (True, True, True, True),
    "principles.publish": (False, False, False, True),
    "drive.view": (False, True, True, True),
    "drive.set": (False, False, False, True),
    "badges.view": (True, True, True, True),
    "badges.revoke": (False, False, False, True),
}


@pytest.mark.parametrize("action", sorted(MEMBERSHIP_ROWS))
def test_each_membership_row_lets_in_exactly_whom_it_should(action):
    anonymous, own, others, coordinator = MEMBERSHIP_ROWS[action]

    assert allowed(ANON, action, "alys") is anonymous
    assert allowed(ALYS, action, "alys") is own
    assert allowed(ALYS, action, "bryn") is others
    assert allowed(CYDLYNYDD, action, "bryn") is coordinator


@pytest.mark.parametrize("action", sorted(MEMBERSHIP_ROWS))
def test_partners_take_no_membership_action_without_a_scope(action):
    assert allowed(PARTNER, action, "alys") is False


def test_every_scope_a_rule_asks_for_is_one_a_key_can_have():
    from contracts.scopes import SCOPES

    assert {rule.scope for rule in RULES.values() if rule.scope} <= set(SCOPES)


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        (ANON, False),
        (ALYS, False),
        (CYDLYNYDD, True),
        (Identity("partner", None, frozenset({"webhooks:manage"}), "p1"), False),
    ],
)
def test_only_coordinators_manage_api_keys(identity, expected):
    assert allowed(identity, "apikeys.manage") is expected


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        # (anonymous, member, coordinator, partner with every scope)
        ("suggestions.make", (True, True, True, False)),
        ("suggestions.read", (False, False, True, False)),
        ("suggestions.answer", (False, False, True, False)),
        ("parked.view", (False, False, True, False)),
        ("parked.replay", (False, False, True, False)),
    ],
)
def test_each_site_row_lets_in_exactly_whom_it_should(action, expected):
    from contracts.scopes import SCOPES

    everything = Identity("partner", None, frozenset(SCOPES), "p1")
    who = (ANON, ALYS, CYDLYNYDD, everything)

    assert tuple(allowed(identity, action) for identity in who) == expected
