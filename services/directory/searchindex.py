"""An in-process index of public listings: who is in which facet, which words
are in whose name and organisation, and the order of names. Search asks the
database's full-text index which listings match the words; this index counts
facets, applies filters, ranks and orders, without another pass over the rows.

Facet values are bitmaps over listing `seq` (one bit per listing), so a count
is an AND and a popcount. The index follows the database through the
`listing_changes` log that `listings.refresh` writes in the same transaction
as each change: every search first applies the changes it has not seen. Ids
are re-read over a short window, since on PostgreSQL a transaction may commit
after one that took a later id; and the whole index is rebuilt now and then,
and whenever the log was pruned past what it has seen."""

import bisect
import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from nameko.extensions import DependencyProvider
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from infra.db import Database
from services.directory import vocabulary
from services.directory.models import Listing, ListingArea, ListingChange, ListingTag
from services.directory.searchdoc import query_words

logger = logging.getLogger(__name__)

WINDOW = 500  # change ids re-read each time


@dataclass
class Entry:
    sort_key: tuple[str, int]
    facets: tuple[str, ...]
    words: dict[str, tuple[str, ...]]


@dataclass
class _State:
    bits: dict[str, bytearray] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    postings: dict[str, dict[str, set[int]]] = field(
        default_factory=lambda: {"name": defaultdict(set), "org": defaultdict(set)}
    )
    entries: dict[int, Entry] = field(default_factory=dict)
    order: list[tuple[str, int]] = field(default_factory=list)
    sorted_words: dict[str, list[str]] = field(default_factory=dict)
    tag_words: dict[str, tuple[str, ...]] = field(default_factory=dict)


class SearchIndex:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state = _State()
        self.high = 0
        self.applied: set[int] = set()
        self.built_at = 0.0

    def sync(self, session: Session) -> None:
        """Bring the index up to date with the database, in the open transaction.
        What changes is read first and applied without waiting on anything, so
        no other green thread ever sees the index half-changed."""
        with self.lock:
            if not self.built_at or self._missed(session):
                self._swap(self._build(session))
                return
            changes = session.execute(
                select(ListingChange.id, ListingChange.listing_seq).where(
                    ListingChange.id > self.high - WINDOW
                )
            ).all()
            fresh = [(cid, seq) for cid, seq in changes if cid not in self.applied]
            if fresh:
                seqs = {seq for _, seq in fresh}
                loaded = _fetch(session, seqs)
                for seq in seqs:
                    self._forget(seq)
                _apply(self.state, loaded, bulk=False)
                self._seen(cid for cid, _ in fresh)

    def rebuild(self, session: Session) -> None:
        """Build the whole index again (a safety net, run by a timer); searches
        go on with the old one meanwhile."""
        built = self._build(session)
        with self.lock:
            self._swap(built)

    # What searches ask of it.

    def bitmap(self, key: str) -> int:
        return int.from_bytes(self.state.bits.get(key, b""), "little")

    def facet_keys(self, prefix: str) -> list[str]:
        return [key for key in self.state.bits if key.startswith(prefix)]

    def label(self, tag_key: str) -> str:
        return self.state.labels.get(tag_key, tag_key)

    def sort_key(self, seq: int) -> tuple[str, int]:
        return self.state.entries[seq].sort_key

    def in_order(self):
        """Public listings' seqs, in order of name."""
        return (seq for _, seq in self.state.order)

    def having(self, field_name: str, words: list[str]) -> set[int]:
        """Listings whose `field_name` (name or org) has every word, the last as a
        prefix."""
        postings = self.state.postings[field_name]
        *whole, last = words
        found: set[int] | None = None
        for word in whole:
            found = (
                set(postings.get(word, ()))
                if found is None
                else found & postings.get(word, set())
            )
        starting = set().union(*(postings[w] for w in self._prefixed(field_name, last)))
        return starting if found is None else found & starting

    def tags_with(self, words: list[str]) -> list[str]:
        """Facet keys of the tags whose labels hold every word, the last as a
        prefix."""
        *whole, last = words
        return [
            f"tag:{key}"
            for key, present in self.state.tag_words.items()
            if all(w in present for w in whole)
            and any(p.startswith(last) for p in present)
        ]

    def _prefixed(self, field_name: str, prefix: str) -> list[str]:
        words = self.state.sorted_words.get(field_name)
        if words is None:
            words = sorted(self.state.postings[field_name])
            self.state.sorted_words[field_name] = words
        start = bisect.bisect_left(words, prefix)
        end = bisect.bisect_left(words, prefix + "\U0010ffff")
        return words[start:end]

    # Keeping it in step.

    def _missed(self, session: Session) -> bool:
        """Whether the log was pruned past what this index has seen."""
        oldest = session.scalar(select(func.min(ListingChange.id)))
        return oldest is not None and oldest > self.high + 1

    def _build(self, session: Session) -> tuple[_State, int]:
        newest = session.scalar(select(func.max(ListingChange.id))) or 0
        state = _State()
        _apply(state, _fetch(session, None), bulk=True)
        state.order.sort()
        return state, newest

    def _swap(self, built: tuple[_State, int]) -> None:
        self.state, self.high = built
        self.applied, self.built_at = set(), time.monotonic()

    def _seen(self, ids) -> None:
        self.applied.update(ids)
        self.high = max(self.applied | {self.high})
        self.applied = {cid for cid in self.applied if cid > self.high - WINDOW}

    def _forget(self, seq: int) -> None:
        state = self.state
        entry = state.entries.pop(seq, None)
        if entry is None:
            return
        for key in ("public", *entry.facets):
            _clear(state.bits[key], seq)
        for field_name, words in entry.words.items():
            for word in words:
                state.postings[field_name][word].discard(seq)
        index = bisect.bisect_left(state.order, entry.sort_key)
        if index < len(state.order) and state.order[index] == entry.sort_key:
            del state.order[index]


