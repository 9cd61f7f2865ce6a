"""The web pages: rendered with autoescaping, so whatever a person typed is shown
back as text, never as markup, in the language the person reads."""

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.wrappers import Request, Response

from contracts import areas, principles
from gateway import formatting, i18n
from gateway.auth import COOKIE as SESSION_COOKIE

environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "svg"]),
    extensions=["jinja2.ext.i18n"],
)
environment.filters["when"] = formatting.when


def long_date(text: str, language: str) -> str:
    """An ISO date as a reader writes it: `3 Rhagfyr 2026`, `3 December 2026`."""
    locale = "en_GB" if language == "en" else language
    return format_date(date.fromisoformat(text[:10]), "long", locale=locale)


environment.globals["long_date"] = long_date

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
    context.setdefault(
        "signed_in", bool(request and request.cookies.get(SESSION_COOKIE))
    )
    html = environment.get_template(template).render(
        lang=language,
        other_lang="en" if language == "cy" else "cy",
        path=request.full_path.rstrip("?") if request else "/",
        areas=areas.all_areas(),
        sectors=SECTORS,
        consents=CONSENTS,
        csrf_token=(request.environ.get("coprod.csrf_token", "") if request else ""),
        hints=HINTS,
        **i18n.gettext_for(language),
        **context,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Language"] = language
    return response


def for_reader(request: Request, problem: Response) -> Response:
    """A problem as a page for a browser asking for one (not the API), else as
    Problem Details."""
    accepted = request.headers.get("Accept", "")
    if request.path.startswith("/api/") or "text/html" not in accepted:
        return problem
    return problem_page(request, problem)


def problem_page(request: Request, problem: Response) -> Response:
    """A Problem Details answer shown to a browser as a page in its language."""
    body = json.loads(problem.get_data(as_text=True))
    shown = page("problem.html", problem.status_code, request, problem=body)
    for name in ("Retry-After", "WWW-Authenticate", "Allow"):
        if name in problem.headers:
            shown.headers[name] = problem.headers[name]
    return shown


def N_(message: str) -> str:
    """Marks a message for the Welsh catalogue; the page translates it."""
    return message


# What to do about a field the services found wrong, in the reader's language;
# the service's own words (in English) follow it.
HINTS = {
    "name": N_("Write your name, or your organisation's."),
    "email": N_("Write an e-mail address like name@example.cymru."),
    "area": N_("Choose the area where you live or work."),
    "postcode": N_("Write a Welsh or UK postcode like CF10 1AA, or leave it empty."),
    "role": N_("Keep your role to 120 characters."),
    "champions": N_("Organisations name at least one champion by e-mail address."),
    "agree": N_("Tick the box to agree to the principles."),
    "principles_version": N_("Tick the box to agree to the principles."),
    "promise": N_("Write your promise in 10 to 2,000 characters."),
    "consents": N_("Accept the privacy notice to be a member."),
    "story_title": N_("Give your story a short title."),
    "story_text": N_("Say what happened in your story."),
    "rating": N_("Choose how your promise is going, from 1 to 5."),
    "progress": N_("Say in a few words how your promise is going."),
    "confirm": N_("Tick the box to say you want to leave."),
    "feedback": N_("This feedback could not be kept."),
    "by_date": N_("Choose a date that is not in the past, or leave it empty."),
    "text": N_("Write your promise in 10 to 2,000 characters."),
}


def drive_view(progress: dict, language: str) -> dict:
    """The drive's figures as the home page shows them."""
    return {
        "active": progress["active_now"],
        "target": progress["target"],
        "remaining": progress["remaining"],
        "deadline": long_date(progress["campaign"]["deadline"], language),
    }


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
        "promise": {
            "text": form.get("promise", ""),
            "focus": form.get("focus") or None,
            "by_date": form.get("by_date") or None,
        },
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
