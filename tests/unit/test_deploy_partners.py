"""A partner's broker permissions come from the event catalogue: every public
event can be bound, no internal one, no wildcard; the example partner in the
partner-access component carries exactly those patterns."""

import re
import sys

import yaml

from contracts.events import CATALOGUE
from tests.support.manifests import DEPLOY, KUBERNETES

sys.path.insert(0, str(DEPLOY))
from partner_access import (  # noqa: E402
    manifest,
    partner_access,
    public_events,
    rabbitmqctl_lines,
)

EXAMPLE = KUBERNETES / "components" / "partner-access" / "example-partner.yaml"


def bindable(exchange: str, key: str, name: str = "example-council") -> bool:
    grants = {g.exchange: g for g in partner_access(name).topics}
    return exchange in grants and bool(re.fullmatch(grants[exchange].read, key))


def test_every_public_event_can_be_bound_and_no_internal_one():
    for event in CATALOGUE:
        assert bindable(event.exchange, event.name) is not event.internal, event.name


def test_the_internal_events_named_in_the_contracts_are_refused():
    for exchange, name in [
        ("membership.events", "ContactDetailsChanged"),
        ("membership.events", "LinkRequested"),
        ("membership.events", "AlreadyMember"),
        ("directory.events", "ResponseSent"),
    ]:
        assert not bindable(exchange, name)


def test_wildcards_and_near_names_are_refused():
    for key in (
        "#",
        "*",
        "Member*",
        "MemberJoined.#",
        "MemberJoinedX",
        "xMemberJoined",
    ):
        assert not bindable("membership.events", key), key


def test_a_partner_configures_only_its_own_queues_and_publishes_nowhere():
    access = partner_access("example-council")

    assert re.fullmatch(access.configure, "partner.example-council.listings")
    assert not re.fullmatch(access.configure, "partner.other.listings")
    assert not re.fullmatch(access.configure, "rpc-directory")
    assert not re.fullmatch(access.read, "nameko-rpc")
    assert not re.fullmatch(access.read, "parked")
    assert all(grant.write == "^$" for grant in access.topics)


def test_the_rabbitmqctl_lines_put_write_before_read():
    lines = rabbitmqctl_lines(partner_access("example-council"), "coprod")
    topic = [line for line in lines if "set_topic_permissions" in line]

    assert len(topic) == len(public_events())
    assert all(" '^$' '^(" in line for line in topic)


def test_the_example_partner_manifest_is_what_the_script_makes():
    made = manifest(partner_access("example-council"), "coprod")

    assert EXAMPLE.read_text() == made, (
        "regenerate it: PYTHONPATH=. python deploy/partner_access.py "
        f"example-council --manifest > {EXAMPLE.relative_to(DEPLOY.parent)}"
    )


def test_the_manifest_grants_the_same_patterns():
    access = partner_access("example-council")
    objects = list(yaml.safe_load_all(EXAMPLE.read_text()))
    (permission,) = [o for o in objects if o["kind"] == "Permission"]
    topics = {
        o["spec"]["permissions"]["exchange"]: o["spec"]["permissions"]
        for o in objects
        if o["kind"] == "TopicPermission"
    }

    assert permission["spec"]["permissions"] == {
        "configure": access.configure,
        "write": access.write,
        "read": access.read,
    }
    assert topics == {
        g.exchange: {"exchange": g.exchange, "write": g.write, "read": g.read}
        for g in access.topics
    }
