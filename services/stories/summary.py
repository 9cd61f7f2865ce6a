"""Strengths, gaps and priorities, derived from an evaluation by fixed rules;
each line carries the rule that produced it, in both languages.

The rules read only figures the evaluation shows (after suppression), so a
summary never tells more than the figures beside it."""

from typing import Any

from contracts import principles
from services.stories import framework
from services.stories.framework import Question
from services.stories.suppression import MIN_GROUP

STRONG, WEAK = 0.6, 0.4
CORNER_STRONG, CORNER_RARE = 0.4, 0.1
NEGATIVE = 0.3
PRIORITY = 0.25

RULES = {
    "dyad_strength": {
        "en": f"At least {STRONG:.0%} of the answers to this slider (five or more) "
        "lie in the two bands nearest the pole that shows the principle lived.",
        "cy": f"Mae o leiaf {STRONG:.0%} o'r atebion i'r llithrydd hwn (pump neu "
        "fwy) yn y ddau fand agosaf at y pegwn sy'n dangos yr egwyddor ar waith.",
    },
    "dyad_gap": {
        "en": f"At least {WEAK:.0%} of the answers to this slider (five or more) "
        "lie in the two bands nearest the other pole.",
        "cy": f"Mae o leiaf {WEAK:.0%} o'r atebion i'r llithrydd hwn (pump neu "
        "fwy) yn y ddau fand agosaf at y pegwn arall.",
    },
    "triad_strength": {
        "en": f"At least {STRONG:.0%} of the answers to this triangle sit in the "
        "corners (or the edge between them) that show the principle lived.",
        "cy": f"Mae o leiaf {STRONG:.0%} o'r atebion i'r triongl hwn yn y corneli "
        "(neu'r ymyl rhyngddyn nhw) sy'n dangos yr egwyddor ar waith.",
    },
    "triad_gap": {
        "en": f"At least {WEAK:.0%} of the answers to this triangle sit in the "
        "other corners.",
        "cy": f"Mae o leiaf {WEAK:.0%} o'r atebion i'r triongl hwn yn y corneli "
        "eraill.",
    },
    "corner_strength": {
        "en": f"At least {CORNER_STRONG:.0%} of the answers to this triangle sit "
        "in this corner, whose principle it names.",
        "cy": f"Mae o leiaf {CORNER_STRONG:.0%} o'r atebion i'r triongl hwn yn y "
        "gornel hon, sy'n enwi ei hegwyddor.",
    },
    "corner_gap": {
        "en": f"Fewer than {CORNER_RARE:.0%} of the answers to this triangle sit "
        "in this corner, whose principle it names.",
        "cy": f"Mae llai na {CORNER_RARE:.0%} o'r atebion i'r triongl hwn yn y "
        "gornel hon, sy'n enwi ei hegwyddor.",
    },
    "feeling_gap": {
        "en": f"At least {NEGATIVE:.0%} of tellers feel negative or very negative "
        "about their story.",
        "cy": f"Mae o leiaf {NEGATIVE:.0%} o'r bobl yn teimlo'n negyddol neu'n "
        "negyddol iawn am eu stori.",
    },
    "matters_priority": {
        "en": f"One of the three options chosen most often, by at least "
        f"{PRIORITY:.0%} of those who answered.",
        "cy": f"Un o'r tri dewis mwyaf cyffredin, gan o leiaf {PRIORITY:.0%} o'r "
        "rhai a atebodd.",
    },
    "gap_priority": {
        "en": "Every principle with a gap line above, the largest gap first.",
        "cy": "Pob egwyddor sydd ag o leiaf un bwlch uchod, y bwlch mwyaf yn gyntaf.",
    },
}


def summarise(evaluation: dict[str, Any]) -> dict[str, Any]:
    """The lines for one evaluation (empty when it is suppressed)."""
    if evaluation["suppressed"]:
        return {"lines": [], "rules": RULES, "suppressed": True}
    current = framework.current()
    lines: list[dict] = []
    for found in evaluation["questions"]:
        question = current.question(found["id"])
        if question is not None and (found.get("answered") or 0) >= MIN_GROUP:
            lines += _lines(question, found)
    lines += _gap_priorities(lines)
    return {"lines": lines, "rules": RULES, "suppressed": False}


def _lines(question: Question, found: dict) -> list[dict]:
    if question.type == "dyad" and question.principle:
        return _dyad(question, found)
    if question.type == "triad" and question.extra.get("lived"):
        return _lived(question, found)
    if question.type == "triad":
        return _corners(question, found)
    if question.id == "feeling":
        return _feeling(question, found)
    if question.type == "multiple" and question.id == "matters_now":
        return _matters(question, found)
    return []


def _part(found: dict, keys) -> float | None:
    counts = [found["counts"].get(key) for key in keys]
    if any(count is None for count in counts):
        return None
    return sum(counts) / found["answered"]


def _line(kind, rule, question, figure, text, principle=None) -> dict:
    return {
        "kind": kind,
        "principle": principle,
        "question": question.id,
        "figure": round(figure, 4),
        "text": text,
        "rule": RULES[rule],
        "rule_id": rule,
    }


