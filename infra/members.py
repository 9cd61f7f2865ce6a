"""A consumer's own copy of members, kept from membership's events.

Snapshots carry a version that goes up with every change: a copy takes a
snapshot only when it is newer than what it holds, so repeated and late events
change nothing. `MemberLeft` leaves a tombstone (status `left`, personal fields
emptied by the consumer), and a tombstone takes no snapshot ever again."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from infra.db import insert_if_new


class MemberCopyMixin:
    member_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)


def apply_snapshot(
    session: Session,
    model: type,
    snapshot: dict[str, Any],
    values: Callable[[dict[str, Any]], dict[str, Any]],
):
    """Bring the copy of `snapshot`'s member up to date in the open transaction;
    the copy if it changed, else None. `values` picks the columns to keep."""
    member_id = str(snapshot["member_id"])
    columns = {
        "version": snapshot["version"],
        "status": snapshot["status"],
        **values(snapshot),
    }
    copy = session.get(model, member_id, with_for_update=True)
    if copy is None:
        # Two events about a new member can be handled at once: if the other
        # made the copy first, read and lock what it made (on PostgreSQL the
        # insert waited for it), and compare versions as usual.
        if insert_if_new(session, model, "member_id", member_id=member_id, **columns):
            return session.get(model, member_id)
        copy = session.get(
            model, member_id, with_for_update=True, populate_existing=True
        )
    if copy.status == "left" or snapshot["version"] <= copy.version:
        return None
    for name, value in columns.items():
        setattr(copy, name, value)
    return copy


def apply_left(
    session: Session,
    model: type,
    left: dict[str, Any],
    forget: Callable[[Any], None],
):
    """Turn the copy into a tombstone, whether or not it existed; `forget` empties
    the personal fields of an existing copy. Returns the tombstone."""
    member_id = str(left["member_id"])
    copy = session.get(model, member_id, with_for_update=True)
    if copy is None:
        copy = model(member_id=member_id, version=left["version"], status="left")
        forget(copy)
        session.add(copy)
        return copy
    if copy.status != "left":
        forget(copy)
    copy.status, copy.version = "left", max(copy.version, left["version"])
    return copy
