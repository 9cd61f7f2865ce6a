"""What's on: proposing and approving events, places and the waiting list,
attendance, changes and cancellations, and members who leave; both databases."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from contracts.errors import InvalidInput
from contracts.events import lookup
from infra.validation import parse
from services.directory import assetmap, eventqueries, places, whatson
from services.directory.exceptions import (
    BadEvent,
    EventNotChangeable,
    EventNotFound,
    EventNotOpen,
    NoPlace,
)
from services.directory.export import export_member
from services.directory.models import EventPlace
from services.directory.schemas import EventSchema, EventSearchSchema
from tests.support.directory import deliver, directory_session, events
from tests.support.directory import left as left_event
from tests.support.directory import member as a_member
from tests.support.events import event_form, move_start, proposed, published


@pytest.fixture
def session(db_url):
    with directory_session(db_url) as session:
        yield session


@pytest.fixture
def people(session):
    """Five active members: an organiser and four who sign up."""
    found = []
    for name in ("Nia", "Owain", "Gwen", "Dafydd", "Elin"):
        person = a_member(name, area="W06000011")
        deliver(session, "MemberJoined", person)
        found.append(person["member_id"])
    return found


def data_of(event: dict) -> dict:
    assert lookup(event["type"]).schema().validate(event["data"]) == {}
    return event["data"]


def what_is_on(session, **query) -> dict:
    wanted = parse(EventSearchSchema(), query)
    return eventqueries.find(session, wanted, date.today())


def statuses(session, event_id: str) -> dict[str, str]:
    with session.begin():
        query = select(EventPlace).where(EventPlace.event_id == event_id)
        return {row.member_id: row.status for row in session.scalars(query)}


def test_a_proposal_is_public_only_once_a_coordinator_approves_it(session, people):
    nia = people[0]

    made = proposed(session, nia).id

    assert what_is_on(session)["total"] == 0
    assert events(session, "EventPublished") == []
    with pytest.raises(EventNotFound):
        eventqueries.one(session, made, people[1])
    whatson.approve(session, made)
    [announced] = events(session, "EventPublished")
    assert data_of(announced)["event_id"] == made
    assert "online_link" not in announced["data"]
    assert what_is_on(session)["total"] == 1
    with pytest.raises(EventNotChangeable):
        whatson.approve(session, made)


def test_a_turned_down_proposal_never_becomes_public(session, people):
    made = proposed(session, people[0]).id

    whatson.reject(session, made)

    with pytest.raises(EventNotChangeable):
        whatson.approve(session, made)
    assert what_is_on(session)["total"] == 0


def test_places_fill_then_the_waiting_list_and_a_repeat_changes_nothing(
    session, people
):
    nia, owain, gwen, dafydd, _ = people
    event = published(session, nia, places=2)

    answers = [places.sign_up(session, event.id, who).status for who in (owain, gwen)]
    third = places.sign_up(session, event.id, dafydd)
    again = places.sign_up(session, event.id, owain)

    assert answers == ["place", "place"]
    assert third.status == "waiting"
    assert again.status == "place"
    assert len(events(session, "PlaceTaken")) == 2
    assert statuses(session, event.id) == {
        owain: "place",
        gwen: "place",
        dafydd: "waiting",
    }


def test_giving_up_a_place_lets_the_first_waiting_in(session, people):
    nia, owain, gwen, dafydd, elin = people
    event = published(session, nia, places=2)
    for who in (owain, gwen, dafydd, elin):
        places.sign_up(session, event.id, who)

    places.cancel(session, event.id, gwen)

    assert statuses(session, event.id) == {
        owain: "place",
        dafydd: "place",
        elin: "waiting",
    }
    [released] = events(session, "PlaceReleased")
    assert data_of(released)["member_id"] == gwen
    taken = [data_of(e) for e in events(session, "PlaceTaken")]
    assert taken[-1]["member_id"] == dafydd
    assert taken[-1]["from_waiting_list"] is True
    assert [t["from_waiting_list"] for t in taken[:-1]] == [False, False]


def test_the_organiser_sees_names_only(session, people):
    nia, owain, gwen, dafydd, _ = people
    event = published(session, nia, places=2)
    for who in (owain, gwen, dafydd):
        places.sign_up(session, event.id, who)

    listed = eventqueries.attendees(session, event.id)

    assert [(a["name"], a["status"]) for a in listed] == [
        ("Owain", "place"),
        ("Gwen", "place"),
        ("Dafydd", "waiting"),
    ]
    assert set(listed[0]) == {"member_id", "name", "status", "attended"}


def test_the_online_link_is_shown_only_to_people_with_a_place(session, people):
    nia, owain, gwen, _, _ = people
    link = "https://meet.example.cymru/gweithdy"
    event = published(
        session, nia, kind="online", area=None, online_link=link, places=1
    )
    places.sign_up(session, event.id, owain)
    places.sign_up(session, event.id, gwen)

    assert eventqueries.one(session, event.id, owain)["online_link"] == link
    assert eventqueries.one(session, event.id, gwen)["online_link"] is None
    assert eventqueries.one(session, event.id, None)["online_link"] is None
    assert eventqueries.one(session, event.id, nia)["online_link"] == link
    assert what_is_on(session)["items"][0]["online_link"] is None


def test_attendance_is_marked_after_the_start_for_people_with_a_place(session, people):
    nia, owain, gwen, dafydd, _ = people
    event_id = published(session, nia, places=2).id
    for who in (owain, gwen, dafydd):
        places.sign_up(session, event_id, who)
    with pytest.raises(NoPlace):
        places.record_attendance(session, event_id, owain, True)
    move_start(session, event_id, datetime.now(UTC) - timedelta(hours=1))

    places.record_attendance(session, event_id, owain, True)
    places.record_attendance(session, event_id, owain, True)

    [recorded] = events(session, "AttendanceRecorded")
    assert data_of(recorded)["member_id"] == owain
    assert data_of(recorded)["attended"] is True
    with pytest.raises(NoPlace):
        places.record_attendance(session, event_id, dafydd, True)


def test_a_new_time_is_announced_to_everyone_signed_up(session, people):
    nia, owain, gwen, dafydd, _ = people
    event = published(session, nia, places=2)
    event_id, later = event.id, event.starts_at + timedelta(days=1)
    for who in (owain, gwen, dafydd):
        places.sign_up(session, event_id, who)

    changes = {"starts_at": later.isoformat(), "ends_at": later.isoformat()}
    with pytest.raises(BadEvent):
        whatson.change(session, event_id, parse(EventSchema(), changes))
    changes["ends_at"] = (later + timedelta(hours=3)).isoformat()
    whatson.change(session, event_id, parse(EventSchema(), changes))

    [changed] = events(session, "EventChanged")
    assert set(data_of(changed)["changed"]) == {"starts_at", "ends_at"}
    assert data_of(changed)["member_ids"] == [owain, gwen, dafydd]
    assert data_of(changed)["starts_at"] == later.isoformat()


def test_more_places_let_those_waiting_in_and_fewer_than_taken_is_refused(
    session, people
):
    nia, owain, gwen, dafydd, _ = people
    event = published(session, nia, places=1)
    for who in (owain, gwen, dafydd):
        places.sign_up(session, event.id, who)

    whatson.change(session, event.id, parse(EventSchema(), {"places": 2}))

    assert statuses(session, event.id)[gwen] == "place"
    assert statuses(session, event.id)[dafydd] == "waiting"
    with pytest.raises(BadEvent) as refused:
        whatson.change(session, event.id, parse(EventSchema(), {"places": 1}))
    assert "places" in refused.value.errors


def test_a_cancelled_event_tells_everyone_and_takes_no_sign_ups(session, people):
    nia, owain, gwen, _, _ = people
    event = published(session, nia, places=1)
    places.sign_up(session, event.id, owain)
    places.sign_up(session, event.id, gwen)

    whatson.cancel(session, event.id, "Salwch / Illness")

    [cancelled] = events(session, "EventCancelled")
    assert data_of(cancelled)["member_ids"] == [owain, gwen]
    with pytest.raises(EventNotOpen):
        places.sign_up(session, event.id, people[3])
    assert what_is_on(session)["total"] == 0


def test_erasing_a_member_removes_their_sign_ups_and_frees_their_places(
    session, people
):
    nia, owain, gwen, dafydd, _ = people
    first = published(session, nia, places=1)
    second = published(session, nia, places=1)
    for event in (first, second):
        places.sign_up(session, event.id, owain)
        places.sign_up(session, event.id, gwen)
    move_start(session, second.id, datetime.now(UTC) - timedelta(days=30))
    deliver(session, "MemberLeft", left_event(a_member("Owain", member_id=owain)))

    with session.begin():
        theirs = select(func.count()).where(EventPlace.member_id == owain)
        assert session.scalar(theirs) == 0
    assert statuses(session, first.id) == {gwen: "place"}
    released = [data_of(e) for e in events(session, "PlaceReleased")]
    assert [(r["event_id"], r["reason"]) for r in released] == [(first.id, "left")]


def test_an_organiser_who_leaves_has_their_events_cancelled(session, people):
    nia, owain, _, _, _ = people
    event = published(session, nia)
    places.sign_up(session, event.id, owain)

    deliver(session, "MemberLeft", left_event(a_member("Nia", member_id=nia)))

    [cancelled] = events(session, "EventCancelled")
    assert data_of(cancelled)["reason"] == "organiser_left"
    assert data_of(cancelled)["member_ids"] == [owain]
    with pytest.raises(EventNotFound):
        eventqueries.one(session, event.id, None)


def test_input_that_does_not_fit_is_refused_by_field(session, people):
    nia = people[0]

    with pytest.raises(BadEvent) as online:
        proposed(session, nia, kind="online", area=None)
    with pytest.raises(InvalidInput) as gap:
        parse(EventSchema(), event_form(starts_at="2027-03-28T01:30"))
    with pytest.raises(BadEvent) as untitled:
        proposed(session, nia, title_cy=None, title_en=None)

    assert "online_link" in online.value.errors
    assert "starts_at" in gap.value.errors
    assert "title_en" in untitled.value.errors


def test_a_time_without_an_offset_is_the_clock_in_wales(session):
    summer = parse(EventSchema(), {"starts_at": "2027-07-01T10:00"})["starts_at"]
    winter = parse(EventSchema(), {"starts_at": "2027-12-01T10:00"})["starts_at"]
    october = parse(EventSchema(), {"starts_at": "2027-10-31T01:30"})["starts_at"]

    assert summer == datetime(2027, 7, 1, 9, 0, tzinfo=UTC)
    assert winter == datetime(2027, 12, 1, 10, 0, tzinfo=UTC)
    assert october == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_what_is_on_filters_by_date_kind_area_and_language_and_counts_areas(
    session, people
):
    nia = people[0]
    soon = datetime.now(UTC) + timedelta(days=3)
    later = datetime.now(UTC) + timedelta(days=40)
    published(session, nia, title_en="Gardening meet-up", title_cy=None,
              kind="meetup", language="en", starts_at=soon.isoformat(),
              ends_at=(soon + timedelta(hours=1)).isoformat())  # fmt: skip
    published(session, nia, area="Caerdydd", language="cy",
              starts_at=later.isoformat(),
              ends_at=(later + timedelta(hours=1)).isoformat())  # fmt: skip
    published(session, nia, kind="online", area=None, language="both",
              online_link="https://meet.example.cymru/x")  # fmt: skip

    def titles(**query):
        found = what_is_on(session, **query)["items"]
        return [item["title"]["en"] for item in found]

    assert titles() == [
        "Gardening meet-up",
        "Co-production workshop",
        "Co-production workshop",
    ]
    assert titles(kind="meetup") == ["Gardening meet-up"]
    assert len(titles(language="cy")) == 2
    assert titles(area="Cardiff") == ["Co-production workshop"]
    assert titles(to=(soon + timedelta(days=1)).date().isoformat()) == [
        "Gardening meet-up"
    ]
    assert titles(q="garddio gardening") == []
    assert titles(q="GARDEN") == ["Gardening meet-up"]
    counts = what_is_on(session)["by_area"]
    by_code = {row["area"]["code"]: row["events"] for row in counts["areas"]}
    assert (by_code["W06000011"], by_code["W06000015"], counts["online"]) == (1, 1, 1)
    assert len(by_code) == 22


def test_download_my_data_has_the_events_signed_up_to_and_organised(session, people):
    nia, owain, _, _, _ = people
    event_id = published(session, nia).id
    places.sign_up(session, event_id, owain)

    theirs, organisers = export_member(session, owain), export_member(session, nia)

    assert [e["id"] for e in theirs["events_signed_up"]] == [event_id]
    assert theirs["events_signed_up"][0]["mine"]["status"] == "place"
    assert [e["id"] for e in organisers["events_organised"]] == [event_id]


def test_the_asset_map_counts_events_to_come_by_area_and_online_apart(session, people):
    nia = people[0]
    published(session, nia)
    published(session, nia, kind="online", area=None, online_link="https://a.cymru")
    cancelled = published(session, nia).id
    whatson.cancel(session, cancelled, "")

    counted = assetmap.counts(session)

    swansea = next(row for row in counted["areas"] if row["code"] == "W06000011")
    assert (swansea["events"], counted["all_wales"]["events"]) == (1, 1)
    assert "events" in counted["columns"]


def test_a_champion_organises_for_their_organisation_and_nobody_else_does(
    session, people
):
    nia, owain = people[0], people[1]
    organisation = a_member("Cwmni Cymunedol", kind="organisation", champions=[nia])
    deliver(session, "MemberJoined", organisation)
    for_them = organisation["member_id"]

    made = proposed(session, nia, organiser_id=for_them).id
    with pytest.raises(BadEvent) as refused:
        proposed(session, owain, organiser_id=for_them)

    assert "organiser_id" in refused.value.errors
    assert whatson.owners(session, made) == {
        "organiser_id": for_them,
        "proposed_by": nia,
    }
