"""An in-process index of public listings: who is in which facet, which words
are in whose name and organisation, and the order of names. Search asks the
database's full-text index which listings match the words; this index counts
facets, applies filters, ranks and orders, without another pass over the rows.

Facet values are bitmaps over listing `seq` (one bit per listing), so a count
is an AND and a popcount; the words' postings and the order of names are
arrays of seqs. The index follows the database through the `listing_changes`
log that `listings.refresh` writes in the same transaction as each change:
every search first applies the changes it has not seen. Ids are re-read over a
short window, since on PostgreSQL a transaction may commit after one that took
a later id. Now and then, and whenever the log was pruned past what the index
has seen, the whole database is walked a chunk of listings at a time and what
the index holds differently is mended in place: never a second copy of the
index, and never every listing's rows in memory at once."""

import bisect
import logging
import sys
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from nameko.extensions import DependencyProvider
from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from infra.db import Database
from services.directory import vocabulary
from services.directory.models import Listing, ListingArea, ListingChange, ListingTag
from services.directory.searchdoc import query_words

logger = logging.getLogger(__name__)

WINDOW = 500  # change ids re-read each time
CHUNK = 1000  # listings read at a time when walking the database
LAST = "\U0010ffff"  # sorts after every name

Within = Callable[[ColumnElement], ColumnElement]


def _seqs(values=()) -> array:
    return array("q", values)


class _BySeq:
    """Each listing's entry in a list indexed by its seq, None where there is
    none: seqs are small and dense (the facet bitmaps rely on that too), and a
    dict keyed by them took six times the space."""

    __slots__ = ("slots",)

    def __init__(self) -> None:
        self.slots: list[tuple | None] = []

    def get(self, seq: int) -> tuple | None:
        return self.slots[seq] if seq < len(self.slots) else None

    def put(self, seq: int, entry: tuple) -> None:
        if seq >= len(self.slots):
            self.slots.extend([None] * (seq + 1 - len(self.slots)))
        self.slots[seq] = entry

    def discard(self, seq: int) -> None:
        if seq < len(self.slots):
            self.slots[seq] = None

    def seqs(self) -> list[int]:
        """The seqs that have an entry, in order."""
        return [seq for seq, entry in enumerate(self.slots) if entry is not None]


@dataclass
class _State:
    bits: dict[str, bytearray] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    postings: dict[str, dict[str, array]] = field(
        default_factory=lambda: {"name": {}, "org": {}}
    )
    entries: _BySeq = field(default_factory=_BySeq)
    order: array = field(default_factory=_seqs)
    sorted_words: dict[str, list[str]] = field(default_factory=dict)
    tag_words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def sort_key(self, seq: int) -> tuple[str, int]:
        """A listing forgotten while a search was under way sorts last."""
        entry = self.entries.get(seq)
        return (LAST if entry is None else entry[0]), seq


