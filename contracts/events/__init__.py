"""The catalogue of every event the platform publishes.

Each event's `data` has a marshmallow schema here, shared by the producer, every
consumer and the published event documentation (AsyncAPI). Consumers ignore
fields they do not know, so adding an optional field is not a new version; a
change that would break a consumer is a new version, registered beside the old.

Events marked `internal` carry what only another service of the platform needs
(an address to write to, a single-use link); they travel on the same exchanges
but are left out of the partner documentation, and partners' broker accounts
are not allowed to bind to their routing keys (see docs/operations.md)."""

from dataclasses import dataclass

from marshmallow import Schema

from contracts.events import directory, membership, notifications, stories
from contracts.events.common import LANGUAGES, EventData

__all__ = ["CATALOGUE", "LANGUAGES", "EventData", "EventType", "lookup"]


@dataclass(frozen=True)
class EventType:
    service: str
    name: str
    version: int
    schema: type[Schema]
    internal: bool = False

    @property
    def exchange(self) -> str:
        return f"{self.service}.events"

    @property
    def summary(self) -> str:
        first = (self.schema.__doc__ or "").strip().split("\n\n")[0]
        return " ".join(first.split())


def _register(service: str, module) -> tuple[EventType, ...]:
    return tuple(
        EventType(service, name, version, schema, name in module.INTERNAL)
        for name, version, schema in module.EVENTS
    )


CATALOGUE: tuple[EventType, ...] = (
    _register("membership", membership)
    + _register("stories", stories)
    + _register("directory", directory)
    + _register("notifications", notifications)
)


def lookup(name: str, version: int | None = None) -> EventType:
    """The newest version of an event type, or the one asked for."""
    matches = [e for e in CATALOGUE if e.name == name]
    if version is not None:
        matches = [e for e in matches if e.version == version]
    if not matches:
        raise LookupError(f"No event type {name} (version {version}).")
    return max(matches, key=lambda event: event.version)