@dataclass
class _Loaded:
    rows: list
    facets: dict[int, list[str]]
    labels: dict[str, str]


def _fetch(session: Session, seqs: set[int] | None) -> _Loaded:
    rows = select(
        Listing.seq, Listing.kind, Listing.sort_name, Listing.search_name,
        Listing.search_org,
    ).where(Listing.public)  # fmt: skip
    areas = select(ListingArea.listing_seq, ListingArea.area)
    tags = select(ListingTag.listing_seq, ListingTag.key, ListingTag.label)
    if seqs is not None:
        rows = rows.where(Listing.seq.in_(seqs))
        areas = areas.where(ListingArea.listing_seq.in_(seqs))
        tags = tags.where(ListingTag.listing_seq.in_(seqs))
    facets: dict[int, list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    for seq, area in session.execute(areas):
        facets[seq].append(f"area:{area}")
    for seq, key, label in session.execute(tags):
        facets[seq].append(f"tag:{key}")
        labels.setdefault(key, label)
    return _Loaded(session.execute(rows).all(), facets, labels)


def _apply(state: _State, loaded: _Loaded, bulk: bool) -> None:
    for key, label in loaded.labels.items():
        if key not in state.labels:
            _learn_tag(state, key, label)
    for seq, kind, sort_name, name_words, org_words in loaded.rows:
        words = {"name": tuple(name_words.split()), "org": tuple(org_words.split())}
        facets = (f"kind:{kind}", *loaded.facets[seq])
        _add(state, seq, Entry((sort_name, seq), facets, words), bulk)


def _learn_tag(state: _State, key: str, label: str) -> None:
    state.labels[key] = label
    term = vocabulary.term(key)
    text = f"{term.cy} {term.en}" if term else label
    state.tag_words[key] = tuple(query_words(text))


def _add(state: _State, seq: int, entry: Entry, bulk: bool) -> None:
    state.entries[seq] = entry
    for key in ("public", *entry.facets):
        _set(state.bits.setdefault(key, bytearray()), seq)
    for field_name, words in entry.words.items():
        for word in words:
            state.postings[field_name][word].add(seq)
    state.sorted_words.clear()
    if bulk:
        state.order.append(entry.sort_key)
    else:
        bisect.insort(state.order, entry.sort_key)


def bitmap_of(seqs) -> int:
    """A bitmap with the bits of `seqs` set (a tight loop: it runs per match)."""
    seqs = list(seqs)
    if not seqs:
        return 0
    bits = bytearray((max(seqs) >> 3) + 1)
    for seq in seqs:
        bits[seq >> 3] |= 1 << (seq & 7)
    return int.from_bytes(bits, "little")


def has(bits: bytes, seq: int) -> bool:
    byte = seq >> 3
    return byte < len(bits) and bool(bits[byte] >> (seq & 7) & 1)


def _set(bits: bytearray, seq: int) -> None:
    byte = seq >> 3
    if byte >= len(bits):
        bits.extend(bytes(byte - len(bits) + 1))
    bits[byte] |= 1 << (seq & 7)


def _clear(bits: bytearray, seq: int) -> None:
    byte = seq >> 3
    if byte < len(bits):
        bits[byte] &= ~(1 << (seq & 7)) & 0xFF


class Index(DependencyProvider):
    """Gives every worker of a service process the one `SearchIndex` it keeps,
    built in the background as the service starts."""

    def setup(self) -> None:
        self.index = SearchIndex()

    def start(self) -> None:
        self.container.spawn_managed_thread(self._warm)

    def get_dependency(self, worker_ctx) -> SearchIndex:
        return self.index

    def _warm(self) -> None:
        database = next(
            dep for dep in self.container.dependencies if isinstance(dep, Database)
        )
        try:
            with database.factory() as session, session.begin():
                self.index.sync(session)
        except Exception as error:  # the first search will build it instead
            logger.warning("search_index.warm_failed error=%s", type(error).__name__)


def prune(session: Session, before) -> int:
    """Forget changes older than `before`; an index that had not seen them yet
    rebuilds itself (see `SearchIndex._stale`)."""
    with session.begin():
        gone = session.execute(
            delete(ListingChange).where(ListingChange.changed_at < before)
        )
    return gone.rowcount
