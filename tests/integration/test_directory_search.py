"""Search behaves the same on SQLite (FTS5) and PostgreSQL (tsvector): case,
Welsh accents, Unicode forms, punctuation and query syntax, ranking, paging,
facets and distance."""

import unicodedata

import pytest

from infra.validation import parse
from services.directory import listings, queries
from services.directory.schemas import SearchSchema
from services.directory.searchindex import SearchIndex
from tests.support.databases import BACKENDS, database, postgres_answers
from tests.support.directory import deliver, directory_session, find_listings
from tests.support.directory import left as left_event
from tests.support.directory import member as a_member

FFION = "Ffion O'Brien"


def listed(directory_db, name: str, **edits) -> dict:
    overrides = {
        key: edits.pop(key) for key in ("kind", "area", "skills") if key in edits
    }
    joined = a_member(name, **overrides)
    deliver(directory_db, "MemberJoined", joined)
    if edits:
        listings.edit(directory_db, joined["member_id"], edits)
    return joined


def find(directory_db, q: str = "", **criteria) -> dict:
    """Search as the RPC does: through the schema, then the domain."""
    return find_listings(directory_db, parse(SearchSchema(), {"q": q, **criteria}))


def names(directory_db, q: str = "", **criteria) -> list[str]:
    return [item["name"] for item in find(directory_db, q, **criteria)["items"]]


@pytest.fixture(scope="module", params=BACKENDS)
def welsh(request, tmp_path_factory):
    """A few Welsh names, on each backend, shared by the read-only tests below."""
    if request.param == "postgresql" and not postgres_answers():
        pytest.skip("PostgreSQL does not answer")
    folder = tmp_path_factory.mktemp("search")
    with (
        database(request.param, folder, "search") as url,
        directory_session(url) as directory_db,
    ):
        listed(directory_db, "Siôn Glyndŵr")
        listed(
            directory_db,
            "Tŷ Hapus",
            kind="organisation",
            description="Prosiect ieuenctid",
        )
        listed(directory_db, "Canolfan Pen-y-bont", kind="organisation")
        listed(directory_db, FFION)
        yield directory_db


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sion", ["Siôn Glyndŵr"]),
        ("SIÔN", ["Siôn Glyndŵr"]),
        ("GLYNDWR", ["Siôn Glyndŵr"]),
        ("glyndw\u0302r", ["Siôn Glyndŵr"]),  # ŵ as w + combining circumflex
        ("ty hapus", ["Tŷ Hapus"]),
        ("TŶ", ["Tŷ Hapus"]),
        ("IEUENCTID", ["Tŷ Hapus"]),
        ("pen-y-bont", ["Canolfan Pen-y-bont"]),
        ("Pen y Bont", ["Canolfan Pen-y-bont"]),
        ("penybont", ["Canolfan Pen-y-bont"]),
    ],
)
def test_case_accents_and_unicode_forms_do_not_matter(welsh, query, expected):
    assert names(welsh, query) == expected


def test_a_name_stored_decomposed_is_found_by_the_composed_letters(directory_db):
    decomposed = unicodedata.normalize("NFD", "Gwenllïan Ŵyn")
    listed(directory_db, decomposed)

    assert names(directory_db, "gwenllïan ŵyn") == [decomposed]
    assert names(directory_db, "GWENLLIAN WYN") == [decomposed]


FOUND, NOT_FOUND = [FFION], []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("O'Brien", FOUND),
        ("o’brien", FOUND),
        ("obrien", FOUND),
        ("ffion*", FOUND),
        ("^ffion", FOUND),
        ("{ffion}", FOUND),
        ("(ffion)", FOUND),
        ("!ffion", FOUND),
        ("ffion:", FOUND),
        ("'ffion':*", FOUND),
        ("ffion & brien", FOUND),
        ("ffion|brien", FOUND),
        ("ffion <-> brien", FOUND),
        ('"ffion brien"', FOUND),
        ("ffion%", FOUND),
        ("ffion\\", FOUND),
        ("NOT ffion", NOT_FOUND),
        ("ffion AND", NOT_FOUND),
        ("ffion OR x", NOT_FOUND),
        ("NEAR(ffion brien)", NOT_FOUND),
        ("name:ffion", NOT_FOUND),
        ("a%b_c", NOT_FOUND),
        ("ffi_on", NOT_FOUND),
        ("%", NOT_FOUND),
        ("_", NOT_FOUND),
        ("\\", NOT_FOUND),
        ('"', NOT_FOUND),
        ("'", NOT_FOUND),
        ("--", NOT_FOUND),
        ("*", NOT_FOUND),
        ("&", NOT_FOUND),
        ("<->", NOT_FOUND),
        (":*", NOT_FOUND),
        ("()", NOT_FOUND),
        ("' OR 1=1 --", NOT_FOUND),
    ],
)
def test_punctuation_and_query_syntax_are_text_never_an_error(welsh, query, expected):
    found = find(welsh, query)

    assert [item["name"] for item in found["items"]] == expected
    assert found["total"] == len(expected)


def test_an_empty_query_lists_everyone_by_name(welsh):
    assert names(welsh) == ["Canolfan Pen-y-bont", FFION, "Siôn Glyndŵr", "Tŷ Hapus"]


