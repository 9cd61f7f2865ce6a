"""A RabbitMQ vhost of its own for each stack a run starts (never the default
one), made and removed through the management API."""

import base64
import json
import os
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, unquote, urlsplit

BROKER = os.environ.get("BENCH_AMQP", "amqp://guest:guest@127.0.0.1:5672/")


class Management:
    def __init__(self, amqp_uri: str = BROKER):
        parts = urlsplit(amqp_uri)
        self.host = parts.hostname or "127.0.0.1"
        self.user, self.password = parts.username or "guest", parts.password or "guest"
        self.port = parts.port or 5672
        self.base = f"http://{self.host}:15672/api"

    def call(self, method: str, path: str, body: dict | None = None):
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request = urllib.request.Request(
            f"{self.base}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={
                "Authorization": f"Basic {token}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else None

    def amqp_uri(self, vhost: str) -> str:
        return (
            f"amqp://{self.user}:{self.password}@{self.host}:{self.port}/"
            f"{quote(vhost, safe='')}"
        )

    def queues(self, vhost: str) -> list[dict]:
        return self.call("GET", f"/queues/{quote(vhost, safe='')}") or []

    def version(self) -> str:
        return self.call("GET", "/overview")["rabbitmq_version"]


@contextmanager
def vhost(purpose: str, management: Management | None = None) -> Iterator[str]:
    """Yield the AMQP URI of a new vhost, removed afterwards."""
    management = management or Management()
    name = f"coprod_bench_{purpose}_{uuid.uuid4().hex[:8]}"
    quoted = quote(name, safe="")
    management.call("PUT", f"/vhosts/{quoted}")
    management.call(
        "PUT",
        f"/permissions/{quoted}/{management.user}",
        {"configure": ".*", "write": ".*", "read": ".*"},
    )
    try:
        yield management.amqp_uri(name)
    finally:
        management.call("DELETE", f"/vhosts/{quoted}")


def vhost_of(amqp_uri: str) -> str:
    return unquote(urlsplit(amqp_uri).path.lstrip("/"))
