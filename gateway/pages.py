"""The web pages: rendered with autoescaping, so whatever a person typed is shown
back as text, never as markup, in the language the person reads."""

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.wrappers import Request, Response

from contracts import areas, principles
from gateway import i18n

environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "svg"]),
    extensions=["jinja2.ext.i18n"],
)


def page(
    template: str, status: int = 200, request: Request | None = None, **context: Any
) -> Response:
    language = i18n.negotiate(request)
    html = environment.get_template(template).render(
        lang=language,
        other_lang="en" if language == "cy" else "cy",
        path=request.full_path.rstrip("?") if request else "/",
        areas=areas.all_areas(),
        principles=principles.current(),
        csrf_token=(request.environ.get("coprod.csrf_token", "") if request else ""),
        **i18n.gettext_for(language),
        **context,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Language"] = language
    return response


def form_to_join(form) -> dict[str, Any]:
    """The join form's fields, as the JSON API takes them."""
    return {
        "kind": form.get("kind", "individual"),
        "name": form.get("name", ""),
        "email": form.get("email", ""),
        "area": form.get("area", ""),
        "language": form.get("language", ""),
        "listed": form.get("listed") == "yes",
        "promise": form.get("promise", ""),
    }
