"""Suggestions to improve the site's forms, from anyone, and coordinators'
answers to them."""

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.membership.exceptions import SuggestionNotFound
from services.membership.members import paged
from services.membership.models import Member, Suggestion

logger = logging.getLogger(__name__)


def suggest(session: Session, form: dict, member_id: str | None) -> Suggestion:
    """Keep a suggestion; one from someone signed in is theirs (no address kept)."""
    with session.begin():
        member = session.get(Member, member_id) if member_id else None
        suggestion = Suggestion(
            id=str(uuid.uuid4()),
            member_id=member.id if member and member.status != "left" else None,
            created_at=datetime.now(UTC),
            **form,
        )
        if suggestion.member_id:
            suggestion.email = None
        session.add(suggestion)
    logger.info("suggestion.made suggestion=%s form=%s", suggestion.id, suggestion.form)
    return suggestion


def answer(session: Session, suggestion_id: str, text: str, by: str | None):
    with session.begin():
        suggestion = session.get(Suggestion, suggestion_id, with_for_update=True)
        if suggestion is None:
            raise SuggestionNotFound(f"No suggestion {suggestion_id}.")
        suggestion.answer, suggestion.answered_by = text, by
        suggestion.answered_at = datetime.now(UTC)
    logger.info("suggestion.answered suggestion=%s", suggestion.id)
    return suggestion


def suggestions(
    session: Session,
    status: str,
    form: str | None,
    member_id: str | None,
    page: int,
    per_page: int,
) -> dict[str, Any]:
    """Newest first; `status` is `open`, `answered` or `all`."""
    query = select(Suggestion)
    if status != "all":
        waiting = Suggestion.answered_at.is_(None)
        query = query.where(waiting if status == "open" else ~waiting)
    if form:
        query = query.where(Suggestion.form == form)
    if member_id:
        query = query.where(Suggestion.member_id == member_id)
    order = (Suggestion.created_at.desc(), Suggestion.id)
    with session.begin():
        return paged(session, query, order, page, per_page)
