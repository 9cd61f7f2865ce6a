import csv
from pathlib import Path

import pytest

from contracts import areas

REFERENCE = (
    Path(__file__).parents[2] / "contracts" / "data" / "wales-principal-areas.csv"
)


def reference_rows() -> list[dict]:
    with REFERENCE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_there_are_twenty_two_principal_areas():
    assert len(areas.all_areas()) == 22


@pytest.mark.parametrize("row", reference_rows(), ids=lambda row: row["ons_code"])
def test_every_area_is_found_by_code_and_by_either_name(row):
    for typed in (
        row["ons_code"],
        row["name_en"],
        row["name_cy"],
        row["name_cy"].upper(),
    ):
        assert areas.resolve(typed).code == row["ons_code"]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Rhondda Cynon Taff", "W06000016"),
        ("ynys mon", "W06000001"),
        ("Sir Ynys Môn", "W06000001"),
        ("Torfaen", "W06000020"),
        ("  caerdydd ", "W06000015"),
        ("Pen-y-bont ar Ogwr", "W06000013"),
        ("penybont ar ogwr", "W06000013"),
        ("Merthyr Tudful", "W06000024"),
        ("Carmarthenshir", "W06000010"),
        ("gb-crf", "W06000015"),
    ],
)
def test_common_ways_of_writing_an_area_are_understood(typed, code):
    assert areas.resolve(typed).code == code


@pytest.mark.parametrize("typed", ["Bristol", "", "   ", "W06000007", "Wales", "%"])
def test_what_is_not_a_principal_area_is_not_guessed(typed):
    assert areas.resolve(typed) is None
