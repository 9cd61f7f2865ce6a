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
from tests.support.directory import deliver, events
from tests.support.directory import left as left_event
from tests.support.directory import member as a_member
from tests.support.events import event_form, move_start, proposed, published


@pytest.fixture
def people(directory_db):
    """Five active members: an organiser and four who sign up."""
    found = []
    for name in ("Nia", "Owain", "Gwen", "Dafydd", "Elin"):
        person = a_member(name, area="W06000011")
        deliver(directory_db, "MemberJoined", person)
        found.append(person["member_id"])
    return found


def data_of(event: dict) -> dict:
    assert lookup(event["type"]).schema().validate(event["data"]) == {}
    return event["data"]


def what_is_on(directory_db, **query) -> dict:
    wanted = parse(EventSearchSchema(), query)
    return eventqueries.find(directory_db, wanted, date.today())


def statuses(directory_db, event_id: str) -> dict[str, str]:
    with directory_db.begin():
        query = select(EventPlace).where(EventPlace.event_id == event_id)
        return {row.member_id: row.status for row in directory_db.scalars(query)}


def test_a_proposal_is_public_only_once_a_coordinator_approves_it(directory_db, people):
    nia = people[0]

    made = proposed(directory_db, nia).id

    assert what_is_on(directory_db)["total"] == 0
    assert events(directory_db, "EventPublished") == []
    with pytest.raises(EventNotFound):
        eventqueries.one(directory_db, made, people[1])
    whatson.approve(directory_db, made)
    [announced] = events(directory_db, "EventPublished")
    assert data_of(announced)["event_id"] == made
    assert "online_link" not in announced["data"]
    assert what_is_on(directory_db)["total"] == 1
    with pytest.raises(EventNotChangeable):
        whatson.approve(directory_db, made)


def test_a_turned_down_proposal_never_becomes_public(directory_db, people):
    made = proposed(directory_db, people[0]).id

    whatson.reject(directory_db, made)

    with pytest.raises(EventNotChangeable):
        whatson.approve(directory_db, made)
    assert what_is_on(directory_db)["total"] == 0


def test_places_fill_then_the_waiting_list_and_a_repeat_changes_nothing(
    directory_db, people
):
    nia, owain, gwen, dafydd, _ = people
    event = published(directory_db, nia, places=2)

    answers = [
        places.sign_up(directory_db, event.id, who).status for who in (owain, gwen)
    ]
    third = places.sign_up(directory_db, event.id, dafydd)
    again = places.sign_up(directory_db, event.id, owain)

    assert answers == ["place", "place"]
    assert third.status == "waiting"
    assert again.status == "place"
    assert len(events(directory_db, "PlaceTaken")) == 2
    assert statuses(directory_db, event.id) == {
        owain: "place",
        gwen: "place",
        dafydd: "waiting",
    }


def test_giving_up_a_place_lets_the_first_waiting_in(directory_db, people):
    nia, owain, gwen, dafydd, elin = people
    event = published(directory_db, nia, places=2)
    for who in (owain, gwen, dafydd, elin):
        places.sign_up(directory_db, event.id, who)

    places.cancel(directory_db, event.id, gwen)

    assert statuses(directory_db, event.id) == {
        owain: "place",
        dafydd: "place",
        elin: "waiting",
    }
    [released] = events(directory_db, "PlaceReleased")
    assert data_of(released)["member_id"] == gwen
    taken = [data_of(e) for e in events(directory_db, "PlaceTaken")]
    assert taken[-1]["member_id"] == dafydd
    assert taken[-1]["from_waiting_list"] is True
    assert [t["from_waiting_list"] for t in taken[:-1]] == [False, False]


def test_the_organiser_sees_names_only(directory_db, people):
    nia, owain, gwen, dafydd, _ = people
    event = published(directory_db, nia, places=2)
    for who in (owain, gwen, dafydd):
        places.sign_up(directory_db, event.id, who)

    listed = eventqueries.attendees(directory_db, event.id)

    assert [(a["name"], a["status"]) for a in listed] == [
        ("Owain", "place"),
        ("Gwen", "place"),
        ("Dafydd", "waiting"),
    ]
    assert set(listed[0]) == {"member_id", "name", "status", "attended"}


def test_the_online_link_is_shown_only_to_people_with_a_place(directory_db, people):
    nia, owain, gwen, _, _ = people
    link = "https://meet.example.cymru/gweithdy"
    event = published(
        directory_db, nia, kind="online", area=None, online_link=link, places=1
    )
    places.sign_up(directory_db, event.id, owain)
    places.sign_up(directory_db, event.id, gwen)

    assert eventqueries.one(directory_db, event.id, owain)["online_link"] == link
    assert eventqueries.one(directory_db, event.id, gwen)["online_link"] is None
    assert eventqueries.one(directory_db, event.id, None)["online_link"] is None
    assert eventqueries.one(directory_db, event.id, nia)["online_link"] == link
    assert what_is_on(directory_db)["items"][0]["online_link"] is None