class SearchIndex:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state = _State()
        self.high = 0
        self.applied: set[int] = set()
        self.built = False

    def sync(self, session: Session) -> None:
        """Bring the index up to date with the database, in the open transaction.
        What changes is read first and applied without waiting on anything, so
        no other green thread ever sees a listing half-changed."""
        with self.lock:
            self._up_to_date(session)

    def reconcile(self, session: Session) -> int:
        """Walk the database a chunk of listings at a time, each chunk in a
        transaction of its own after the log's news, and mend whatever the index
        still holds differently (a safety net, run by a timer: the change log
        should have said it all). Searches go on between chunks. Returns how
        many listings were mended."""
        with session.begin():
            spans, held = list(self._spans(session)), self.state.entries.seqs()
        mended = 0
        for low, high in spans:
            with self.lock, session.begin():
                self._up_to_date(session)
                mended += self._mend_span(session, low, high, held)
        if mended:  # a change the log did not bring: worth an operator's look
            logger.warning("search_index.mended listings=%s", mended)
        return mended

    # What searches ask of it.

    def bitmap(self, key: str) -> int:
        return int.from_bytes(self.state.bits.get(key, b""), "little")

    def facet_keys(self, prefix: str) -> list[str]:
        return [key for key in self.state.bits if key.startswith(prefix)]

    def label(self, tag_key: str) -> str:
        return self.state.labels.get(tag_key, tag_key)

    def sort_key(self, seq: int) -> tuple[str, int]:
        return self.state.sort_key(seq)

    def in_order(self) -> Iterator[int]:
        """Public listings' seqs, in order of name."""
        return iter(self.state.order)

    def having(self, field_name: str, words: list[str]) -> set[int]:
        """Listings whose `field_name` (name or org) has every word, the last as a
        prefix."""
        postings = self.state.postings[field_name]
        *whole, last = words
        found: set[int] | None = None
        for word in whole:
            seqs = postings.get(word, ())
            found = set(seqs) if found is None else found.intersection(seqs)
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
        end = bisect.bisect_left(words, prefix + LAST)
        return words[start:end]

    # Keeping it in step.

    def _up_to_date(self, session: Session) -> None:
        if not self.built or self._missed(session):
            self._walk(session)
        else:
            self._catch_up(session)

    def _catch_up(self, session: Session) -> None:
        """Apply the changes in the log not applied yet."""
        changes = session.execute(
            select(ListingChange.id, ListingChange.listing_seq).where(
                ListingChange.id > self.high - WINDOW
            )
        ).all()
        fresh = [(cid, seq) for cid, seq in changes if cid not in self.applied]
        seqs = sorted({seq for _, seq in fresh})
        for start in range(0, len(seqs), CHUNK):
            part = seqs[start : start + CHUNK]
            self._mend(part, *_fetch(session, _among(part)))
        self._seen(cid for cid, _ in fresh)

    def _missed(self, session: Session) -> bool:
        """Whether the log was pruned past what this index has seen."""
        oldest = session.scalar(select(func.min(ListingChange.id)))
        return oldest is not None and oldest > self.high + 1

    def _walk(self, session: Session) -> None:
        """Mend every listing, in the open transaction. The first time, listings
        are added unsorted and sorted once at the end, so a first walk that
        fails part-way leaves nothing behind; a later one keeps every step
        sorted, for searches under way."""
        newest = session.scalar(select(func.max(ListingChange.id))) or 0
        bulk, held = not self.built, self.state.entries.seqs()
        try:
            for low, high in self._spans(session):
                self._mend_span(session, low, high, held, bulk)
        except BaseException:
            if bulk:
                self.state = _State()
            raise
        if bulk:
            _sort(self.state)
        self.high, self.applied, self.built = newest, set(), True

    def _spans(self, session: Session) -> Iterator[tuple[int, int]]:
        top = session.scalar(select(func.max(Listing.seq))) or 0
        top = max(top, len(self.state.entries.slots) - 1)
        return ((low, low + CHUNK) for low in range(0, top + 1, CHUNK))

    def _mend_span(
        self, session: Session, low: int, high: int, held: list[int], bulk=False
    ) -> int:
        """Mend the listings with `low <= seq < high`: those the database has and
        those the index held when the walk began."""
        entries, labels = _fetch(session, _from_to(low, high))
        before = held[bisect.bisect_left(held, low) : bisect.bisect_left(held, high)]
        return self._mend({*entries, *before}, entries, labels, bulk)

    def _mend(self, seqs, entries: dict[int, tuple], labels, bulk=False) -> int:
        """Make the index hold `entries` for `seqs` (none for a seq not in them)."""
        state = self.state
        for key, label in labels.items():
            if key not in state.labels:
                _learn_tag(state, key, label)
        mended = 0
        for seq in seqs:
            entry = entries.get(seq)
            if entry == state.entries.get(seq):
                continue
            _forget(state, seq)
            if entry is not None:
                _add(state, seq, entry, bulk)
            mended += 1
        return mended

    def _seen(self, ids) -> None:
        self.applied.update(ids)
        self.high = max(self.applied | {self.high})
        self.applied = {cid for cid in self.applied if cid > self.high - WINDOW}


# One listing as the index keeps it is a flat tuple: its sort name, how many
# facets and how many name words it has, then its facets, name words and
# organisation words, every string shared with the other listings' (a tuple
# of tuples would take half as much again at 100,000 listings).


def _entry(sort_name: str, facets, name_words, org_words) -> tuple:
    facets = sorted(map(sys.intern, facets))
    name_words = [sys.intern(w) for w in name_words]
    org_words = [sys.intern(w) for w in org_words]
    return (sort_name, len(facets), len(name_words), *facets, *name_words, *org_words)


