"""The body of a join as a person would send it, for whichever joining form the
membership service has now; the address is left as `{{EMAIL}}` for wrk's Lua
hook to fill (bench/lua/post.lua). Checked against the form's own schema
before any load is sent, so a changed form fails loudly instead of measuring
400s."""

import json
from typing import Any

from bench.people import Person
from services.membership.schemas import JoinSchema

PLACEHOLDER = "{{EMAIL}}"
PROMISE = "Byddaf yn gofyn i bobl leol beth sy’n bwysig cyn cynllunio gyda nhw."


def join_form(person: Person) -> dict[str, Any]:
    """Everything the form asks for; not listed, so the directory's counts stay
    those the search workload seeds."""
    form: dict[str, Any] = {
        "kind": "individual",
        "name": person.name,
        "email": PLACEHOLDER,
        "area": person.area,
        "language": person.language or "cy",
    }
    fields = JoinSchema().fields
    if "consents" in fields:
        form["principles_version"] = "1"
        form["promise"] = {"text": PROMISE, "focus": None, "by_date": None}
        form["consents"] = {
            "privacy": True,
            "listed": False,
            "newsletter": False,
            "share_progress": False,
            "partner_contact": False,
        }
    else:
        form["listed"] = False
        form["promise"] = PROMISE
    return form


def join_body(person: Person) -> str:
    form = join_form(person)
    sample = {**form, "email": "check@bench.example.cymru"}
    errors = JoinSchema().validate(sample)
    if errors:
        raise ValueError(f"the bench's join form no longer fits JoinSchema: {errors}")
    return json.dumps(form, ensure_ascii=False)