def test_attendance_is_marked_after_the_start_for_people_with_a_place(
    directory_db, people
):
    nia, owain, gwen, dafydd, _ = people
    event_id = published(directory_db, nia, places=2).id
    for who in (owain, gwen, dafydd):
        places.sign_up(directory_db, event_id, who)
    with pytest.raises(NoPlace):
        places.record_attendance(directory_db, event_id, owain, True)
    move_start(directory_db, event_id, datetime.now(UTC) - timedelta(hours=1))

    places.record_attendance(directory_db, event_id, owain, True)
    places.record_attendance(directory_db, event_id, owain, True)

    [recorded] = events(directory_db, "AttendanceRecorded")
    assert data_of(recorded)["member_id"] == owain
    assert data_of(recorded)["attended"] is True
    with pytest.raises(NoPlace):
        places.record_attendance(directory_db, event_id, dafydd, True)


def test_a_new_time_is_announced_to_everyone_signed_up(directory_db, people):
    nia, owain, gwen, dafydd, _ = people
    event = published(directory_db, nia, places=2)
    event_id, later = event.id, event.starts_at + timedelta(days=1)
    for who in (owain, gwen, dafydd):
        places.sign_up(directory_db, event_id, who)

    changes = {"starts_at": later.isoformat(), "ends_at": later.isoformat()}
    with pytest.raises(BadEvent):
        whatson.change(directory_db, event_id, parse(EventSchema(), changes))
    changes["ends_at"] = (later + timedelta(hours=3)).isoformat()
    whatson.change(directory_db, event_id, parse(EventSchema(), changes))

    [changed] = events(directory_db, "EventChanged")
    assert set(data_of(changed)["changed"]) == {"starts_at", "ends_at"}
    assert data_of(changed)["member_ids"] == [owain, gwen, dafydd]
    assert data_of(changed)["starts_at"] == later.isoformat()


def test_more_places_let_those_waiting_in_and_fewer_than_taken_is_refused(
    directory_db, people
):
    nia, owain, gwen, dafydd, _ = people
    event = published(directory_db, nia, places=1)
    for who in (owain, gwen, dafydd):
        places.sign_up(directory_db, event.id, who)

    whatson.change(directory_db, event.id, parse(EventSchema(), {"places": 2}))

    assert statuses(directory_db, event.id)[gwen] == "place"
    assert statuses(directory_db, event.id)[dafydd] == "waiting"
    with pytest.raises(BadEvent) as refused:
        whatson.change(directory_db, event.id, parse(EventSchema(), {"places": 1}))
    assert "places" in refused.value.errors


def test_a_cancelled_event_tells_everyone_and_takes_no_sign_ups(directory_db, people):
    nia, owain, gwen, _, _ = people
    event = published(directory_db, nia, places=1)
    places.sign_up(directory_db, event.id, owain)
    places.sign_up(directory_db, event.id, gwen)

    whatson.cancel(directory_db, event.id, "Salwch / Illness")

    [cancelled] = events(directory_db, "EventCancelled")
    assert data_of(cancelled)["member_ids"] == [owain, gwen]
    with pytest.raises(EventNotOpen):
        places.sign_up(directory_db, event.id, people[3])
    assert what_is_on(directory_db)["total"] == 0


def test_erasing_a_member_removes_their_sign_ups_and_frees_their_places(
    directory_db, people
):
    nia, owain, gwen, dafydd, _ = people
    first = published(directory_db, nia, places=1)
    second = published(directory_db, nia, places=1)
    for event in (first, second):
        places.sign_up(directory_db, event.id, owain)
        places.sign_up(directory_db, event.id, gwen)
    move_start(directory_db, second.id, datetime.now(UTC) - timedelta(days=30))
    deliver(directory_db, "MemberLeft", left_event(a_member("Owain", member_id=owain)))

    with directory_db.begin():
        theirs = select(func.count()).where(EventPlace.member_id == owain)
        assert directory_db.scalar(theirs) == 0
    assert statuses(directory_db, first.id) == {gwen: "place"}
    released = [data_of(e) for e in events(directory_db, "PlaceReleased")]
    assert [(r["event_id"], r["reason"]) for r in released] == [(first.id, "left")]


