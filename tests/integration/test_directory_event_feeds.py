"""Calendar feeds that the `icalendar` package reads back with the right
moments either side of the clock changes in Wales, on both databases."""

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from services.directory import eventfeeds, eventqueries, places, whatson
from tests.support.directory import deliver
from tests.support.directory import member as a_member
from tests.support.events import published

BASE = "https://cyd.example.cymru"


@pytest.fixture
def organiser(directory_db):
    person = a_member("Heledd")
    deliver(directory_db, "MemberJoined", person)
    return person["member_id"]


def at(directory_db, organiser, starts: str, ends: str, **fields):
    return published(directory_db, organiser, starts_at=starts, ends_at=ends, **fields)


def read_back(feed: bytes) -> dict[str, tuple[datetime, datetime, str]]:
    parsed = Calendar.from_ical(feed)
    return {
        str(item["summary"]): (
            item.decoded("dtstart").astimezone(UTC),
            item.decoded("dtend").astimezone(UTC),
            str(item["status"]),
        )
        for item in parsed.walk("VEVENT")
    }


def test_times_read_back_right_across_the_march_and_october_changes(
    directory_db, organiser
):
    at(directory_db, organiser, "2027-03-27T10:00", "2027-03-27T12:00",
       title_cy="Cyn y newid", title_en="Before March")  # fmt: skip
    at(directory_db, organiser, "2027-03-28T10:00", "2027-03-28T12:00",
       title_cy="Ar ôl y newid", title_en="After March")  # fmt: skip
    at(directory_db, organiser, "2027-10-30T10:00", "2027-10-30T12:00",
       title_cy="Cyn Hydref", title_en="Before October")  # fmt: skip
    at(directory_db, organiser, "2027-10-31T01:30+00:00", "2027-10-31T03:00",
       title_cy="Yr ail 01:30", title_en="Second half past one")  # fmt: skip

    feed = eventfeeds.calendar(
        eventqueries.public_events(directory_db, None), "What's on", BASE
    )

    found = read_back(feed)
    moment = lambda *parts: datetime(*parts, tzinfo=UTC)  # noqa: E731
    assert found["Cyn y newid / Before March"][:2] == (
        moment(2027, 3, 27, 10),
        moment(2027, 3, 27, 12),
    )
    assert found["Ar ôl y newid / After March"][:2] == (
        moment(2027, 3, 28, 9),
        moment(2027, 3, 28, 11),
    )
    assert found["Cyn Hydref / Before October"][:2] == (
        moment(2027, 10, 30, 9),
        moment(2027, 10, 30, 11),
    )
    assert found["Yr ail 01:30 / Second half past one"][:2] == (
        moment(2027, 10, 31, 1, 30),
        moment(2027, 10, 31, 3),
    )


def test_an_area_feed_has_that_area_only_and_a_cancelled_event_says_so(
    directory_db, organiser
):
    at(directory_db, organiser, "2027-05-01T10:00", "2027-05-01T11:00",
       title_en="In Swansea", title_cy=None, area="Abertawe")  # fmt: skip
    cardiff = at(directory_db, organiser, "2027-05-02T10:00", "2027-05-02T11:00",
                 title_en="In Cardiff", title_cy=None, area="Caerdydd").id  # fmt: skip
    whatson.cancel(directory_db, cardiff, "")

    swansea_only = read_back(
        eventfeeds.calendar(
            eventqueries.public_events(directory_db, "W06000011"), "", BASE
        )
    )
    every = read_back(
        eventfeeds.calendar(eventqueries.public_events(directory_db, None), "", BASE)
    )

    assert list(swansea_only) == ["In Swansea"]
    assert every["In Cardiff"][2] == "CANCELLED"
    assert every["In Swansea"][2] == "CONFIRMED"


def test_a_feed_never_carries_the_online_link(directory_db, organiser):
    link = "https://meet.example.cymru/cyfrinach"
    event = at(directory_db, organiser, "2027-06-01T18:00", "2027-06-01T19:00",
               kind="online", area=None, online_link=link)  # fmt: skip
    places.sign_up(directory_db, event.id, organiser)

    feed = eventfeeds.calendar(eventqueries.public_events(directory_db, None), "", BASE)

    assert b"cyfrinach" not in feed
    [item] = Calendar.from_ical(feed).walk("VEVENT")
    assert str(item["location"]) == "Ar-lein / Online"
    assert str(item["url"]) == f"{BASE}/events/{event.id}"
