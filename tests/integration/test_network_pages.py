"""The network's pages over HTTP with the real directory and stories services:
the directory and its map, offers and requests, shared progress and stories,
and the evaluation; whatever members typed comes back escaped, never as markup
or links."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
from nameko.standalone.rpc import ServiceRpcProxy

from gateway.service import GatewayService
from services.directory.service import DirectoryService
from services.stories.service import StoriesService
from tests.support.amqp import EventTap, publish_event
from tests.support.browsing import browser
from tests.support.members import snapshot
from tests.support.partners import COORDINATOR
from tests.support.sessions import TEST_SECRET, signed_in
from tests.support.smtp import free_port
from tests.support.waiting import eventually

SCRIPT = '<script>alert("x")</script>'
LINK = "javascript:alert(1)"
ANSWERS = {
    "prompt": "turning_point",
    "feeling": {"choice": "positive"},
    "about": {"choice": "community"},
    "role": {"choice": "volunteering"},
}


@pytest.fixture
def settings(config, new_database):
    return {
        **config,
        "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}",
        "RPC_TIMEOUT": 10,
        "SECRET_KEY": TEST_SECRET,
        "ROUNDS_INTERVAL_SECONDS": 0.2,
        "STORIES_DB": new_database("stories"),
    }


@pytest.fixture
def site(container_factory, settings):
    container_factory(DirectoryService, settings).start()
    stories = {**settings, "DATABASE_URL": settings["STORIES_DB"]}
    container_factory(StoriesService, stories).start()
    container_factory(GatewayService, settings).start()
    return f"http://{settings['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def listed(site, settings):
    """Two listed members, one with a name that is a script."""
    people = [
        snapshot(f"Angharad {SCRIPT}", area="W06000015", skills=["hwyluso"]),
        snapshot("Bryn", area="W06000011", kind="organisation"),
    ]
    for person in people:
        publish_event(settings["AMQP_URI"], "MemberJoined", person["member_id"], person)
    eventually(
        lambda: requests.get(f"{site}/api/v1/directory/listings").json()["total"] == 2
    )
    return people


@pytest.fixture
def shared(site, settings):
    """A member in Cardiff who shared progress (a script) and a public story."""
    asked = EventTap(settings["AMQP_URI"], "stories", "FeedbackRequested")
    member = snapshot(area="W06000015", verified_at=datetime.now(UTC) - timedelta(200))
    member["consents"]["share_progress"] = True
    publish_event(settings["AMQP_URI"], "MemberVerified", member["member_id"], member)
    asked.collect(1)
    asked.close()
    story = {
        "title": f"Yr ardd {SCRIPT}",
        "text": f"Gweler {LINK}",
        "language": "cy",
        "sharing": "public",
        "answers": ANSWERS,
    }
    with ServiceRpcProxy("stories", settings) as stories:
        stories.submit_feedback(
            {
                "member_id": member["member_id"],
                "rating": 4,
                "progress": f"Cyfarfod bob mis {SCRIPT} {LINK}",
                "principles": ["trust_power"],
                "story": story,
            }
        )
    return member


def page(site: str, path: str, cookies=None, **params) -> requests.Response:
    return browser(cookies).get(f"{site}{path}", params=params, timeout=20)


def assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert f'href="{LINK}' not in html and "href='javascript" not in html


def test_the_directory_finds_listings_by_area_and_shows_them_escaped(site, listed):
    everyone = page(site, "/directory")
    cardiff = page(site, "/directory", area="W06000015")

    assert everyone.status_code == 200
    assert "Listings found: 2" in everyone.text
    assert "Angharad &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in everyone.text
    assert_escaped(everyone.text)
    assert "Listings found: 1" in cardiff.text and "Bryn" not in cardiff.text
    assert '<option value="W06000015" selected>' in cardiff.text
    assert "tag=" in cardiff.text  # the commonest tags narrow the search


def test_a_tag_link_narrows_the_search_to_that_tag(site, listed):
    html = page(site, "/directory").text
    link = re.search(r'href="/directory\?([^"]*tag=[^"]+)"', html).group(1)

    narrowed = page(site, "/directory?" + link.replace("&amp;", "&"))

    assert "Listings found: 1" in narrowed.text


def test_the_directory_shows_the_asset_map_from_the_gateway(site, listed):
    html = page(site, "/directory").text

    assert 'src="/api/v1/directory/map.svg?lang=en"' in html
    svg = requests.get(f"{site}/api/v1/directory/map.svg?lang=en")
    assert svg.headers["Content-Type"].startswith("image/svg+xml")


def test_a_filter_that_is_wrong_is_named_on_the_page(site):
    response = page(site, "/directory", area="Paris")

    assert response.status_code == 400
    assert 'id="area-error"' in response.text


def test_offers_and_requests_are_listed_escaped_and_filtered(site, listed):
    poster = signed_in(listed[1]["member_id"])
    offer = {
        "kind": "offer",
        "category": "time",
        "title": f"Help gyda'r ardd {SCRIPT}",
        "description": LINK,
        "ends_on": (datetime.now(UTC).date() + timedelta(30)).isoformat(),
    }
    made = requests.post(f"{site}/api/v1/directory/posts", json=offer, cookies=poster)
    assert made.status_code == 201

    offers = page(site, "/directory/offers-and-requests", kind="offer")
    requests_only = page(site, "/directory/offers-and-requests", kind="request")

    assert "Help gyda&#39;r ardd &lt;script&gt;" in offers.text
    assert LINK in offers.text  # as text
    assert_escaped(offers.text)
    assert "Found: 0" in requests_only.text


def test_shared_progress_and_stories_show_newest_first_filtered_and_escaped(
    site, shared
):
    cardiff = page(site, "/progress", area="W06000015", principle="trust_power")
    elsewhere = page(site, "/progress", area="W06000023")

    assert "Progress shared: 1" in cardiff.text
    assert "Cyfarfod bob mis &lt;script&gt;" in cardiff.text
    assert "Yr ardd &lt;script&gt;" in cardiff.text
    assert_escaped(cardiff.text)
    assert "Progress shared: 0" in elsewhere.text and "Yr ardd" not in elsewhere.text
    other = page(site, "/progress", principle="strengths")
    assert "Yr ardd" not in other.text and "Progress shared: 0" in other.text


def test_the_evaluation_hides_a_group_too_small_to_show(site, shared):
    public = page(site, "/evaluation")
    full = page(site, "/evaluation", cookies=COORDINATOR)

    assert public.status_code == 200
    assert "too few stories" in public.text
    assert "export.csv" not in public.text
    assert "full view for coordinators" in full.text
    assert "Change since joining" in full.text
    assert "/api/v1/evaluation/export.csv" in full.text


def test_the_evaluation_export_is_served_to_coordinators_only(site, shared):
    exported = requests.get(f"{site}/api/v1/evaluation/export.csv", cookies=COORDINATOR)
    anonymous = requests.get(f"{site}/api/v1/evaluation/export.csv")

    assert exported.status_code == 200
    assert exported.headers["Content-Type"].startswith("text/csv")
    assert anonymous.status_code == 401


def test_the_pages_are_in_welsh_when_the_reader_asks(site):
    html = browser(language="cy").get(f"{site}/directory").text

    assert '<html lang="cy">' in html
    assert "Pwy sy&#39;n gwneud beth, ble" in html


def test_the_evaluation_of_a_large_enough_group_shows_its_patterns_and_charts(
    site, settings
):
    story = {"title": "Stori", "text": "Digwyddodd rhywbeth da.", "language": "cy"}
    with ServiceRpcProxy("stories", settings) as stories:
        for _ in range(5):
            stories.submit_story(
                {
                    **story,
                    "sharing": "public",
                    "answers": ANSWERS,
                    "member_id": str(uuid.uuid4()),
                }
            )
    html = page(site, "/evaluation").text

    charts = re.findall(r'src="(/api/v1/evaluation/charts/[^"]+)"', html)
    assert "Stories in this group: 5" in html
    assert charts
    picture = requests.get(site + charts[0].replace("&amp;", "&"))
    assert picture.headers["Content-Type"].startswith("image/svg+xml")
