"""The service's configuration, read once from its `config.yml` into one typed
value that the domain modules take as an argument."""

import logging
from dataclasses import dataclass
from datetime import time, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from nameko.extensions import DependencyProvider

from infra import devsecret

logger = logging.getLogger(__name__)

_DEV_SECRET_FILE = Path("var/notifications-secret")


@dataclass(frozen=True)
class Settings:
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str = "development"
    mail_domain: str = "coprod.example.cymru"
    max_attempts: int = 6
    backoff: timedelta = timedelta(seconds=30)
    stale_claim: timedelta = timedelta(minutes=10)
    contact_wait: timedelta = timedelta(hours=24)
    reminder_days: int = 14
    reminder_time: time = time(10, 0)
    log_retention: timedelta = timedelta(days=400)
    webhook_timeout: float = 10.0
    webhook_ca_file: str | None = None
    webhook_allow_private: bool = False
    webhook_backoff: timedelta = timedelta(seconds=5)
    webhook_pause_after: timedelta = timedelta(days=3)
    webhook_max_backoff: timedelta = timedelta(hours=6)


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes")


def _secret(value: Any) -> str:
    """SECRET_KEY from the environment; on a developer's machine a key kept under
    var/ so that every copy started there signs the same unsubscribe links."""
    if value:
        return str(value)
    logger.warning("settings.development_secret path=%s", _DEV_SECRET_FILE)
    return devsecret.development_secret(_DEV_SECRET_FILE)


def _domain(mail_from: Any) -> str:
    address = parseaddr(str(mail_from or ""))[1]
    return address.rpartition("@")[2] or Settings.mail_domain


def from_config(config: dict[str, Any]) -> Settings:
    def value(key: str, default: Any) -> Any:
        found = config.get(key)
        return default if found is None or found == "" else found

    def hours(key: str, default: float) -> timedelta:
        return timedelta(hours=float(value(key, default)))

    def seconds(key: str, default: float) -> timedelta:
        return timedelta(seconds=float(value(key, default)))

    return Settings(
        public_url=str(value("PUBLIC_URL", Settings.public_url)).rstrip("/"),
        secret_key=_secret(config.get("SECRET_KEY")),
        mail_domain=_domain(config.get("MAIL_FROM")),
        max_attempts=int(value("DELIVERY_MAX_ATTEMPTS", 6)),
        backoff=seconds("DELIVERY_BACKOFF_SECONDS", 30),
        stale_claim=seconds("DELIVERY_STALE_SECONDS", 600),
        contact_wait=hours("CONTACT_WAIT_HOURS", 24),
        reminder_days=int(value("FEEDBACK_REMINDER_DAYS", 14)),
        reminder_time=time(int(value("REMINDER_HOUR", 10))),
        log_retention=timedelta(days=int(value("LOG_RETENTION_DAYS", 400))),
        webhook_timeout=float(value("WEBHOOK_TIMEOUT", 10)),
        webhook_ca_file=config.get("WEBHOOK_CA_FILE") or None,
        webhook_allow_private=_flag(value("WEBHOOK_ALLOW_PRIVATE", False)),
        webhook_backoff=seconds("WEBHOOK_BACKOFF_SECONDS", 5),
        webhook_pause_after=hours("WEBHOOK_PAUSE_AFTER_HOURS", 72),
        webhook_max_backoff=hours("WEBHOOK_MAX_BACKOFF_HOURS", 6),
    )


class Configured(DependencyProvider):
    """Injects the service's `Settings`."""

    def setup(self) -> None:
        self.settings = from_config(self.container.config)

    def get_dependency(self, worker_ctx) -> Settings:
        return self.settings
