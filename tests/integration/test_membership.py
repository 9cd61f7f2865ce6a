import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from contracts.errors import InvalidInput
from services.membership.exceptions import EmailInUse, MemberNotFound
from services.membership.service import MembershipService
from tests.support.amqp import EventTap

FORM = {
    "name": "Gwenllïan Ŵyn-Prydderch",
    "email": "  Gwen.Wyn@Example.Cymru ",
    "area": "rhondda cynon taff",
    "language": "cy",
    "listed": True,
    "promise": "Byddaf yn gofyn i'r bobl sy'n defnyddio'r ganolfan beth sy'n bwysig.",
}


@pytest.fixture
def membership(container_factory, config):
    container_factory(MembershipService, config).start()
    with ServiceRpcProxy("membership", config) as proxy:
        yield proxy


@pytest.fixture
def joined_events(config):
    tap = EventTap(config["AMQP_URI"], "membership", "MemberJoined")
    yield tap
    tap.close()


def test_joining_stores_the_member_as_typed_and_announces_it(membership, joined_events):
    member = membership.join(FORM)

    (event,) = joined_events.collect(1)
    assert membership.get_member(member["id"])["name"] == "Gwenllïan Ŵyn-Prydderch"
    assert member["area"] == "W06000016"
    assert event["type"] == "MemberJoined"
    assert event["specversion"] == "1.0"
    assert event["subject"] == member["id"]
    assert event["data"]["member_id"] == member["id"]
    assert event["data"]["consents"]["listed"] is True


def test_an_email_already_in_use_is_refused_whatever_its_case(membership):
    membership.join(FORM)

    with pytest.raises(EmailInUse):
        membership.join({**FORM, "email": "gwen.wyn@EXAMPLE.cymru"})


def test_bad_input_is_refused_field_by_field(membership):
    form = {**FORM, "email": "not an address", "area": "Bristol", "language": "fr"}

    with pytest.raises(InvalidInput) as refused:
        membership.join(form)

    assert set(refused.value.errors) == {"email", "area", "language"}
    assert "W06000015" in refused.value.errors["area"][0]


def test_an_unknown_member_is_not_found(membership):
    with pytest.raises(MemberNotFound):
        membership.get_member("00000000-0000-0000-0000-000000000000")


def test_each_join_is_announced_exactly_once(membership, joined_events):
    for number in range(5):
        membership.join({**FORM, "email": f"aelod{number}@example.cymru"})

    events = joined_events.collect(6, timeout=3)
    assert len(events) == 5
    assert len({event["id"] for event in events}) == 5
