"""The badge as Open Badges 2.0 documents (hosted verification): the Assertion,
its BadgeClass and the Issuer profile, and the SVG image with its number."""

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from services.membership.badges import get_badge, urls
from services.membership.models import Badge
from services.membership.settings import Settings

CONTEXT = "https://w3id.org/openbadges/v2"

_images = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["svg"]),
)


def issuer_url(settings: Settings) -> str:
    return f"{settings.public_url}/badges/issuer"


def badge_class_url(settings: Settings, edition: str) -> str:
    return f"{settings.public_url}/badges/editions/{edition}"


def assertion(settings: Settings, badge: Badge) -> dict[str, Any]:
    assertion_url, image_url = urls(settings, badge.id)
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": badge.salt,
            "identity": badge.identity_hash,
        },
        "badge": badge_class_url(settings, badge.edition),
        "verification": {"type": "hosted"},
        "issuedOn": badge.awarded_at.isoformat(),
        "image": image_url,
        "narrative": f"Co-pro Hero number {badge.number} of the {badge.edition} "
        f"edition ({settings.badge_edition_size} badges).",
    }


def revocation(settings: Settings, badge: Badge) -> dict[str, Any]:
    """What a revoked badge's URL answers, with 410."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls(settings, badge.id)[0],
        "revoked": True,
        "revocationReason": badge.revocation_reason or "Withdrawn.",
    }


def badge_class(settings: Settings, edition: str) -> dict[str, Any]:
    url = badge_class_url(settings, edition)
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": url,
        "name": f"Co-pro Hero ({edition})",
        "description": (
            "Arwr Cyd-gynhyrchu · A member of the Co-production Network for Wales "
            "who confirmed their membership with a Co-production Promise. A "
            f"limited edition of {settings.badge_edition_size}, each numbered."
        ),
        "image": f"{url}/image.svg",
        "criteria": {
            "narrative": (
                "Join the network, agree to its co-production principles, make a "
                "Co-production Promise and confirm your e-mail address, while "
                "badges of this edition remain."
            )
        },
        "issuer": issuer_url(settings),
        "tags": ["co-production", "cyd-gynhyrchu", "Wales", "Cymru"],
    }


def issuer(settings: Settings) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(settings),
        "name": "Rhwydwaith Cyd-gynhyrchu Cymru · Co-production Network for Wales",
        "url": settings.public_url,
        "email": settings.issuer_email,
    }


def image(settings: Settings, edition: str, number: int | None) -> str:
    """The badge as SVG; with no number, the edition's own image."""
    return _images.get_template("badge.svg").render(
        edition=edition, number=number, size=settings.badge_edition_size
    )


def assertion_or_revocation(
    session: Session, settings: Settings, badge_id: str
) -> dict[str, Any]:
    with session.begin():
        badge = get_badge(session, badge_id)
    if badge.revoked_at is not None:
        return {"revoked": True, "document": revocation(settings, badge)}
    return {"revoked": False, "document": assertion(settings, badge)}


def numbered_image(session: Session, settings: Settings, badge_id: str) -> dict:
    with session.begin():
        badge = get_badge(session, badge_id)
    svg = image(settings, badge.edition, badge.number)
    return {"revoked": badge.revoked_at is not None, "svg": svg}
