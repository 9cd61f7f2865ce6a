"""Partner systems' API keys, made the way a coordinator makes them: through
the gateway, for tests that need a partner."""

import requests

from tests.support.sessions import signed_in

COORDINATOR = signed_in("00000000-0000-4000-8000-0000000000c0", "coordinator")


def new_key(site: str, partner: str, scopes: list[str]) -> str:
    made = requests.post(
        f"{site}/api/v1/api-keys",
        json={"partner": partner, "label": f"Key of {partner}", "scopes": scopes},
        cookies=COORDINATOR,
        timeout=20,
    )
    made.raise_for_status()
    return made.json()["key"]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
