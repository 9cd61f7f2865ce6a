"""The member-copy rules every consumer relies on, on both databases."""

import eventlet
import eventlet.event
import pytest
from sqlalchemy import String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from infra.members import MemberCopyMixin, apply_left, apply_snapshot
from tests.support.members import snapshot


class Base(DeclarativeBase):
    pass


class Copy(MemberCopyMixin, Base):
    __tablename__ = "member_copies"

    name: Mapped[str | None] = mapped_column(String(200), nullable=True)


def keep_name(data: dict) -> dict:
    return {"name": data["name"]}


def forget(copy: Copy) -> None:
    copy.name = None


@pytest.fixture
def session(db_url):
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def apply(session: Session, data: dict):
    with session.begin():
        return apply_snapshot(session, Copy, data, keep_name)


def test_a_newer_snapshot_replaces_an_older_one(session):
    first = snapshot("Elin", version=1)
    apply(session, first)

    apply(session, {**first, "name": "Elin Haf", "version": 2})

    assert session.get(Copy, first["member_id"]).name == "Elin Haf"


def test_an_older_or_repeated_snapshot_changes_nothing(session):
    first = snapshot("Elin", version=3)
    apply(session, first)

    assert apply(session, {**first, "name": "Hen", "version": 2}) is None
    assert apply(session, {**first, "name": "Eto", "version": 3}) is None
    assert session.get(Copy, first["member_id"]).name == "Elin"


def test_nothing_comes_back_after_the_member_left(session):
    first = snapshot("Elin", version=1)
    apply(session, first)
    with session.begin():
        apply_left(
            session, Copy, {"member_id": first["member_id"], "version": 2}, forget
        )

    late = apply(session, {**first, "name": "Elin", "version": 5})

    copy = session.get(Copy, first["member_id"])
    assert late is None
    assert (copy.status, copy.name) == ("left", None)


def test_leaving_before_joining_arrives_still_keeps_them_out(session):
    first = snapshot("Elin", version=1)
    with session.begin():
        apply_left(
            session, Copy, {"member_id": first["member_id"], "version": 2}, forget
        )

    assert apply(session, first) is None


def test_two_events_about_a_new_member_handled_at_once_both_apply(db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer per process: the two cannot overlap")
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    joined = snapshot("Elin", version=1, status="pending")
    verified = {**joined, "version": 2, "status": "active"}
    first_in = eventlet.event.Event()

    def join_slowly():
        with Session(engine) as session, session.begin():
            apply_snapshot(session, Copy, joined, keep_name)
            session.flush()
            first_in.send()
            eventlet.sleep(0.3)

    slow = eventlet.spawn(join_slowly)
    first_in.wait()
    with Session(engine) as session, session.begin():
        applied = apply_snapshot(session, Copy, verified, keep_name)
    slow.wait()

    assert applied is not None
    with Session(engine) as session:
        assert session.get(Copy, joined["member_id"]).status == "active"
    engine.dispose()
