import unicodedata

import pytest
from marshmallow import ValidationError

from services.membership.schemas import JoinSchema, UpdateSchema
from tests.support.membership import form


def load(**overrides) -> dict:
    return JoinSchema().load(form(**overrides))


def refused(schema=None, **overrides) -> dict:
    with pytest.raises(ValidationError) as error:
        (schema or JoinSchema()).load(form(**overrides))
    return error.value.messages


def test_a_welsh_form_loads_with_the_area_as_its_code():
    loaded = load(area="Sir Gaerfyrddin")

    assert loaded["area"] == "W06000010"
    assert loaded["kind"] == "individual"
    assert loaded["email"] == "Gwen.Wyn@example.cymru"
    assert loaded["promise"]["focus"] == "what_matters"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("cf10 1aa", "CF10 1AA"), (" CF101AA ", "CF10 1AA"), ("sa1  1aa", "SA1 1AA")],
)
def test_a_postcode_is_kept_in_its_usual_shape(typed, kept):
    assert load(postcode=typed)["postcode"] == kept


@pytest.mark.parametrize("typed", ["CF10", "12345", "CF10 1AA 2", "ⅭF10 1AA", "x" * 50])
def test_what_is_not_a_postcode_is_refused_showing_the_shape(typed):
    messages = refused(postcode=typed)

    assert list(messages) == ["postcode"]
    assert "CF10 1AA" in messages["postcode"][0]


def test_the_postcode_and_most_of_the_profile_may_be_left_out():
    minimal = {
        key: form()[key]
        for key in ("name", "email", "area", "principles_version", "consents")
    }
    loaded = JoinSchema().load({**minimal, "promise": {"text": "Gwrando yn gyntaf."}})

    assert loaded["postcode"] is None
    assert loaded["language"] is None
    assert loaded["interests"] == []


def test_no_language_preference_is_null():
    assert load(language=None)["language"] is None


def test_names_are_kept_as_typed_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Siân Ŵyn")

    assert load(name=f"  {decomposed} ")["name"] == "Siân Ŵyn"


def test_markup_is_kept_as_text():
    assert load(role="<script>x</script>")["role"] == "<script>x</script>"


def test_tags_that_differ_only_in_case_or_accent_are_one():
    loaded = load(interests=["Ieuenctid", "ieuenctid", "Tŷ", "ty"])

    assert loaded["interests"] == ["Ieuenctid", "Tŷ"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "Line\nbreak"),
        ("name", "Bell\x07"),
        ("name", "x" * 201),
        ("email", "gwen@"),
        ("email", "two@@example.org"),
        ("area", "Cernyw"),
        ("language", "ga"),
        ("sector", "banking"),
        ("role", "x" * 121),
        ("about_life", "x" * 1001),
        ("about_work", "nul\x00"),
        ("interests", ["x" * 61]),
        ("skills", ["ok"] * 31),
        ("kind", "company"),
        ("principles_version", ""),
        ("promise", {"text": "byr"}),
        ("promise", {"text": "x" * 2001}),
        ("promise", {"text": "Digon hir o addewid.", "focus": "money"}),
        ("promise", {"text": "Digon hir o addewid.", "by_date": "2001-01-01"}),
        ("promise", "Just a string"),
        ("consents", {"privacy": False}),
        ("consents", {"listed": True}),
        ("story", "not an object"),
    ],
)
def test_each_bad_field_is_named(field, value):
    assert list(refused(**{field: value})) == [field]


def test_an_organisation_needs_a_champion_and_an_individual_names_none():
    assert "champions" in refused(kind="organisation")
    assert "champions" in refused(champions=["ceri@example.cymru"])
    assert load(kind="organisation", champions=["ceri@example.cymru"])


def test_unknown_fields_are_refused():
    assert "is_coordinator" in refused(is_coordinator=True)


def test_a_change_names_only_what_changes():
    assert UpdateSchema().load({"language": None}) == {"language": None}


@pytest.mark.parametrize(
    "change",
    [{}, {"consents": {"privacy": False}}, {"email": "new@example.cymru"}],
)
def test_a_change_that_cannot_be_made_is_refused(change):
    with pytest.raises(ValidationError):
        UpdateSchema().load(change)