def _dyad(question: Question, found: dict) -> list[dict]:
    toward, away = (("4", "5"), ("1", "2"))
    if question.toward == "left":
        toward, away = away, toward
    near_pole = "right" if question.toward != "left" else "left"
    far_pole = "left" if near_pole == "right" else "right"
    found_lines = []
    for kind, keys, pole, limit in (
        ("strength", toward, near_pole, STRONG),
        ("gap", away, far_pole, WEAK),
    ):
        part = _part(found, keys)
        if part is not None and part >= limit:
            words = _pole_text(question, pole, part)
            rule = f"dyad_{kind}"
            found_lines.append(
                _line(kind, rule, question, part, words, question.principle)
            )
    return found_lines


def _pole_text(question: Question, pole: str, part: float) -> dict[str, str]:
    label, end = question.label, question.extra[pole]
    return {
        "en": f"{part:.0%} of stories place “{label['en']}” toward “{end['en']}”.",
        "cy": f"Mae {part:.0%} o'r straeon yn gosod “{label['cy']}” tuag at "
        f"“{end['cy']}”.",
    }


_ZONE_OF = {0: "a", 1: "b", 2: "c"}
_EDGE_OF = {(0, 1): "ab", (0, 2): "ac", (1, 2): "bc"}


def _lived(question: Question, found: dict) -> list[dict]:
    lived = [question.option_ids.index(c) for c in question.extra["lived"]]
    others = [i for i in range(3) if i not in lived]
    near = [_ZONE_OF[i] for i in lived]
    if len(lived) == 2:
        near.append(_EDGE_OF[tuple(sorted(lived))])
    result = []
    for kind, zones, limit, chosen in (
        ("strength", near, STRONG, lived),
        ("gap", [_ZONE_OF[i] for i in others], WEAK, others),
    ):
        part = _part(found, zones)
        if part is not None and part >= limit:
            corners = [question.options[i] for i in chosen]
            text = _near_text(question, corners, part)
            result.append(
                _line(kind, f"triad_{kind}", question, part, text, question.principle)
            )
    return result


def _near_text(question: Question, corners, part: float) -> dict[str, str]:
    joined = {
        lang: f" {word} ".join(f"“{c.label[lang]}”" for c in corners)
        for lang, word in (("en", "or"), ("cy", "neu"))
    }
    return {
        "en": f"“{question.label['en']}”: {part:.0%} of stories sit near "
        f"{joined['en']}.",
        "cy": f"“{question.label['cy']}”: mae {part:.0%} o'r straeon yn agos at "
        f"{joined['cy']}.",
    }


def _corners(question: Question, found: dict) -> list[dict]:
    result = []
    for index, corner in enumerate(question.options):
        part = _part(found, [_ZONE_OF[index]])
        if part is None or corner.principle is None:
            continue
        if part >= CORNER_STRONG:
            text = _near_text(question, [corner], part)
            rule = "corner_strength"
            result.append(
                _line("strength", rule, question, part, text, corner.principle)
            )
        elif part < CORNER_RARE:
            text = {
                "en": f"“{question.label['en']}”: only {part:.0%} of stories sit "
                f"near “{corner.label['en']}”.",
                "cy": f"“{question.label['cy']}”: dim ond {part:.0%} o'r straeon "
                f"sy'n agos at “{corner.label['cy']}”.",
            }
            result.append(
                _line("gap", "corner_gap", question, part, text, corner.principle)
            )
    return result


def _feeling(question: Question, found: dict) -> list[dict]:
    part = _part(found, ["negative", "very_negative"])
    if part is None or part < NEGATIVE:
        return []
    text = {
        "en": f"{part:.0%} of tellers feel negative or very negative about their "
        "story.",
        "cy": f"Mae {part:.0%} o'r bobl yn teimlo'n negyddol neu'n negyddol iawn "
        "am eu stori.",
    }
    return [_line("gap", "feeling_gap", question, part, text)]


def _matters(question: Question, found: dict) -> list[dict]:
    shown = [
        (found["counts"][o.id] / found["answered"], o)
        for o in question.options
        if found["counts"].get(o.id) is not None
    ]
    top = sorted(shown, key=lambda pair: -pair[0])[:3]
    result = []
    for part, option in top:
        if part >= PRIORITY:
            text = {
                "en": f"“{option.label['en']}” matters most now to {part:.0%} of "
                "those who answered.",
                "cy": f"Mae “{option.label['cy']}” ymysg y pethau pwysicaf nawr i "
                f"{part:.0%} o'r rhai a atebodd.",
            }
            result.append(_line("priority", "matters_priority", question, part, text))
    return result


def _gap_priorities(lines: list[dict]) -> list[dict]:
    largest: dict[str, float] = {}
    for line in lines:
        if line["kind"] == "gap" and line["principle"]:
            largest[line["principle"]] = max(
                largest.get(line["principle"], 0), line["figure"]
            )
    titles = {p.id: p.title for p in principles.current().principles}
    result = []
    for principle, figure in sorted(largest.items(), key=lambda pair: -pair[1]):
        title = titles[principle]
        result.append(
            {
                "kind": "priority",
                "principle": principle,
                "question": None,
                "figure": figure,
                "text": {
                    "en": f"Work on “{title['en']}”: the stories show a gap there.",
                    "cy": f"Gweithio ar “{title['cy']}”: mae'r straeon yn dangos "
                    "bwlch yno.",
                },
                "rule": RULES["gap_priority"],
                "rule_id": "gap_priority",
            }
        )
    return result
