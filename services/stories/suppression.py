"""No figure for fewer than five stories.

A count from 1 to 4 is hidden (None). When one cell of a question is hidden and
the others and the total are shown, it could be worked out by subtraction, so
the next smallest shown cell is hidden with it (complementary suppression).
Zero stays visible: it describes nobody."""

MIN_GROUP = 5


def too_small(count: int) -> bool:
    return 0 < count < MIN_GROUP


def suppress(cells: dict[str, int]) -> dict[str, int | None]:
    hidden = {key for key, count in cells.items() if too_small(count)}
    if len(hidden) == 1:
        shown = sorted(
            (count, key) for key, count in cells.items() if key not in hidden and count
        )
        if shown:
            hidden.add(shown[0][1])
    return {key: (None if key in hidden else count) for key, count in cells.items()}


def share(count: int | None, total: int) -> float | None:
    if count is None or total < MIN_GROUP:
        return None
    return round(count / total, 4)
