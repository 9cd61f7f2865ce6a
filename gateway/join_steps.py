"""The join form in steps, without JavaScript: each step posts every field typed
so far (the other steps' as hidden fields), so nothing typed is lost when a
step has an error or the person goes back. The membership service's own
`JoinSchema` checks each step's fields as they are typed; the service checks
the whole form again when it is sent."""

from werkzeug.datastructures import MultiDict

from services.membership.schemas import JoinSchema

STEPS = ("about", "principles", "promise", "story", "sharing")
FIELDS = {
    "about": {
        "kind",
        "name",
        "email",
        "area",
        "language",
        "postcode",
        "sector",
        "role",
        "champions",
    },
    "principles": {"agree", "principles_version"},
    "promise": {"promise", "focus", "by_date"},
    "story": {"story", "story_title", "story_text"},
    "sharing": {
        "consents",
        "privacy",
        "listed",
        "newsletter",
        "share_progress",
        "partner_contact",
        "story_sharing",
    },
}
NAVIGATION = {"csrf_token", "step", "go"}
STORY_PREFIXES = ("q.", "v.", "other.")


def step_of(field: str) -> str:
    if field.startswith(STORY_PREFIXES):
        return "story"
    return next((step for step in STEPS if field in FIELDS[step]), "about")


def step_named(name: str | None) -> str:
    return name if name in STEPS else STEPS[0]


def neighbour(step: str, offset: int) -> str:
    index = min(max(STEPS.index(step) + offset, 0), len(STEPS) - 1)
    return STEPS[index]


def carried(form: MultiDict, step: str) -> list[tuple[str, str]]:
    """Every value typed on the other steps, to post again as hidden fields."""
    return [
        (name, value)
        for name, value in form.items(multi=True)
        if name not in NAVIGATION and step_of(name) != step
    ]


def errors_up_to(step: str, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The errors of `step` and the steps before it."""
    reached = STEPS[: STEPS.index(step) + 1]
    return {field: m for field, m in errors.items() if step_of(field) in reached}


def first_step_with(errors: dict) -> str:
    return min((step_of(field) for field in errors), key=STEPS.index)


def membership_errors(join: dict, agreed: bool) -> dict:
    """What the membership service's joining form says of these fields."""
    errors = dict(JoinSchema().validate(join))
    if not agreed:
        errors["agree"] = ["Agree to the principles to join."]
    return errors
