"""Where a webhook may point: HTTPS only, and (unless the tests allow it) never
an address inside our own network, so that a partner cannot make us call our
own services. The check runs at registration and again before every delivery,
because a name can come to resolve elsewhere."""

import ipaddress
import socket
from urllib.parse import urlsplit

from services.notifications.exceptions import WebhookRefused


def check(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise WebhookRefused({"url": ["The endpoint must be an https:// URL."]})
    if allow_private:
        return
    for address in _addresses(parts.hostname, parts.port or 443):
        if not address.is_global:
            raise WebhookRefused(
                {"url": ["The endpoint must be reachable on the public internet."]}
            )


def _addresses(host: str, port: int) -> list:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise WebhookRefused(
            {"url": ["The endpoint's name does not resolve."]}
        ) from error
    return [ipaddress.ip_address(info[4][0]) for info in found]
