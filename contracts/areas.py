"""The 22 principal areas of Wales, and how the names people type map to them."""

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from contracts.text import squash

_CODE_LIKE = re.compile(r"^(w\d+|gb[a-z]{3})$")
_CSV = Path(__file__).parent / "data" / "wales-principal-areas.csv"

# Other ways people write an area, beyond its code, English, Welsh and ISO names.
_ALIASES = {
    "W06000001": ["Anglesey", "Sir Ynys Môn", "Môn"],
    "W06000012": ["Neath", "Port Talbot", "Castell Nedd"],
    "W06000014": ["The Vale", "Vale"],
    "W06000016": ["RCT", "Rhondda Cynon Taff", "Rhondda"],
    "W06000019": ["Blaenau-Gwent"],
    "W06000020": ["Torfaen"],
    "W06000024": ["Merthyr"],
}


@dataclass(frozen=True)
class Area:
    code: str
    name_en: str
    name_cy: str
    iso: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name_en": self.name_en, "name_cy": self.name_cy}


@cache
def all_areas() -> tuple[Area, ...]:
    with _CSV.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return tuple(
            Area(r["ons_code"], r["name_en"], r["name_cy"], r["iso_3166_2"])
            for r in rows
        )


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for area in all_areas():
        names = [area.code, area.name_en, area.name_cy, area.iso]
        for name in names + _ALIASES.get(area.code, []):
            table[squash(name)] = area.code
    return table


def by_code(code: str) -> Area:
    return next(area for area in all_areas() if area.code == code)


def resolve(text: str) -> Area | None:
    """Find the area a person meant: a code, a name in either language, any case,
    with or without accents, or a near miss such as "Rhonda Cynon Taf"."""
    key = squash(text)
    if not key:
        return None
    table = _lookup()
    if key in table:
        return by_code(table[key])
    if _CODE_LIKE.match(key):
        return None  # a mistyped code is not guessed: W06000007 is retired
    names = [name for name in table if not _CODE_LIKE.match(name)]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.85)
    return by_code(table[close[0]]) if close else None
