""" "My membership": the page's forms read into what the services take, and what
the services said gathered for the page."""

from typing import Any

from gateway.pages import CONSENTS


def promise_form(form) -> dict[str, Any]:
    return {
        "text": form.get("promise", ""),
        "focus": form.get("focus") or None,
        "by_date": form.get("by_date") or None,
    }


def feedback_form(form) -> dict[str, Any]:
    rating = form.get("rating", "")
    return {
        "round": _number(form.get("round", "")),
        "rating": _number(rating) if rating else None,
        "progress": form.get("progress", ""),
        "principles": form.getlist("principles"),
    }


def consents_form(form) -> dict[str, bool]:
    return {name: form.get(name) == "yes" for name, _, _ in CONSENTS}


def leave_form(form) -> dict[str, Any]:
    return {
        "erase": form.get("erase") == "yes",
        "stories": "delete" if form.get("stories") == "delete" else "anonymise",
    }


def view(found: dict[str, Any], saved: str) -> dict[str, Any]:
    """The page's parts from the member's record, promise, badge and stories."""
    promises = found["promises"].get("items", [])
    return {
        "member": found["member"],
        "promise": promises[0] if promises else None,
        "badge": found["badge"],
        "due": feedback_due(found["stories"]),
        "given": found["stories"].get("feedback", []),
        "saved": saved,
    }


def feedback_due(stories: dict[str, Any]) -> dict[str, Any] | None:
    """The newest round asked for that has no feedback yet."""
    given = {feedback["round"] for feedback in stories.get("feedback", [])}
    waiting = [
        r
        for r in stories.get("rounds", [])
        if r["status"] == "requested" and r["round"] not in given
    ]
    return max(waiting, key=lambda r: r["round"]) if waiting else None


def _number(text: str) -> int | str | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return text
