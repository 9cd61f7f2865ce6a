"""Reading an event's data with its contract, as every handler does first."""

from typing import Any

from contracts.events import lookup


def data_of(envelope: dict) -> dict[str, Any]:
    """The envelope's `data`, loaded (and checked) with its event's schema."""
    return lookup(envelope["type"]).schema().load(envelope["data"])