def test_a_match_in_the_name_ranks_above_one_in_the_description(directory_db):
    listed(directory_db, "Ymddiriedolaeth Gwerthuso", kind="organisation")
    listed(
        directory_db,
        "Cwmni Arall",
        kind="organisation",
        description="Rydym yn gwerthuso.",
    )
    listed(directory_db, "Rhywun Arall", description="Dim byd perthnasol.")

    assert names(directory_db, "gwerthuso") == [
        "Ymddiriedolaeth Gwerthuso",
        "Cwmni Arall",
    ]


def test_the_last_word_may_be_the_start_of_a_word(welsh):
    assert names(welsh, "glynd") == ["Siôn Glyndŵr"]
    assert names(welsh, "glynd sion") == []


def test_tags_are_found_by_either_language_and_filtered_by_code(directory_db):
    listed(directory_db, "Dewi", skills=["Hwyluso"])
    listed(directory_db, "Mari", skills=["cadw gwenyn"])

    assert names(directory_db, "facilitation") == ["Dewi"]
    assert names(directory_db, "hwyluso") == ["Dewi"]
    assert names(directory_db, "", tag="facilitation") == ["Dewi"]
    assert names(directory_db, "", tag="Cadw Gwenyn") == ["Mari"]


def test_search_pages_through_results_in_a_stable_order(directory_db):
    for number in range(5):
        listed(directory_db, f"Grŵp {number}")

    second = find(directory_db, "grwp", page=2, per_page=2)

    assert [item["name"] for item in second["items"]] == ["Grŵp 2", "Grŵp 3"]
    assert (second["total"], second["page"], second["per_page"]) == (5, 2, 2)


def test_facets_count_the_matches_by_area_kind_and_tag(directory_db):
    listed(directory_db, "Caffi Trwsio Caerdydd", kind="organisation", area="W06000015")
    listed(directory_db, "Caffi Trwsio Abertawe", kind="organisation", area="W06000011")
    listed(directory_db, "Caffi Unigol", area="W06000011", skills=["equipment"])

    facets = find(directory_db, "caffi")["facets"]

    by_area = {row["code"]: row["count"] for row in facets["area"]}
    assert (by_area["W06000011"], by_area["W06000015"], by_area["W06000001"]) == (
        2,
        1,
        0,
    )
    assert len(facets["area"]) == 22
    assert facets["kind"] == [
        {"value": "individual", "count": 1},
        {"value": "organisation", "count": 2},
    ]
    assert [(t["code"], t["count"]) for t in facets["tag"]] == [("equipment", 1)]


def test_filters_narrow_by_area_and_kind(directory_db):
    listed(directory_db, "Grŵp Cymunedol Môn", kind="organisation", area="W06000001")
    listed(
        directory_db, "Grŵp Cymunedol Caerdydd", kind="organisation", area="W06000015"
    )
    listed(directory_db, "Person Cymunedol", area="W06000015")

    assert names(directory_db, "cymunedol", area="W06000015", kind="organisation") == [
        "Grŵp Cymunedol Caerdydd"
    ]


def test_near_a_point_finds_listings_by_distance(directory_db):
    places = {
        "Caerdydd": (51.4816, -3.1791),
        "Abertawe": (51.6214, -3.9436),
        "Bangor": (53.2274, -4.1293),
    }
    for name, (lat, lon) in places.items():
        listed(
            directory_db,
            f"Hyb {name}",
            place={"name": name, "latitude": lat, "longitude": lon},
        )
    listed(directory_db, "Hyb heb le")

    close = find(directory_db, "", lat=51.50, lon=-3.20, within_km=20)
    wider = find(directory_db, "hyb", lat=51.50, lon=-3.20, within_km=80)

    assert [item["name"] for item in close["items"]] == ["Hyb Caerdydd"]
    assert [item["name"] for item in wider["items"]] == ["Hyb Caerdydd", "Hyb Abertawe"]
    cardiff, swansea = (item["distance_km"] for item in wider["items"])
    assert 2 < cardiff < 3 and 52 < swansea < 55
    assert wider["total"] == 2


def test_hidden_listings_are_never_found(directory_db):
    joined = listed(directory_db, "Cyfrinach")
    hidden = {
        **joined,
        "version": 2,
        "consents": {**joined["consents"], "listed": False},
    }
    deliver(directory_db, "MemberUpdated", {**hidden, "changed": ["consents"]})

    assert names(directory_db, "cyfrinach") == []
    assert find(directory_db, "")["total"] == 0


def test_every_copy_of_the_service_sees_each_change(directory_db):
    """Two copies keep their own index; both follow the change log."""
    first, second = SearchIndex(), SearchIndex()
    seen = []

    def both(q: str) -> None:
        for index in (first, second):
            parsed = parse(SearchSchema(), {"q": q})
            seen.append(
                [
                    i["name"]
                    for i in queries.find_listings(directory_db, index, parsed)["items"]
                ]
            )

    joined = listed(directory_db, "Cangen Un")
    both("cangen")
    listings.edit(directory_db, joined["member_id"], {"skills": ["mentora"]})
    renamed = {**joined, "version": 2, "name": "Cangen Dau", "changed": ["name"]}
    deliver(directory_db, "MemberUpdated", renamed)
    both("cangen")
    both("mentoring")
    deliver(directory_db, "MemberLeft", left_event(joined, version=3))
    both("cangen")

    assert seen == [
        ["Cangen Un"],
        ["Cangen Un"],
        ["Cangen Dau"],
        ["Cangen Dau"],
        ["Cangen Dau"],
        ["Cangen Dau"],
        [],
        [],
    ]
