"""The site in Welsh and English. Templates are written with English message
ids; gateway/translations/cy.po holds the Welsh (with Babel's PO tools, so any
translator's tool can edit it). A person's choice of language is kept in a cookie;
without one, the browser's languages decide, and Welsh comes first when they say
nothing."""

from functools import cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from werkzeug.wrappers import Request

LANGUAGES = ("cy", "en")
DEFAULT = "cy"
COOKIE = "coprod_lang"
CATALOGUES = Path(__file__).parent / "translations"


@cache
def translations(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    with (CATALOGUES / f"{language}.po").open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled)


def negotiate(request: Request | None) -> str:
    if request is None:
        return DEFAULT
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def gettext_for(language: str) -> dict:
    """The names the templates' `_()` and `{% trans %}` look up."""
    found = translations(language)
    return {"gettext": found.gettext, "ngettext": found.ngettext, "_": found.gettext}