def _facets_of(entry: tuple) -> tuple[str, ...]:
    return entry[3 : 3 + entry[1]]


def _words_of(entry: tuple) -> dict[str, tuple[str, ...]]:
    start = 3 + entry[1]
    end = start + entry[2]
    return {"name": entry[start:end], "org": entry[end:]}


def _fetch(session: Session, within: Within) -> tuple[dict[int, tuple], dict]:
    """The entries of the public listings whose seq is `within`, by seq, and
    the labels of their tags."""
    facets: dict[int, list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    areas = select(ListingArea.listing_seq, ListingArea.area)
    for seq, area in session.execute(areas.where(within(ListingArea.listing_seq))):
        facets[seq].append(f"area:{area}")
    tags = select(ListingTag.listing_seq, ListingTag.key, ListingTag.label)
    for seq, key, label in session.execute(tags.where(within(ListingTag.listing_seq))):
        facets[seq].append(f"tag:{key}")
        labels.setdefault(key, label)
    rows = select(
        Listing.seq, Listing.kind, Listing.sort_name, Listing.search_name,
        Listing.search_org,
    ).where(Listing.public, within(Listing.seq))  # fmt: skip
    entries = {
        seq: _entry(
            sort_name, [f"kind:{kind}", *facets[seq]], name.split(), org.split()
        )
        for seq, kind, sort_name, name, org in session.execute(rows)
    }
    return entries, labels


def _among(seqs: list[int]) -> Within:
    return lambda column: column.in_(seqs)


def _from_to(low: int, high: int) -> Within:
    return lambda column: column.between(low, high - 1)


def _learn_tag(state: _State, key: str, label: str) -> None:
    state.labels[key] = label
    term = vocabulary.term(key)
    text = f"{term.cy} {term.en}" if term else label
    state.tag_words[key] = tuple(query_words(text))


def _add(state: _State, seq: int, entry: tuple, bulk: bool) -> None:
    state.entries.put(seq, entry)
    for key in ("public", *_facets_of(entry)):
        _set(state.bits.setdefault(key, bytearray()), seq)
    for field_name, words in _words_of(entry).items():
        postings = state.postings[field_name]
        for word in words:
            if word not in postings:
                postings[word] = _seqs()
                state.sorted_words.pop(field_name, None)
            _insert(postings[word], seq, bulk)
    if bulk:
        state.order.append(seq)
    else:
        bisect.insort(state.order, seq, key=state.sort_key)


def _forget(state: _State, seq: int) -> None:
    entry = state.entries.get(seq)
    if entry is None:
        return
    order = state.order
    place = bisect.bisect_left(order, (entry[0], seq), key=state.sort_key)
    if place < len(order) and order[place] == seq:
        del order[place]
    state.entries.discard(seq)
    for key in ("public", *_facets_of(entry)):
        _clear(state.bits[key], seq)
    for field_name, words in _words_of(entry).items():
        postings = state.postings[field_name]
        for word in words:
            _remove(postings[word], seq)
            if not postings[word]:
                del postings[word]
                state.sorted_words.pop(field_name, None)


def _sort(state: _State) -> None:
    """Sort what a walk from empty added unsorted."""
    state.order = _seqs(sorted(state.order, key=state.sort_key))
    for postings in state.postings.values():
        for word, seqs in postings.items():
            postings[word] = _seqs(sorted(seqs))


def _insert(seqs: array, seq: int, bulk: bool) -> None:
    if bulk:
        seqs.append(seq)
    else:
        bisect.insort(seqs, seq)


def _remove(seqs: array, seq: int) -> None:
    place = bisect.bisect_left(seqs, seq)
    if place < len(seqs) and seqs[place] == seq:
        del seqs[place]


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
    """Forget changes older than `before`, but never the newest: SQLite gives
    the next change the newest id plus one, and would start again from 1 in an
    emptied log, under ids an index has already applied. An index that had not
    seen what was pruned finds the gap and walks the database (`_missed`)."""
    newest = select(func.max(ListingChange.id)).scalar_subquery()
    with session.begin():
        gone = session.execute(
            delete(ListingChange).where(
                ListingChange.changed_at < before, ListingChange.id < newest
            )
        )
    return gone.rowcount
