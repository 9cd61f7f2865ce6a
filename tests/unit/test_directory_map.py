"""The asset map's outlines and picture, and the shape of the open data."""

import xml.etree.ElementTree as ET

from contracts import areas
from services.directory import assetmap, hsds, mapsvg

SVG = "{http://www.w3.org/2000/svg}"


def counts(**by_code) -> dict:
    rows = []
    for area in areas.all_areas():
        row = {**area.as_dict(), **dict.fromkeys(assetmap.COUNTS, 0), "hours": 0}
        row.update(by_code.get(area.code, {}))
        rows.append(row)
    return {"areas": rows, "all_wales": {}}


def test_there_is_an_outline_for_every_principal_area_and_no_other():
    assert set(assetmap.shapes()) == {area.code for area in areas.all_areas()}


def test_every_area_is_drawn_with_its_names_and_counts():
    data = counts(W06000015={"members": 3, "offers": 1})

    svg = ET.fromstring(mapsvg.render(data, [], None))

    groups = [g for g in svg.findall(f"{SVG}g[@id]") if g.get("id").startswith("area-")]
    titles = {g.get("id"): g.find(f"{SVG}title").text for g in groups}
    assert len(titles) == 22
    assert titles["area-W06000015"].startswith(
        "Caerdydd: 3 aelod, 0 sefydliad, 1 cynnig"
    )
    assert "Cardiff: 3 members" in titles["area-W06000015"]


def test_an_area_with_nothing_is_a_gap_not_left_out():
    svg = ET.fromstring(mapsvg.render(counts(W06000015={"members": 1}), [], "en"))

    powys = svg.find(f"{SVG}g[@id='area-W06000023']")
    assert powys.find(f"{SVG}path").get("fill") == "url(#nothing-yet)"
    assert powys.find(f"{SVG}title").text == "Powys: nothing yet"


def test_names_on_the_map_are_text_never_markup():
    place = assetmap.Point("<script>alert(1)</script> & Co", 51.48, -3.18)

    drawn = mapsvg.render(counts(), [place], "cy")

    assert "<script>" not in drawn
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in drawn


def test_the_map_needs_nothing_from_the_network():
    drawn = mapsvg.render(counts(), [], None)

    assert "http" not in drawn.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_open_referral_paging_says_where_a_page_is():
    page = hsds.page_of(["a", "b"], 5, 2, 2)

    assert page == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 2,
        "size": 2,
        "first_page": False,
        "last_page": False,
        "empty": False,
        "contents": ["a", "b"],
    }
    assert hsds.page_of([], 0, 1, 50)["empty"] is True
