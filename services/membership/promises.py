"""The Co-production Promise: every version kept, each announced."""

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.membership.joining import announce_promise, new_promise
from services.membership.members import current_member, get_member, paged
from services.membership.models import Promise

logger = logging.getLogger(__name__)


def update_promise(session: Session, member_id: str, form: dict) -> Promise:
    now = datetime.now(UTC)
    with session.begin():
        member = current_member(session, member_id)
        last = session.scalar(
            select(func.max(Promise.number)).where(Promise.member_id == member.id)
        )
        promise = new_promise(member, form, (last or 0) + 1, now)
        session.add(promise)
        session.flush()
        announce_promise(session, promise)
    logger.info("promise.updated member=%s number=%s", member.id, promise.number)
    return promise


def promises(
    session: Session, member_id: str, page: int, per_page: int
) -> dict[str, Any]:
    """Every version of a member's promise, newest first."""
    query = select(Promise).where(Promise.member_id == member_id)
    with session.begin():
        get_member(session, member_id)
        return paged(session, query, (Promise.number.desc(),), page, per_page)
