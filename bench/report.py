"""Folds every bench script's figures (`var/bench/*.json`, see bench.results)
into docs/benchmarks.md: one table with the floor and the ratio beside each
figure, the machine and versions, and how to reproduce. Only the part between
the two markers is rewritten; what people wrote around it stays.

    python -m bench.report [RESULTS_FOLDER] [DOCUMENT]
"""

import json
import sys
from pathlib import Path

from bench.results import RESULTS, Results, Row, load

DOCUMENT = Path("docs/benchmarks.md")
BEGIN = "<!-- begin: written by `make bench`; edits here are lost -->"
END = "<!-- end of what `make bench` writes -->"
RUN = "run.json"
ORDER = ("join", "search", "pipeline", "evaluation", "memory")
TARGET_WORDS = {
    "ratio_at_least": lambda b, unit: f"≥ {b:.0%} of floor",
    "at_least": lambda b, unit: f"≥ {_number(b)} {unit}".strip(),
    "at_most": lambda b, unit: f"≤ {_number(b)} {unit}".strip(),
    "equals": lambda b, unit: f"= {_number(b)} {unit}".strip(),
}
REPRODUCE = """\
```sh
make bench                      # the full run; needs wrk, RabbitMQ, PostgreSQL
make bench BENCH_ARGS=--quick   # small sizes and short runs: checks the harness
.venv/bin/python -m bench --help
```

Each workload starts the platform's processes as `make run` does, on a
RabbitMQ vhost and databases of its own (removed afterwards), and the floor's
processes beside it on the same broker; wrk runs in its own process. Every case
has a warm-up, then the measured runs alternate floor and platform; the table
quotes medians. Figures land in `var/bench/*.json` (one file per bench script,
the shape is in `bench/results.py`), and this section is written from them."""


def _number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def target_text(row: Row) -> str:
    if not row.target:
        return ""
    (kind, bound), *_ = row.target.items()
    return TARGET_WORDS[kind](bound, row.unit)


def met_text(row: Row) -> str:
    return {True: "yes", False: "**no**", None: ""}[row.met]


def figure(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return f"{_number(value)} {unit}".strip()


def ratio_text(row: Row) -> str:
    """Platform over floor: a share for rates (higher is better), a multiple
    for everything else (times, memory: lower is better)."""
    if row.ratio is None:
        return ""
    return f"{row.ratio:.0%}" if row.unit.endswith("/s") else f"×{row.ratio:.1f}"


def table(collected: list[Results]) -> list[str]:
    lines = [
        "| workload | case | measure | platform | floor | ratio | target | met |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    for results in collected:
        for row in results.rows:
            lines.append(
                f"| {results.title} | {row.case} | {row.measure} | "
                f"{figure(row.value, row.unit)} | {figure(row.floor, row.unit)} | "
                f"{ratio_text(row)} | {target_text(row)} | {met_text(row)} |"
            )
    return lines


def collect(folder: Path) -> tuple[list[Results], dict, list[Path]]:
    """The results in a sensible order, the run's facts, and plain-text
    outputs of bench scripts that wrote no JSON."""
    found = [load(p) for p in sorted(folder.glob("*.json")) if p.name != RUN]
    found.sort(key=lambda r: (ORDER.index(r.name) if r.name in ORDER else 99, r.name))
    run = json.loads((folder / RUN).read_text()) if (folder / RUN).exists() else {}
    named = {r.name for r in found}
    texts = [
        p
        for p in sorted(folder.glob("*.txt"))
        if p.stem.removeprefix("bench-") not in named
    ]
    return found, run, texts


def render(collected: list[Results], run: dict, texts: list[Path]) -> str:
    lines = [BEGIN, ""]
    if run:
        lines += [
            f"Measured {run.get('finished_at', '?')} in {run.get('minutes', '?')} "
            f"minutes (load average {run.get('load_before', '?')} before, "
            f"{run.get('load_after', '?')} after).",
            "",
        ]
    lines += table(collected)
    lines += _notes(collected)
    lines += _texts(texts)
    lines += _facts(run)
    lines += ["", "### How to reproduce", "", REPRODUCE, "", END]
    return "\n".join(lines) + "\n"


def _notes(collected: list[Results]) -> list[str]:
    notes = [(r.title, n) for r in collected for n in r.notes]
    if not notes:
        return []
    return ["", "### Notes from the run", ""] + [f"- {n}" for _, n in notes]


def _texts(texts: list[Path]) -> list[str]:
    lines: list[str] = []
    for path in texts:
        lines += ["", f"### Output of {path.stem}", "", "```"]
        printed = path.read_text(errors="replace").splitlines()
        lines += [line.split("\r")[-1].rstrip() for line in printed] + ["```"]
    return lines


def _facts(run: dict) -> list[str]:
    facts = run.get("machine", {})
    settings = run.get("settings", {})
    lines = ["", "### Machine and versions", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in facts.items()]
    if settings:
        lines += ["", "Settings: " + ", ".join(f"{k} {v}" for k, v in settings.items())]
    return lines


def merge(existing: str, generated: str) -> str:
    """`existing` with its generated part replaced (or the part added at the end
    of a document that has none)."""
    if BEGIN in existing and END in existing:
        head, rest = existing.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + generated.rstrip("\n") + tail
    if existing.strip():
        return existing.rstrip("\n") + "\n\n" + generated
    return "# Benchmarks\n\n" + generated


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else RESULTS
    document = Path(argv[1]) if len(argv) > 1 else DOCUMENT
    generated = render(*collect(folder))
    existing = document.read_text() if document.exists() else ""
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_text(merge(existing, generated))
    print(f"wrote {document}")


if __name__ == "__main__":
    main(sys.argv[1:])
