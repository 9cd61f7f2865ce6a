"""Turning a template and what a member typed into a two-part e-mail."""

from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

_TEMPLATES = Path(__file__).parent / "templates"

environment = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def compose(
    template: str, language: str, to: str, context: dict[str, Any]
) -> EmailMessage:
    """Render `<template>.<language>.txt` and `.html`; the text part shows what the
    member typed as typed, the HTML part escapes it."""
    text = environment.get_template(f"{template}.{language}.txt")
    html = environment.get_template(f"{template}.{language}.html")
    message = EmailMessage()
    message["To"] = formataddr((context.get("name", ""), to))
    message["Subject"] = text.make_module(context).subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="coprod.example.cymru")
    message.set_content(text.render(context))
    message.add_alternative(html.render(context), subtype="html")
    message["Content-Language"] = language
    return message
