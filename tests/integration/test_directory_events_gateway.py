"""What's on through the gateway over HTTP: who may do what, Problem Details
for bad input, the sign-up flow, and the calendar files."""

import requests
from icalendar import Calendar

from tests.support.events import API, COORDINATOR, an_event, call
from tests.support.sessions import signed_in


def proposed_and_approved(web, organiser: str) -> str:
    made = call(web, "POST", "/events", signed_in(organiser), an_event())
    assert made.status_code == 201, made.text
    approved = call(web, "POST", f"/events/{made.json()['id']}/approve", COORDINATOR)
    assert approved.status_code == 200
    return made.json()["id"]


def test_proposing_needs_signing_in_and_bad_input_names_each_field(web, event_people):
    anonymous = call(web, "POST", "/events", None, an_event())
    bad = call(
        web, "POST", "/events", signed_in(event_people["nia"]),
        an_event(places=0, online_link="http://not-secure.example"),
    )  # fmt: skip

    assert anonymous.status_code == 401
    assert bad.status_code == 400
    assert bad.headers["Content-Type"].startswith("application/problem+json")
    assert {"places", "online_link"} <= set(bad.json()["errors"])


def test_a_proposal_waits_for_a_coordinator(web, event_people):
    nia, owain = signed_in(event_people["nia"]), signed_in(event_people["owain"])
    made = call(web, "POST", "/events", nia, an_event()).json()

    assert call(web, "GET", f"/events/{made['id']}").status_code == 404
    assert call(web, "GET", "/events/proposals", owain).status_code == 403
    waiting = call(web, "GET", "/events/proposals", COORDINATOR).json()
    assert [event["id"] for event in waiting] == [made["id"]]
    assert call(web, "POST", f"/events/{made['id']}/approve", owain).status_code == 403
    assert call(web, "POST", f"/events/{made['id']}/approve", COORDINATOR).ok
    assert call(web, "GET", "/events").json()["total"] == 1


def test_signing_up_the_waiting_list_and_the_organisers_list(web, event_people):
    event_id = proposed_and_approved(web, event_people["nia"])
    nia, owain, gwen = (signed_in(event_people[n]) for n in ("nia", "owain", "gwen"))

    first = call(web, "POST", f"/events/{event_id}/places", owain)
    second = call(web, "POST", f"/events/{event_id}/places", gwen)
    again = call(web, "POST", f"/events/{event_id}/places", owain)

    assert [r.json()["status"] for r in (first, second, again)] == [
        "place",
        "waiting",
        "place",
    ]
    assert call(web, "POST", f"/events/{event_id}/places").status_code == 401
    seen_by_gwen = call(web, "GET", f"/events/{event_id}", gwen).json()
    assert seen_by_gwen["online_link"] is None
    assert seen_by_gwen["mine"]["status"] == "waiting"
    assert call(web, "GET", f"/events/{event_id}", owain).json()["online_link"]
    assert call(web, "GET", f"/events/{event_id}/attendees", owain).status_code == 403
    listed = call(web, "GET", f"/events/{event_id}/attendees", nia).json()
    assert [(a["name"], a["status"]) for a in listed] == [
        ("Owain", "place"),
        ("Gwen", "waiting"),
    ]

    assert call(web, "DELETE", f"/events/{event_id}/places", owain).ok
    assert call(web, "GET", f"/events/{event_id}", gwen).json()["mine"]["status"] == (
        "place"
    )
    mine = call(web, "GET", f"/members/{event_people['gwen']}/events", gwen).json()
    assert [e["id"] for e in mine["signed_up"]] == [event_id]
    assert (
        call(web, "GET", f"/members/{event_people['gwen']}/events", owain).status_code
        == 403
    )


def test_only_the_organiser_or_a_coordinator_changes_or_cancels(web, event_people):
    event_id = proposed_and_approved(web, event_people["nia"])
    nia, owain = signed_in(event_people["nia"]), signed_in(event_people["owain"])

    by_other = call(web, "PATCH", f"/events/{event_id}", owain, {"places": 5})
    by_organiser = call(web, "PATCH", f"/events/{event_id}", nia, {"places": 5})
    cancelled = call(web, "POST", f"/events/{event_id}/cancel", nia, {"reason": ""})

    assert by_other.status_code == 403
    assert by_organiser.json()["places"] == 5
    assert cancelled.json()["status"] == "cancelled"
    late = call(web, "POST", f"/events/{event_id}/places", owain)
    assert late.status_code == 409


def test_the_calendar_file_and_feeds_read_as_icalendar(web, event_people):
    event_id = proposed_and_approved(web, event_people["nia"])

    one = requests.get(f"{web}{API}/events/{event_id}.ics", timeout=15)
    feed = requests.get(f"{web}{API}/events.ics", timeout=15)
    area_feed = requests.get(f"{web}{API}/events.ics?area=Abertawe", timeout=15)
    nowhere = requests.get(f"{web}{API}/events.ics?area=Atlantis", timeout=15)

    assert one.headers["Content-Type"].startswith("text/calendar")
    [item] = Calendar.from_ical(one.content).walk("VEVENT")
    assert str(item["summary"]) == "Cyfarfod rhwydwaith / Network meet-up"
    assert len(Calendar.from_ical(feed.content).walk("VEVENT")) == 1
    assert Calendar.from_ical(area_feed.content).walk("VEVENT") == []
    assert nowhere.status_code == 400
    assert b"meet.example.cymru" not in one.content + feed.content
