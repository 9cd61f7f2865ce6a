"""The words the directory indexes and asks for, made in Python for both
databases; the vocabulary of tags; distances."""

import pytest

from services.directory import geo, searchdoc, vocabulary


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Siôn Glyndŵr", ["sion", "glyndwr"]),
        ("SIÔN glyndw\u0302r", ["sion", "glyndwr"]),
        ("Tŷ'r Gymraeg", ["tyr", "gymraeg", "ty", "r"]),
        ("Pen-y-bont ar Ogwr", ["pen", "y", "bont", "ar", "ogwr", "penybont"]),
        ("O’Brien & Co_op 50%", ["o", "brien", "co", "op", "50", "obrien"]),
        ("½ awr", ["1", "2", "awr"]),
    ],
)
def test_words_fold_case_accents_and_forms_and_keep_joined_words(text, words):
    assert sorted(searchdoc.words(text)) == sorted(words)


@pytest.mark.parametrize("query", ['"', "%_\\", "AND OR NOT", "'x':* & y", 'a"b'])
def test_queries_hold_only_letters_and_digits(query):
    found = searchdoc.query_words(query)

    for word in found:
        assert word.isalnum()
    if found:
        assert searchdoc.fts5_query(found).count('"') == 2 * len(found)
        assert searchdoc.tsquery(found).count("'") == 2 * len(found)


def test_an_index_keeps_each_field_and_one_plain_vector():
    class Row:
        search_vector = None

    row = Row()
    searchdoc.index(row, searchdoc.Document(name="Tŷ Hapus", body="hapus iawn"))

    assert row.search_name == "ty hapus"
    assert (row.search_body, row.search_org) == ("hapus iawn", "")
    assert row.search_vector == "'ty' 'hapus' 'iawn'"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (["Hwyluso"], ["facilitation"]),
        (["FACILITATION", "hwyluso"], ["facilitation"]),
        (["Pobl hyn"], ["older-people"]),
        (["youth-work", "Cadw gwenyn", "cadw  gwenyn"], ["youth-work", "Cadw gwenyn"]),
    ],
)
def test_tags_name_a_term_in_either_language_or_stay_free(typed, stored):
    assert vocabulary.normalise(typed) == stored


def test_every_term_has_a_code_and_both_labels_and_they_are_unique():
    terms = vocabulary.taxonomy().terms
    codes = [term.code for term in terms]

    assert len(set(codes)) == len(codes)
    assert all(term.cy and term.en for term in terms)
    assert len({term.id for term in terms}) == len(terms)


def test_haversine_distances_match_known_ones():
    cardiff, swansea = (51.4816, -3.1791), (51.6214, -3.9436)

    assert geo.haversine_km(*cardiff, *swansea) == pytest.approx(54.8, abs=0.5)
    assert geo.haversine_km(*cardiff, *cardiff) == 0


def test_a_bounding_box_holds_the_whole_circle():
    south, north, west, east = geo.bounding_box(52.4, -3.5, 10)

    for lat, lon in ((south, -3.5), (north, -3.5), (52.4, west), (52.4, east)):
        assert geo.haversine_km(52.4, -3.5, lat, lon) >= 9.99
