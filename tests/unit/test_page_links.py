"""The links between pages of a search on the network's pages."""

from gateway.routes.network_pages import paging


def test_a_page_past_the_last_links_back_to_the_last_with_the_filters_kept():
    found = {"page": 5, "per_page": 20, "total": 23}

    links = paging(found, {"q": "sian", "area": "", "page": "5"})

    assert (links["page"], links["last"], links["after"]) == (5, 2, None)
    assert links["before"] == {"q": "sian", "page": 2}


def test_a_middle_page_links_both_ways():
    links = paging({"page": 2, "per_page": 20, "total": 45}, {"kind": "individual"})

    assert links["before"] == {"kind": "individual", "page": 1}
    assert links["after"] == {"kind": "individual", "page": 3}
