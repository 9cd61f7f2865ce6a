"""The web pages: rendered with autoescaping, so whatever a person typed is shown
back as text, never as markup, in the language the person reads."""

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.wrappers import Request, Response

from contracts import areas, principles
from gateway import i18n

environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "svg"]),
    extensions=["jinja2.ext.i18n"],
)

LONDON = ZoneInfo("Europe/London")


def london(moment: str | None, language: str) -> str:
    """An ISO moment as the clock in Wales shows it: `28 Mawrth 2027, 10:00`."""
    if not moment:
        return ""
    shown = datetime.fromisoformat(moment).astimezone(LONDON)
    return format_datetime(shown, "d MMMM y, HH:mm", locale=language)


environment.filters["london"] = london

SECTORS = (
    ("public", "Cyhoeddus / Public"),
    ("third_sector", "Trydydd sector / Third sector"),
    ("private", "Preifat / Private"),
    ("community_group", "Grŵp cymunedol / Community group"),
    ("citizen", "Dinesydd / Citizen"),
)
CONSENTS = (
    ("listed", "Rhestrwch fi yn y cyfeiriadur", "List me in the directory"),
    ("newsletter", "Anfonwch y cylchlythyr ataf", "Send me the newsletter"),
    ("share_progress", "Rhannwch fy nghynnydd ag aelodau", "Share my progress"),
    ("partner_contact", "Caiff partneriaid gysylltu", "Partners may contact me"),
)


def page(
    template: str, status: int = 200, request: Request | None = None, **context: Any
) -> Response:
    language = i18n.negotiate(request)
    context.setdefault("principles", principles.current())
    html = environment.get_template(template).render(
        lang=language,
        other_lang="en" if language == "cy" else "cy",
        path=request.full_path.rstrip("?") if request else "/",
        areas=areas.all_areas(),
        sectors=SECTORS,
        consents=CONSENTS,
        csrf_token=(request.environ.get("coprod.csrf_token", "") if request else ""),
        **i18n.gettext_for(language),
        **context,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Language"] = language
    return response


def form_to_join(form) -> dict[str, Any]:
    """The join form's fields, as the JSON API takes them."""
    kind = form.get("kind", "individual")
    return {
        "kind": kind,
        "name": form.get("name", ""),
        "email": form.get("email", ""),
        "area": form.get("area", ""),
        "language": form.get("language") or None,
        "postcode": form.get("postcode") or None,
        "sector": form.get("sector") or None,
        "role": form.get("role") or None,
        "champions": _addresses(form.get("champions", "")),
        "principles_version": form.get("principles_version", ""),
        "promise": {"text": form.get("promise", "")},
        "consents": {
            "privacy": form.get("privacy") == "yes",
            **{name: form.get(name) == "yes" for name, _, _ in CONSENTS},
        },
    }


def flat_errors(errors: dict) -> dict[str, list[str]]:
    """Field messages for the page: nested ones (`promise.text`) under their
    top-level field."""
    flat: dict[str, list[str]] = {}
    for field, messages in errors.items():
        flat[field] = list(_messages(messages))
    return flat


def _messages(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for inner in messages.values() for m in _messages(inner)]
    if isinstance(messages, list):
        return [m for inner in messages for m in _messages(inner)]
    return [str(messages)]


def _addresses(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text) if part]
