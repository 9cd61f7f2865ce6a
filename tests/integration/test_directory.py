import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from contracts.errors import InvalidInput
from services.directory.service import DirectoryService
from tests.support.amqp import publish_event, republish
from tests.support.members import snapshot
from tests.support.waiting import eventually


def joined(name: str, listed: bool = True, area: str = "W06000002") -> dict:
    return snapshot(name, listed=listed, area=area, kind="organisation")


@pytest.fixture
def directory(container_factory, config):
    container_factory(DirectoryService, config).start()
    with ServiceRpcProxy("directory", config) as proxy:
        yield proxy


def names(result: dict) -> list[str]:
    return [item["name"] for item in result["items"]]


def test_a_member_who_chose_to_be_listed_is_found(directory, config):
    publish_event(
        config["AMQP_URI"], "MemberJoined", "m1", joined("Tŷ Hapus Youth Project")
    )

    found = eventually(lambda: directory.search({"q": "ty hapus"})["items"])

    assert [item["area"] for item in found] == ["W06000002"]
    assert found[0]["area_name_cy"] == "Gwynedd"


def test_a_member_who_chose_not_to_be_listed_is_not(directory, config):
    hidden = publish_event(
        config["AMQP_URI"], "MemberJoined", "m1", joined("Cudd", False)
    )
    publish_event(config["AMQP_URI"], "MemberJoined", "m2", joined("Gweladwy"))

    eventually(lambda: directory.search({"q": "Gweladwy"})["items"])

    assert directory.search({"q": "Cudd"})["items"] == []
    assert hidden["data"]["consents"]["listed"] is False


def test_the_same_event_twice_makes_one_listing(directory, config):
    envelope = publish_event(config["AMQP_URI"], "MemberJoined", "m1", joined("Eirlys"))
    republish(config["AMQP_URI"], envelope)
    publish_event(config["AMQP_URI"], "MemberJoined", "m2", joined("Marcwr"))

    eventually(lambda: directory.search({"q": "Marcwr"})["items"])

    assert names(directory.search({"q": "Eirlys"})) == ["Eirlys"]


def test_search_ignores_case_accents_and_unicode_forms(directory, config):
    publish_event(config["AMQP_URI"], "MemberJoined", "m1", joined("Siôn Glyndŵr"))
    eventually(lambda: directory.search({"q": "Siôn"})["items"])

    decomposed = "glyndw\u0302r"  # ŵ written as w + combining circumflex

    assert names(directory.search({"q": "SION"})) == ["Siôn Glyndŵr"]
    assert names(directory.search({"q": decomposed})) == ["Siôn Glyndŵr"]
    assert names(directory.search({"q": "Gwynedd"})) == ["Siôn Glyndŵr"]


@pytest.mark.parametrize("query", ["%", "_", "O'Brien", '"', "\\", "a%b_c", "--"])
def test_search_treats_punctuation_as_text(directory, config, query):
    publish_event(config["AMQP_URI"], "MemberJoined", "m1", joined("Ffion O'Brien"))
    eventually(lambda: directory.search({"q": "Ffion"})["items"])

    expected = ["Ffion O'Brien"] if query == "O'Brien" else []

    assert names(directory.search({"q": query})) == expected


def test_search_pages_through_results(directory, config):
    for number in range(5):
        publish_event(config["AMQP_URI"], "MemberJoined", "m", joined(f"Grŵp {number}"))
    eventually(lambda: directory.search({"q": "grwp"})["total"] == 5)

    second = directory.search({"q": "grwp", "page": 2, "per_page": 2})

    assert names(second) == ["Grŵp 2", "Grŵp 3"]


def test_a_bad_page_number_is_refused(directory):
    with pytest.raises(InvalidInput) as refused:
        directory.search({"q": "x", "page": 0})

    assert "page" in refused.value.errors
