"""What the search indexes hold, made in Python so both databases see one thing.

Text is folded (case, accents and Unicode forms ignored: contracts.text.fold)
and cut into words of letters and digits; everything else separates words and is
never syntax. A word written with an apostrophe or hyphen inside ("O'Brien",
"Pen-y-bont") is indexed both as its parts and joined ("obrien", "penybont").

SQLite indexes the word strings with FTS5 (the `ascii` tokenizer splits them at
the spaces and nowhere else); PostgreSQL keeps a `tsvector` written from the
same words (for listings in `listing_words`), so no parser or dictionary of the
server decides what a word is. Neither database scores matches: the order is
decided in Python (`ranking`), the same on both."""

import re
from dataclasses import dataclass

from sqlalchemy import Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from contracts.text import fold

_WORD = re.compile(r"[^\W_]+")
_JOINED = re.compile(r"[^\W_]+(?:['’‘ʼ\-‐‑][^\W_]+)+")
_JOINERS = re.compile(r"['’‘ʼ\-‐‑]")

# The fields of a document, in the order ranking prefers them.
FIELDS = ("name", "org", "tags", "body", "place")


def words(text: str) -> list[str]:
    """The searchable words of `text`, in order."""
    folded = fold(text or "")
    found = _WORD.findall(folded)
    found += [_JOINERS.sub("", joined) for joined in _JOINED.findall(folded)]
    return found


def query_words(text: str) -> list[str]:
    """The words a query asks for: its parts, each once, in order."""
    return list(dict.fromkeys(_WORD.findall(fold(text or ""))))


class SearchVector(TypeDecorator):
    """A `tsvector` on PostgreSQL; nothing is stored on SQLite, which has FTS5."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TSVECTOR())
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value, dialect):
        return value if dialect.name == "postgresql" else None


class SearchColumns:
    """The folded words of each field (FTS5 on SQLite reads them)."""

    search_name: Mapped[str] = mapped_column(Text, default="")
    search_org: Mapped[str] = mapped_column(Text, default="")
    search_tags: Mapped[str] = mapped_column(Text, default="")
    search_body: Mapped[str] = mapped_column(Text, default="")
    search_place: Mapped[str] = mapped_column(Text, default="")


@dataclass(frozen=True)
class Document:
    name: str = ""
    org: str = ""
    tags: str = ""
    body: str = ""
    place: str = ""


def index(row: SearchColumns, document: Document) -> None:
    """Write `document` into the search columns of `row` (and into its vector,
    for a row that keeps one)."""
    fields = {field: words(getattr(document, field)) for field in FIELDS}
    for field, found in fields.items():
        setattr(row, f"search_{field}", " ".join(found))
    if hasattr(type(row), "search_vector"):
        row.search_vector = plain_vector(row)


def plain_vector(row: SearchColumns) -> str:
    """Every word of the row once, without positions or weights: all PostgreSQL
    needs to say which listings match (ranking happens elsewhere), and small, so
    a search that matches many listings reads little."""
    every = " ".join(getattr(row, f"search_{field}") for field in FIELDS)
    return " ".join(_lexeme(word) for word in dict.fromkeys(every.split()))


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def fts5_query(found: list[str]) -> str:
    """An FTS5 query for all of `found`, the last as a prefix. Words hold only
    letters and digits, and are quoted besides, so nothing in them is syntax."""
    quoted = [f'"{word}"' for word in found]
    quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(found: list[str]) -> str:
    """The same query as a PostgreSQL `tsquery` literal."""
    lexemes = [_lexeme(word) for word in found]
    lexemes[-1] += ":*"
    return " & ".join(lexemes)
