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
