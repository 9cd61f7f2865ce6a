"""A consumer's own copy of members, kept from membership's events.

Snapshots carry a version that goes up with every change: a copy takes a
snapshot only when it is newer than what it holds, so repeated and late events
change nothing. `MemberLeft` leaves a tombstone (status `left`, personal fields
emptied by the consumer), and a tombstone takes no snapshot ever again."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


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
        if _insert_first(session, model, member_id, columns):
            return session.get(model, member_id)
        copy = session.get(
            model, member_id, with_for_update=True, populate_existing=True
        )
    if copy.status == "left" or snapshot["version"] <= copy.version:
        return None
    for name, value in columns.items():
        setattr(copy, name, value)
    return copy


def _insert_first(session: Session, model: type, member_id: str, columns) -> bool:
    """Make the first copy, unless another transaction has just made it: two
    events about a new member can be handled at once. On PostgreSQL the insert
    waits for that other transaction, whose copy can then be read and locked."""
    dialect = session.get_bind().dialect.name
    statement = INSERTS[dialect](model).values(member_id=member_id, **columns)
    result = session.execute(
        statement.on_conflict_do_nothing(index_elements=["member_id"])
    )
    return result.rowcount == 1


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
