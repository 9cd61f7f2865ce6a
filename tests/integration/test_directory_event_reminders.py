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
def people(directory_db):
    found = []
    for name in ("Lowri", "Iwan", "Mali", "Tomos"):
        person = a_member(name)
        deliver(directory_db, "MemberJoined", person)
        found.append(person["member_id"])
    return found


def reminded(directory_db) -> list[str]:
    sent = events(directory_db, "EventReminderDue")
    for event in sent:
        assert lookup("EventReminderDue").schema().validate(event["data"]) == {}
    return sorted(event["data"]["member_id"] for event in sent)


def soon_with_three_signed_up(directory_db, people) -> str:
    organiser, *others = people
    event_id = published(directory_db, organiser, places=2).id
    for member_id in others:
        places.sign_up(directory_db, event_id, member_id)
    move_start(directory_db, event_id, datetime.now(UTC) + timedelta(hours=20))
    return event_id


def test_each_member_with_a_place_is_reminded_once(directory_db, people):
    soon_with_three_signed_up(directory_db, people)
    later = published(directory_db, people[0]).id
    places.sign_up(directory_db, later, people[1])
    now = datetime.now(UTC)

    first = eventreminders.send_due(directory_db, now)
    again = eventreminders.send_due(directory_db, now + timedelta(hours=1))

    assert (first, again) == (2, 0)
    assert reminded(directory_db) == sorted(people[1:3])


def test_two_copies_looking_at_once_send_each_reminder_once(
    directory_db, people, db_url
):
    soon_with_three_signed_up(directory_db, people)
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
    assert reminded(directory_db) == sorted(people[1:3])


def test_a_moved_event_is_reminded_again_and_a_given_up_place_is_not(
    directory_db, people
):
    event_id = soon_with_three_signed_up(directory_db, people)
    eventreminders.send_due(directory_db, datetime.now(UTC))
    places.cancel(directory_db, event_id, people[1])

    move_start(directory_db, event_id, datetime.now(UTC) + timedelta(hours=22))
    eventreminders.send_due(directory_db, datetime.now(UTC))

    assert reminded(directory_db) == sorted(
        [people[1], people[2], people[2], people[3]]
    )


def test_running_copies_of_the_service_send_each_reminder_once(
    container_factory, config
):
    with directory_session(config["DATABASE_URL"]) as directory_db:
        people = []
        for name in ("Lowri", "Iwan", "Mali", "Tomos"):
            person = a_member(name)
            deliver(directory_db, "MemberJoined", person)
            people.append(person["member_id"])
        soon_with_three_signed_up(directory_db, people)
    tap = EventTap(config["AMQP_URI"], "directory", "EventReminderDue")
    ticking = {**config, "EVENT_REMINDER_SECONDS": 0.05}

    for _ in range(2):
        container_factory(DirectoryService, ticking).start()
    tap.collect(2)
    sent = tap.collect(3, timeout=2)
    tap.close()

    assert sorted(e["data"]["member_id"] for e in sent) == sorted(people[1:3])
