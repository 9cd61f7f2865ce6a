"""The small machine-readable shape every bench script writes, so that one
report can fold them all into one table.

A script writes `var/bench/<name>.json`::

    {"name": "join", "title": "Join through the gateway",
     "rows": [{"case": "c=16, SQLite", "measure": "requests/s",
               "value": 212.0, "unit": "req/s", "floor": 640.0,
               "target": {"ratio_at_least": 0.5}}],
     "notes": ["free text, one paragraph each"],
     "settings": {"runs": 3, "seconds": 8}}

`floor` (the same measure of the framework's floor, same run) and `target` are
optional. A target is one of `{"ratio_at_least": r}` (value / floor >= r),
`{"at_least": x}`, `{"at_most": x}` or `{"equals": x}`."""

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(os.environ.get("BENCH_RESULTS", "var/bench"))


@dataclass
class Row:
    case: str
    measure: str
    value: float | None
    unit: str = ""
    floor: float | None = None
    target: dict[str, float] | None = None

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when there is no target or no figure."""
        if not self.target or self.value is None:
            return None
        (kind, bound), *_ = self.target.items()
        if kind == "ratio_at_least":
            return None if self.ratio is None else self.ratio >= bound
        return {
            "at_least": self.value >= bound,
            "at_most": self.value <= bound,
            "equals": self.value == bound,
        }[kind]


@dataclass
class Results:
    name: str
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def add(self, *rows: Row) -> None:
        self.rows.extend(rows)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def write(self, folder: Path = RESULTS) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.name}.json"
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False))
        return path


def load(path: Path) -> Results:
    raw = json.loads(path.read_text())
    rows = [Row(**row) for row in raw.get("rows", [])]
    return Results(
        name=raw.get("name", path.stem),
        title=raw.get("title", path.stem),
        rows=rows,
        notes=list(raw.get("notes", [])),
        settings=dict(raw.get("settings", {})),
    )
