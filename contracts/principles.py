"""The network's co-production principles, versioned data in both languages."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_FOLDER = Path(__file__).parent / "data" / "principles"


@dataclass(frozen=True)
class Principle:
    id: str
    title: dict[str, str]
    text: dict[str, str]


@dataclass(frozen=True)
class Principles:
    version: str
    principles: tuple[Principle, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(principle.id for principle in self.principles)


@cache
def versions() -> tuple[Principles, ...]:
    """Every published version, oldest first."""
    loaded = [_load(path) for path in _FOLDER.glob("*.yml")]
    return tuple(sorted(loaded, key=lambda p: int(p.version)))


def current() -> Principles:
    return versions()[-1]


def version(number: str) -> Principles:
    return next(p for p in versions() if p.version == number)


def _load(path: Path) -> Principles:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Principles(
        version=str(data["version"]),
        principles=tuple(
            Principle(
                id=item["id"],
                title={lang: item[lang]["title"] for lang in ("cy", "en")},
                text={lang: item[lang]["text"] for lang in ("cy", "en")},
            )
            for item in data["principles"]
        ),
    )
