"""Which listings make up a page, and in what order.

With words: listings with every word in the name come first, then those with
them in the organisation, then in the tags, then anywhere; within each tier,
nearer first when searching near a point, otherwise by name. The same order on
both databases, since it is decided here, not by a database's scoring. Without
words: nearest first, or by name. Each tier is taken only as far as the page
needs: a large one by walking the names in order, a small one by sorting it."""

import heapq
from itertools import islice

from services.directory.searchindex import SearchIndex, bitmap_of, has

SPARSE = 3000  # a set smaller than this is sorted; a larger one walked in order


def page(
    index: SearchIndex, words, allowed: int, matched, distances, first: int, size: int
):
    """The seqs of listings `first` to `first + size` of the allowed ones."""
    wanted = first + size
    if words:
        chosen = _ranked(index, words, allowed, matched, distances, wanted)
    elif distances is not None:
        chosen = _best(index, allowed, list(distances), distances, wanted)
    else:
        chosen = _in_order(index, allowed, wanted)
    return chosen[first:wanted]


def _ranked(index, words, allowed: int, matched, distances, wanted: int) -> list[int]:
    chosen: list[int] = []
    left = allowed
    for tier, known in _tiers(index, words):
        members = left if tier is None else left & tier
        left &= ~members
        pool = matched if known is None else known
        chosen += _best(index, members, pool, distances, wanted - len(chosen))
        if len(chosen) >= wanted or not left:
            break
    return chosen


def _tiers(index: SearchIndex, words: list[str]):
    """Each tier as a bitmap, with its members when they are known already."""
    for field in ("name", "org"):
        having = index.having(field, words)
        yield bitmap_of(having), having
    tagged = 0
    for key in index.tags_with(words):
        tagged |= index.bitmap(key)
    yield tagged, None
    yield None, None  # whatever is left matched somewhere else


def _best(index: SearchIndex, members: int, pool, distances, wanted: int) -> list[int]:
    count = members.bit_count()
    if not count or wanted <= 0:
        return []
    if distances is None and count > SPARSE:
        return _in_order(index, members, wanted)
    bits = _bytes(members)
    candidates = (seq for seq in pool if has(bits, seq))
    if distances is None:
        return heapq.nsmallest(wanted, candidates, key=index.sort_key)
    return heapq.nsmallest(
        wanted, candidates, key=lambda seq: (distances[seq], index.sort_key(seq))
    )


def _in_order(index: SearchIndex, members: int, wanted: int) -> list[int]:
    bits = _bytes(members)
    return list(islice((seq for seq in index.in_order() if has(bits, seq)), wanted))


def _bytes(bitmap: int) -> bytes:
    return bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")
