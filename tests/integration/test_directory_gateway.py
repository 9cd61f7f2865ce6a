"""The directory's routes through the gateway: who may do what, and what the
open data, the map and the sharing flow look like over HTTP."""

from datetime import timedelta

import pytest
import requests

from services.directory import sharing
from tests.support.amqp import publish_event
from tests.support.members import snapshot
from tests.support.sessions import signed_in
from tests.support.waiting import eventually

API = "/api/v1/directory"


@pytest.fixture
def members(web, config):
    """Three active members: Angharad and Bryn listed, Carys not."""
    people = {
        "angharad": snapshot("Angharad", area="W06000015", skills=["hwyluso"]),
        "bryn": snapshot("Bryn", area="W06000011", kind="organisation"),
        "carys": snapshot("Carys", area="W06000001", listed=False),
    }
    for person in people.values():
        publish_event(config["AMQP_URI"], "MemberJoined", person["member_id"], person)
    eventually(lambda: get(web, "/listings").json()["total"] == 2)
    return {name: person["member_id"] for name, person in people.items()}


def get(web: str, path: str, who: dict | None = None, **params) -> requests.Response:
    return requests.get(f"{web}{API}{path}", params=params, cookies=who, timeout=15)


def send(web, method: str, path: str, who=None, body=None) -> requests.Response:
    """A JSON request (an empty object when there is nothing to say), as a
    browser's script would send it."""
    url = f"{web}{API}{path}"
    body = {} if body is None else body
    return requests.request(method, url, json=body, cookies=who, timeout=15)


def an_offer() -> dict:
    ends_on = (sharing.today() + timedelta(days=14)).isoformat()
    return {
        "kind": "offer",
        "category": "time",
        "title": "Help gyda'r ardd",
        "area": "Caerdydd",
        "ends_on": ends_on,
    }


def test_anyone_searches_and_reads_public_listings(web, members):
    found = get(web, "/listings", q="angharad")

    assert found.status_code == 200
    [listing] = found.json()["items"]
    assert found.json()["facets"]["kind"] == [{"value": "individual", "count": 1}]
    assert get(web, f"/listings/{listing['id']}").json()["name"] == "Angharad"
    assert "member_id" not in listing


def test_search_answers_bad_input_with_the_field_named(web):
    refused = get(web, "/listings", area="Atlantis", page="0")

    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"area", "page"}


def test_only_the_owner_or_a_coordinator_edits_a_listing(web, members):
    path = f"/members/{members['angharad']}/listing"
    change = {"description": "Hwyluso gweithdai cyd-gynhyrchu."}

    nobody = send(web, "PATCH", path, None, change)
    someone_else = send(web, "PATCH", path, signed_in(members["bryn"]), change)
    owner = send(web, "PATCH", path, signed_in(members["angharad"]), change)
    coordinator = send(web, "PATCH", path, signed_in("cyd", "coordinator"), change)

    assert [r.status_code for r in (nobody, someone_else, owner, coordinator)] == [
        401,
        403,
        200,
        200,
    ]
    assert owner.json()["description"] == change["description"]
    assert get(web, path, signed_in(members["angharad"])).json()["public"] is True
    assert get(web, path, signed_in(members["bryn"])).status_code == 403


def test_a_member_without_a_listing_is_told_so(web, members):
    response = get(
        web, f"/members/{members['carys']}/listing", signed_in(members["carys"])
    )

    assert response.status_code == 404


def test_the_owner_marks_their_listing_reviewed(web, members):
    path = f"/members/{members['bryn']}/listing/review"

    assert send(web, "POST", path, signed_in(members["angharad"])).status_code == 403
    assert send(web, "POST", path, signed_in(members["bryn"])).json()["review_due_at"]


def test_sharing_over_http_from_offer_to_exchange(web, members):
    angharad, bryn, carys = (
        signed_in(members[n]) for n in ("angharad", "bryn", "carys")
    )

    assert send(web, "POST", "/posts", None, an_offer()).status_code == 401
    posted = send(web, "POST", "/posts", angharad, an_offer())
    assert posted.status_code == 201
    post_path = posted.headers["Location"].removeprefix(API)
    assert (
        get(web, "/posts", q="ardd").json()["items"][0]["poster"]["name"] == "Angharad"
    )

    assert (
        send(
            web, "POST", f"{post_path}/responses", None, {"message": "Iawn"}
        ).status_code
        == 401
    )
    answered = send(
        web, "POST", f"{post_path}/responses", bryn, {"message": "Gallaf helpu"}
    )
    assert answered.status_code == 201
    response_id = answered.json()["id"]

    assert get(web, f"{post_path}/responses", bryn).status_code == 403
    assert (
        get(web, f"{post_path}/responses", angharad).json()[0]["message"]
        == "Gallaf helpu"
    )

    agree = f"/responses/{response_id}/agree"
    assert send(web, "POST", agree, carys, {"hours": 2}).status_code == 403
    assert (
        send(web, "POST", agree, angharad, {"hours": 2}).json()["poster_agreed"] is True
    )
    done = send(web, "POST", agree, bryn, {})
    assert done.json()["exchange_id"]
    cardiff = next(
        r for r in get(web, "/map").json()["areas"] if r["code"] == "W06000015"
    )
    assert (cardiff["exchanges"], cardiff["hours"]) == (1, 2.0)

    assert send(web, "POST", f"{post_path}/close", bryn).status_code == 403
    assert (
        send(web, "POST", f"{post_path}/close", angharad).json()["status"] == "closed"
    )
    assert get(web, "/posts", q="ardd").json()["items"] == []


def test_the_map_is_a_picture_and_a_table(web, members):
    svg = get(web, "/map.svg")
    table = get(web, "/map.csv")

    assert svg.headers["Content-Type"].startswith("image/svg+xml")
    assert svg.text.count('<g id="area-W06') == 22
    assert "Caerdydd: 1 aelod" in svg.text
    assert "Ynys Môn: 1 aelod" in svg.text  # Carys is not listed, but counted
    assert "Powys: dim byd eto / Powys: nothing yet" in svg.text
    assert table.headers["Content-Type"].startswith("text/csv")
    assert len(table.text.strip().splitlines()) == 1 + 22 + 1


def test_open_data_is_hsds_paged_as_open_referral_uk_does(web, members):
    page = get(web, "/hsds/services", page=1, per_page=1).json()

    assert {
        k: page[k] for k in ("total_items", "total_pages", "page_number", "size")
    } == {
        "total_items": 2,
        "total_pages": 2,
        "page_number": 1,
        "size": 1,
    }
    assert (page["first_page"], page["last_page"], page["empty"]) == (
        True,
        False,
        False,
    )
    service = get(web, f"/hsds/services/{page['contents'][0]['id']}").json()
    assert service["status"] == "active"
    assert service["service_areas"][0]["uri"].endswith("/W06000015")
    term = service["attributes"][0]["taxonomy_term"]
    assert (
        get(web, f"/hsds/taxonomy_terms/{term['id']}").json()["code"] == "facilitation"
    )
    by_term = get(web, "/hsds/services", taxonomy_term_id=term["id"]).json()
    assert [s["name"] for s in by_term["contents"]] == ["Angharad"]
    assert get(web, "/hsds").json()["version"] == "3.0"
    assert get(web, "/hsds/taxonomies").json()["contents"][0]["name"]
