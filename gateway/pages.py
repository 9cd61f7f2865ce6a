"""The web pages: rendered with autoescaping, so whatever a person typed is shown
back as text, never as markup."""

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.wrappers import Response

from contracts import areas

environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


def page(template: str, status: int = 200, **context: Any) -> Response:
    html = environment.get_template(template).render(areas=areas.all_areas(), **context)
    return Response(html, status=status, mimetype="text/html")


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
