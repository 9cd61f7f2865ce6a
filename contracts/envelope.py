"""The CloudEvents 1.0 envelope that every event travels in."""

import uuid
from datetime import UTC, datetime
from typing import Any

SPECVERSION = "1.0"


def make_envelope(
    service: str, event_type: str, subject: str, data: dict[str, Any], version: int = 1
) -> dict[str, Any]:
    return {
        "specversion": SPECVERSION,
        "id": str(uuid.uuid4()),
        "source": f"/coprod/{service}",
        "type": event_type,
        "subject": subject,
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json",
        "dataschema": f"urn:coprod:event:{event_type}:v{version}",
        "data": data,
    }