def test_an_organiser_who_leaves_has_their_events_cancelled(directory_db, people):
    nia, owain, _, _, _ = people
    event = published(directory_db, nia)
    places.sign_up(directory_db, event.id, owain)

    deliver(directory_db, "MemberLeft", left_event(a_member("Nia", member_id=nia)))

    [cancelled] = events(directory_db, "EventCancelled")
    assert data_of(cancelled)["reason"] == "organiser_left"
    assert data_of(cancelled)["member_ids"] == [owain]
    with pytest.raises(EventNotFound):
        eventqueries.one(directory_db, event.id, None)


def test_input_that_does_not_fit_is_refused_by_field(directory_db, people):
    nia = people[0]

    with pytest.raises(BadEvent) as online:
        proposed(directory_db, nia, kind="online", area=None)
    with pytest.raises(InvalidInput) as gap:
        parse(EventSchema(), event_form(starts_at="2027-03-28T01:30"))
    with pytest.raises(BadEvent) as untitled:
        proposed(directory_db, nia, title_cy=None, title_en=None)

    assert "online_link" in online.value.errors
    assert "starts_at" in gap.value.errors
    assert "title_en" in untitled.value.errors


def test_a_time_without_an_offset_is_the_clock_in_wales(directory_db):
    summer = parse(EventSchema(), {"starts_at": "2027-07-01T10:00"})["starts_at"]
    winter = parse(EventSchema(), {"starts_at": "2027-12-01T10:00"})["starts_at"]
    october = parse(EventSchema(), {"starts_at": "2027-10-31T01:30"})["starts_at"]

    assert summer == datetime(2027, 7, 1, 9, 0, tzinfo=UTC)
    assert winter == datetime(2027, 12, 1, 10, 0, tzinfo=UTC)
    assert october == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_what_is_on_filters_by_date_kind_area_and_language_and_counts_areas(
    directory_db, people
):
    nia = people[0]
    soon = datetime.now(UTC) + timedelta(days=3)
    later = datetime.now(UTC) + timedelta(days=40)
    published(directory_db, nia, title_en="Gardening meet-up", title_cy=None,
              kind="meetup", language="en", starts_at=soon.isoformat(),
              ends_at=(soon + timedelta(hours=1)).isoformat())  # fmt: skip
    published(directory_db, nia, area="Caerdydd", language="cy",
              starts_at=later.isoformat(),
              ends_at=(later + timedelta(hours=1)).isoformat())  # fmt: skip
    published(directory_db, nia, kind="online", area=None, language="both",
              online_link="https://meet.example.cymru/x")  # fmt: skip

    def titles(**query):
        found = what_is_on(directory_db, **query)["items"]
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
    counts = what_is_on(directory_db)["by_area"]
    by_code = {row["area"]["code"]: row["events"] for row in counts["areas"]}
    assert (by_code["W06000011"], by_code["W06000015"], counts["online"]) == (1, 1, 1)
    assert len(by_code) == 22


def test_download_my_data_has_the_events_signed_up_to_and_organised(
    directory_db, people
):
    nia, owain, _, _, _ = people
    event_id = published(directory_db, nia).id
    places.sign_up(directory_db, event_id, owain)

    theirs, organisers = (
        export_member(directory_db, owain),
        export_member(directory_db, nia),
    )

    assert [e["id"] for e in theirs["events_signed_up"]] == [event_id]
    assert theirs["events_signed_up"][0]["mine"]["status"] == "place"
    assert [e["id"] for e in organisers["events_organised"]] == [event_id]


def test_the_asset_map_counts_events_to_come_by_area_and_online_apart(
    directory_db, people
):
    nia = people[0]
    published(directory_db, nia)
    published(
        directory_db, nia, kind="online", area=None, online_link="https://a.cymru"
    )
    cancelled = published(directory_db, nia).id
    whatson.cancel(directory_db, cancelled, "")

    counted = assetmap.counts(directory_db)

    swansea = next(row for row in counted["areas"] if row["code"] == "W06000011")
    assert (swansea["events"], counted["all_wales"]["events"]) == (1, 1)
    assert "events" in counted["columns"]


def test_a_champion_organises_for_their_organisation_and_nobody_else_does(
    directory_db, people
):
    nia, owain = people[0], people[1]
    organisation = a_member("Cwmni Cymunedol", kind="organisation", champions=[nia])
    deliver(directory_db, "MemberJoined", organisation)
    for_them = organisation["member_id"]

    made = proposed(directory_db, nia, organiser_id=for_them).id
    with pytest.raises(BadEvent) as refused:
        proposed(directory_db, owain, organiser_id=for_them)

    assert "organiser_id" in refused.value.errors
    assert whatson.owners(directory_db, made) == {
        "organiser_id": for_them,
        "proposed_by": nia,
    }
