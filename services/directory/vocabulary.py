"""Tags: codes of the directory's controlled vocabulary, or free tags.

A tag is stored as a string: the code of a vocabulary term when what was typed
names one (its code, or its Welsh or English label, in any case, with or without
accents), otherwise the free text as typed."""

import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from contracts.text import nfc, squash
from services.directory.searchdoc import query_words

_FILE = Path(__file__).parent / "data" / "vocabulary.yml"
_IDS = uuid.UUID("6f1d2b9e-93a4-4c55-9d0b-0c7a1e5b2f10")


@dataclass(frozen=True)
class Term:
    code: str
    cy: str
    en: str

    @property
    def id(self) -> str:
        return str(uuid.uuid5(_IDS, f"term:{self.code}"))


@dataclass(frozen=True)
class Taxonomy:
    code: str
    name_cy: str
    name_en: str
    version: str
    terms: tuple[Term, ...]

    @property
    def id(self) -> str:
        return str(uuid.uuid5(_IDS, f"taxonomy:{self.code}"))


@cache
def taxonomy() -> Taxonomy:
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    head = data["taxonomy"]
    terms = tuple(Term(t["code"], t["cy"], t["en"]) for t in data["terms"])
    return Taxonomy(
        head["code"], head["name_cy"], head["name_en"], str(head["version"]), terms
    )


@cache
def _by_name() -> dict[str, Term]:
    table = {}
    for term in taxonomy().terms:
        for name in (term.code, term.cy, term.en):
            table[squash(name)] = term
    return table


@cache
def _by_code() -> dict[str, Term]:
    return {term.code: term for term in taxonomy().terms}


def term(code: str) -> Term | None:
    return _by_code().get(code)


def normalise(typed: list[str]) -> list[str]:
    """Each tag as stored, once each, in the order given."""
    kept: dict[str, str] = {}
    for text in typed:
        found = _by_name().get(squash(text))
        tag = found.code if found else nfc(text).strip()
        if tag:
            kept.setdefault(key(tag), tag)
    return list(kept.values())


def key(tag: str) -> str:
    """What a tag is counted and filtered by: its code, or its folded words."""
    if term(tag) is not None:
        return tag
    return " ".join(query_words(tag))[:80] or squash(tag)[:80]


def describe(tag: str) -> dict[str, str | None]:
    """A tag as the API shows it: the term's code and both labels, or the free
    text (code null)."""
    found = term(tag)
    if found is None:
        return {"code": None, "key": key(tag), "cy": tag, "en": tag}
    return {"code": found.code, "key": found.code, "cy": found.cy, "en": found.en}


def words_of(tags: list[str]) -> str:
    """The text a search should find the tags by: both labels of each term."""
    parts = []
    for tag in tags:
        found = term(tag)
        parts += [found.cy, found.en] if found else [tag]
    return " ".join(parts)
