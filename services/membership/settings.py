"""What the membership service reads from its config.yml, in one typed place."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from nameko.extensions import DependencyProvider


@dataclass(frozen=True)
class Settings:
    public_url: str = "http://127.0.0.1:8000"
    confirm_link_for: timedelta = timedelta(hours=24)
    sign_in_link_for: timedelta = timedelta(minutes=15)
    unconfirmed_after: timedelta = timedelta(days=7)
    feedback_round: timedelta = timedelta(days=182)
    idempotency_for: timedelta = timedelta(hours=24)
    badge_edition: str = "2027"
    badge_edition_size: int = 120
    issuer_email: str = "cyswllt@coprod.example.cymru"

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Settings":
        def number(key: str, default: float) -> float:
            value = config.get(key)
            return default if value in (None, "") else float(value)

        return cls(
            public_url=str(config.get("PUBLIC_URL") or cls.public_url).rstrip("/"),
            confirm_link_for=timedelta(hours=number("CONFIRM_LINK_HOURS", 24)),
            sign_in_link_for=timedelta(minutes=number("SIGN_IN_LINK_MINUTES", 15)),
            unconfirmed_after=timedelta(hours=number("UNCONFIRMED_AFTER_HOURS", 168)),
            feedback_round=timedelta(days=number("FEEDBACK_ROUND_DAYS", 182)),
            idempotency_for=timedelta(hours=number("IDEMPOTENCY_HOURS", 24)),
            badge_edition=str(config.get("BADGE_EDITION") or cls.badge_edition),
            badge_edition_size=int(number("BADGE_EDITION_SIZE", 120)),
            issuer_email=str(config.get("BADGE_ISSUER_EMAIL") or cls.issuer_email),
        )


class SettingsProvider(DependencyProvider):
    def setup(self) -> None:
        self.settings = Settings.from_config(self.container.config)

    def get_dependency(self, worker_ctx) -> Settings:
        return self.settings
