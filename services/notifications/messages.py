"""Turning a template and what a member typed into a two-part e-mail.

Each message has, per language, `<template>.<lang>.txt` (plain text, which sets
`subject`) and `<template>.<lang>.html` (a fragment, autoescaped). A member with
no preferred language gets both in one message, Welsh first, the two halves
alike in content and in look."""

from email.message import EmailMessage
from email.utils import formataddr, formatdate
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from contracts import areas
from services.notifications import london

_TEMPLATES = Path(__file__).parent / "templates"
BOTH = ("cy", "en")


def _area_name(code: str | None, language: str) -> str:
    if not code:
        return ""
    area = areas.by_code(code)
    return area.name_cy if language == "cy" else area.name_en


environment = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
)
environment.filters.update(
    day=london.format_day, moment=london.format_moment, area=_area_name
)


def languages(preferred: str | None) -> tuple[str, ...]:
    """The languages a message is written in: the member's, or both."""
    return (preferred,) if preferred in BOTH else BOTH


def render(template: str, language: str, context: dict[str, Any]) -> dict[str, str]:
    """One language's subject, text and HTML fragment."""
    values = {**context, "language": language}
    text = environment.get_template(f"{template}.{language}.txt")
    html = environment.get_template(f"{template}.{language}.html")
    return {
        "subject": str(text.make_module(values).subject).strip(),
        "text": text.render(values).strip() + "\n",
        "html": html.render(values).strip(),
    }


def render_all(
    template: str, preferred: str | None, context: dict[str, Any]
) -> dict[str, str]:
    """Subject, text and whole HTML document in the member's language(s)."""
    parts = [(lang, render(template, lang, context)) for lang in languages(preferred)]
    sections = [(lang, Markup(part["html"])) for lang, part in parts]
    document = environment.get_template("layout.html").render(
        sections=sections, title=" / ".join(part["subject"] for _, part in parts)
    )
    return {
        "subject": " / ".join(part["subject"] for _, part in parts),
        "text": "\n* * *\n\n".join(part["text"] for _, part in parts),
        "html": document,
        "language": ", ".join(lang for lang, _ in parts),
    }


def compose(
    template: str,
    preferred: str | None,
    to: str,
    context: dict[str, Any],
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """A message with a plain-text part (what the member typed, as typed) and an
    HTML part (the same, escaped)."""
    rendered = render_all(template, preferred, context)
    message = EmailMessage()
    message["To"] = formataddr((context.get("name", ""), to))
    message["Subject"] = rendered["subject"]
    message["Date"] = formatdate(localtime=False)
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(rendered["text"])
    message.add_alternative(rendered["html"], subtype="html")
    # after the parts: setting the content drops Content-* headers set before
    message["Content-Language"] = rendered["language"]
    for name, value in (headers or {}).items():
        message[name] = value
    return message
