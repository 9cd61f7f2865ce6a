"""Bring gateway/translations/cy.po up to date with the templates and the
gateway's code: new messages are added untranslated, gone ones are marked
obsolete. `make translations`, then fill in the Welsh."""

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from gateway.i18n import CATALOGUES

METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extracted() -> Catalog:
    template = Catalog(project="coprod-network")
    for filename, line, message, _comments, context in extract_from_dir(
        "gateway", METHODS, OPTIONS
    ):
        template.add(message, locations=[(filename, line)], context=context)
    return template


def main() -> None:
    path = CATALOGUES / "cy.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    catalogue.update(extracted(), no_fuzzy_matching=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=88, sort_output=True, ignore_obsolete=True)


if __name__ == "__main__":
    main()
