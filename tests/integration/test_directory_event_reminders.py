"""Reminders a day before: once for each member with a place, however many
copies of the service look at once; again only when the event moves."""

from datetime import UTC, datetime, timedelta

import eventlet
import pytest
from sqlalchemy.orm import sessionmaker

from contracts.events import lookup
from infra.db import make_engine
from services.directory import eventreminders, places
from services.directory.service import DirectoryService
from tests.support.amqp import EventTap
from tests.support.directory import deliver, directory_session, events
from tests.support.directory import member as a_member
from tests.support.events import move_start, published


@pytest.fixture
def session(db_url):
    with directory_session(db_url) as session:
        yield session


@pytest.fixture
def people(session):
    found = []
    for name in ("Lowri", "Iwan", "Mali", "Tomos"):
        person = a_member(name)
        deliver(session, "MemberJoined", person)
        found.append(person["member_id"])
    return found


def reminded(session) -> list[str]:
    sent = events(session, "EventReminderDue")
    for event in sent:
        assert lookup("EventReminderDue").schema().validate(event["data"]) == {}
    return sorted(event["data"]["member_id"] for event in sent)


def soon_with_three_signed_up(session, people) -> str:
    organiser, *others = people
    event_id = published(session, organiser, places=2).id
    for member_id in others:
        places.sign_up(session, event_id, member_id)
    move_start(session, event_id, datetime.now(UTC) + timedelta(hours=20))
    return event_id


def test_each_member_with_a_place_is_reminded_once(session, people):
    soon_with_three_signed_up(session, people)
    later = published(session, people[0]).id
    places.sign_up(session, later, people[1])
    now = datetime.now(UTC)

    first = eventreminders.send_due(session, now)
    again = eventreminders.send_due(session, now + timedelta(hours=1))

    assert (first, again) == (2, 0)
    assert reminded(session) == sorted(people[1:3])


def test_two_copies_looking_at_once_send_each_reminder_once(session, people, db_url):
    soon_with_three_signed_up(session, people)
    engine = make_engine(db_url)
    factory = sessionmaker(engine, expire_on_commit=False)
    go = eventlet.event.Event()

    def copy() -> int:
        go.wait()
        with factory() as own:
            return eventreminders.send_due(own, datetime.now(UTC))

    copies = [eventlet.spawn(copy) for _ in range(3)]
    go.send()
    sent = sum(green.wait() for green in copies)
    engine.dispose()

    assert sent == 2
    assert reminded(session) == sorted(people[1:3])


def test_a_moved_event_is_reminded_again_and_a_given_up_place_is_not(session, people):
    event_id = soon_with_three_signed_up(session, people)
    eventreminders.send_due(session, datetime.now(UTC))
    places.cancel(session, event_id, people[1])

    move_start(session, event_id, datetime.now(UTC) + timedelta(hours=22))
    eventreminders.send_due(session, datetime.now(UTC))

    assert reminded(session) == sorted([people[1], people[2], people[2], people[3]])


def test_running_copies_of_the_service_send_each_reminder_once(
    container_factory, config
):
    with directory_session(config["DATABASE_URL"]) as session:
        people = []
        for name in ("Lowri", "Iwan", "Mali", "Tomos"):
            person = a_member(name)
            deliver(session, "MemberJoined", person)
            people.append(person["member_id"])
        soon_with_three_signed_up(session, people)
    tap = EventTap(config["AMQP_URI"], "directory", "EventReminderDue")
    ticking = {**config, "EVENT_REMINDER_SECONDS": 0.05}

    for _ in range(2):
        container_factory(DirectoryService, ticking).start()
    tap.collect(2)
    sent = tap.collect(3, timeout=2)
    tap.close()

    assert sorted(e["data"]["member_id"] for e in sent) == sorted(people[1:3])
