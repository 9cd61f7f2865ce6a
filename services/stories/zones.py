"""Where an answer falls, for counting: the zone and grid cell of a triad, the
band of a dyad. Computed when a story is stored, so the evaluation only counts.

Triad zones (shares a, b, c of the three corners, in the framework's order,
adding up to 1) split the triangle into seven parts with no gaps or overlaps:

- a **corner** (`a`, `b`, `c`) when that corner's share is 0.6 or more: the
  story is mostly about one thing;
- an **edge** (`ab`, `ac`, `bc`) when no share reaches 0.6 and the third
  corner's share is under 0.2: the story sits between two corners, the third
  hardly present (two shares under 0.2 would leave the last above 0.6, so at
  most one share can be under 0.2 here and the edge is never in doubt);
- the **centre** otherwise: every share at least 0.2 and none as much as 0.6.

Dyad bands cut the slider into five equal parts: 1 is [0, 0.2) at the left
pole, ..., 5 is [0.8, 1] at the right pole.

The triangle is also cut into a grid of GRID x GRID small triangles for the
ternary picture; `cell` numbers them."""

import math

CORNER = 0.6
EDGE = 0.2
ZONES = ("a", "b", "c", "ab", "ac", "bc", "centre")
BANDS = (1, 2, 3, 4, 5)
GRID = 10


def triad_zone(a: float, b: float, c: float) -> str:
    for name, share in (("a", a), ("b", b), ("c", c)):
        if share >= CORNER:
            return name
    for name, share in (("ab", c), ("ac", b), ("bc", a)):
        if share < EDGE:
            return name
    return "centre"


def dyad_band(value: float) -> int:
    return min(int(value * len(BANDS)), len(BANDS) - 1) + 1


def triad_cell(a: float, b: float) -> int:
    """The small triangle holding the point: rows by `a`, columns by `b`; an
    upward triangle (i, j) is 2 * (i * GRID + j), the downward one beside it
    that number plus 1."""
    x, y = a * GRID, b * GRID
    i = min(math.floor(x), GRID - 1)
    j = min(math.floor(y), GRID - 1 - i)
    down = (x - i) + (y - j) > 1 and i + j < GRID - 1
    return 2 * (i * GRID + j) + int(down)


def cell_corners(cell: int) -> tuple[tuple[float, float], ...]:
    """The (a, b) shares at the three corners of a grid cell."""
    down, index = cell % 2, cell // 2
    i, j = divmod(index, GRID)
    points = (
        ((i + 1, j), (i, j + 1), (i + 1, j + 1))
        if down
        else (
            (i, j),
            (i + 1, j),
            (i, j + 1),
        )
    )
    return tuple((p / GRID, q / GRID) for p, q in points)
