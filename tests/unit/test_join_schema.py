import unicodedata

import pytest
from marshmallow import ValidationError

from services.membership.schemas import JoinSchema

FORM = {
    "name": "Mererid Hâf",
    "email": " Mererid@Example.Cymru ",
    "area": "Sir Gaerfyrddin",
    "language": "cy",
    "listed": False,
    "promise": "Byddaf yn rhoi lle i leisiau pobl ifanc yn ein cyfarfodydd.",
}


def test_a_welsh_form_loads_with_the_area_as_its_code():
    loaded = JoinSchema().load(FORM)

    assert loaded["area"] == "W06000010"
    assert loaded["kind"] == "individual"
    assert loaded["email"] == "Mererid@example.cymru"


def test_names_are_kept_as_typed_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Siân Ŵyn")

    loaded = JoinSchema().load({**FORM, "name": f"  {decomposed} "})

    assert loaded["name"] == "Siân Ŵyn"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "Line\nbreak"),
        ("name", "Bell\x07"),
        ("email", "mererid@"),
        ("email", "two@@example.org"),
        ("area", "Cernyw"),
        ("language", "ga"),
        ("listed", "maybe"),
        ("promise", "short"),
        ("promise", "x" * 2001),
        ("kind", "company"),
    ],
)
def test_each_bad_field_is_named(field, value):
    with pytest.raises(ValidationError) as refused:
        JoinSchema().load({**FORM, field: value})

    assert list(refused.value.messages) == [field]


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError) as refused:
        JoinSchema().load({**FORM, "is_coordinator": True})

    assert "is_coordinator" in refused.value.messages
