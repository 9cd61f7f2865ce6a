"""Drawing the asset map as SVG.

The outlines are projected on a plane with longitude scaled by the cosine of
52.4°N (the middle of Wales), which keeps the country's shape true enough at
this size. Each area is shaded by how much is in it; an area with nothing is
drawn as a gap (hatched, outlined) rather than left out, and says so in its
title. Every area carries a title (its names and counts), for screen readers
and as a tooltip; the same counts are available as a table (CSV and JSON)."""

import math
import xml.etree.ElementTree as ET
from typing import Any

from services.directory.assetmap import COUNTS, Point, shapes

WIDTH = 520
MARGIN = 10
COS_MID = math.cos(math.radians(52.4))
SHADES = ("#deebf7", "#9ecae1", "#4292c6", "#08519c")
GAP = "url(#nothing-yet)"

WORDS = {
    "cy": {
        "title": "Map asedau'r rhwydwaith cyd-gynhyrchu",
        "members": "aelod",
        "organisations": "sefydliad",
        "offers": "cynnig",
        "requests": "cais",
        "exchanges": "cyfnewid",
        "events": "digwyddiad i ddod",
        "nothing": "dim byd eto",
        "fewer": "llai",
        "more": "mwy",
        "point": "Lle ar y map",
    },
    "en": {
        "title": "Asset map of the co-production network",
        "members": "members",
        "organisations": "organisations",
        "offers": "offers",
        "requests": "requests",
        "exchanges": "exchanges",
        "events": "events to come",
        "nothing": "nothing yet",
        "fewer": "fewer",
        "more": "more",
        "point": "Place on the map",
    },
}


def render(data: dict[str, Any], places: list[Point], lang: str | None) -> str:
    """The map as an SVG document; `lang` cy or en, or None for both."""
    langs = [lang] if lang else ["cy", "en"]
    project = _projection()
    height = project(-5.4, 51.3)[1] + MARGIN
    svg = _root(height, langs, data)
    _defs(svg)
    top = max((_total(row) for row in data["areas"]), default=0)
    for row in data["areas"]:
        _area(svg, row, top, project, langs)
    _points(svg, places, project, langs)
    _legend(svg, langs, height)
    return ET.tostring(svg, encoding="unicode", xml_declaration=False)


def _projection():
    every = [
        pt
        for polygons in shapes().values()
        for poly in polygons
        for ring in poly
        for pt in ring
    ]
    west = min(p[0] for p in every) * COS_MID
    east = max(p[0] for p in every) * COS_MID
    north = max(p[1] for p in every)
    scale = (WIDTH - 2 * MARGIN) / (east - west)

    def project(longitude: float, latitude: float) -> tuple[float, float]:
        x = (longitude * COS_MID - west) * scale + MARGIN
        return round(x, 1), round((north - latitude) * scale + MARGIN, 1)

    return project


def _root(height: float, langs: list[str], data: dict[str, Any]) -> ET.Element:
    svg = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH + 215} {height:.0f}",
        role="img",
        lang=langs[0],
        **{"aria-labelledby": "map-title map-desc", "font-family": "sans-serif"},
    )
    ET.SubElement(svg, "title", id="map-title").text = " / ".join(
        WORDS[lang]["title"] for lang in langs
    )
    ET.SubElement(svg, "desc", id="map-desc").text = "; ".join(
        _label(row, langs) for row in data["areas"]
    )
    return svg


def _defs(svg: ET.Element) -> None:
    defs = ET.SubElement(svg, "defs")
    pattern = ET.SubElement(
        defs, "pattern", id="nothing-yet", width="6", height="6",
        patternUnits="userSpaceOnUse", patternTransform="rotate(45)",
    )  # fmt: skip
    ET.SubElement(pattern, "rect", width="6", height="6", fill="#ffffff")
    ET.SubElement(pattern, "line", x1="0", y1="0", x2="0", y2="6", stroke="#bdbdbd")


def _area(svg, row: dict[str, Any], top: float, project, langs: list[str]) -> None:
    total = _total(row)
    group = ET.SubElement(
        svg, "g", id=f"area-{row['code']}", **{"data-total": str(total)}
    )
    ET.SubElement(group, "title").text = _label(row, langs)
    path = ET.SubElement(
        group, "path", d=_path(shapes()[row["code"]], project),
        fill=_shade(total, top), stroke="#525252", **{"stroke-width": "0.8"},
    )  # fmt: skip
    if total == 0:
        path.set("stroke-dasharray", "3 2")
        path.set("class", "gap")


def _path(polygons: list, project) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            xy = [project(lon, lat) for lon, lat in ring]
            parts.append("M" + " L".join(f"{x} {y}" for x, y in xy) + " Z")
    return " ".join(parts)


def _shade(total: float, top: float) -> str:
    if total == 0:
        return GAP
    share = math.log1p(total) / math.log1p(max(top, 1))
    return SHADES[round((len(SHADES) - 1) * share)]


def _points(svg, places: list[Point], project, langs: list[str]) -> None:
    layer = ET.SubElement(svg, "g", id="places", fill="#d94801", stroke="#ffffff")
    for place in places:
        x, y = project(place.longitude, place.latitude)
        dot = ET.SubElement(layer, "circle", cx=str(x), cy=str(y), r="3")
        ET.SubElement(dot, "title").text = place.name


def _legend(svg, langs: list[str], height: float) -> None:
    legend = ET.SubElement(svg, "g", id="legend", **{"font-size": "11"})
    words = [WORDS[lang] for lang in langs]
    rows = [(GAP, "nothing"), *((shade, "") for shade in SHADES)]
    rows[1], rows[-1] = (SHADES[0], "fewer"), (SHADES[-1], "more")
    top = height - MARGIN - 18 * len(rows)
    for index, (colour, word) in enumerate(rows):
        y = top + 18 * index
        ET.SubElement(
            legend, "rect", x=str(WIDTH), y=str(y), width="14", height="14",
            fill=colour, stroke="#525252",
        )  # fmt: skip
        if word:
            label = ET.SubElement(legend, "text", x=str(WIDTH + 20), y=str(y + 11))
            label.text = " / ".join(w[word] for w in words)
    y = top - 18
    ET.SubElement(
        legend, "circle", cx=str(WIDTH + 7), cy=str(y + 7), r="3", fill="#d94801"
    )
    label = ET.SubElement(legend, "text", x=str(WIDTH + 20), y=str(y + 11))
    label.text = " / ".join(w["point"] for w in words)


def _label(row: dict[str, Any], langs: list[str]) -> str:
    return " / ".join(_label_in(row, lang) for lang in langs)


def _label_in(row: dict[str, Any], lang: str) -> str:
    words = WORDS[lang]
    name = row[f"name_{lang}"]
    if _total(row) == 0:
        return f"{name}: {words['nothing']}"
    counted = ", ".join(f"{row[c]} {words[c]}" for c in COUNTS)
    return f"{name}: {counted}"


def _total(row: dict[str, Any]) -> float:
    return sum(row[column] for column in COUNTS)
