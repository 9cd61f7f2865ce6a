"""The calendar: each due item runs exactly once, at the time the clocks in
Wales say, across the March and October clock changes, restarts and several
running copies."""

import subprocess
import sys
import uuid
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from infra.migrate import upgrade
from services.notifications import calendar, feedback, members
from services.notifications.models import Delivery, ScheduledJob
from services.notifications.service import MIGRATIONS, NotificationsService
from services.notifications.settings import Settings
from tests.support.amqp import publish_event
from tests.support.members import contact, snapshot
from tests.support.waiting import eventually

ROOT = Path(__file__).parents[2]
SETTINGS = Settings(reminder_days=7, reminder_time=time(10, 0))


@pytest.fixture
def session(notifications_config):
    engine = make_engine(notifications_config["DATABASE_URL"])
    upgrade(engine, MIGRATIONS)
    yield sessionmaker(engine, expire_on_commit=False)()
    engine.dispose()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def ticking(session, start: str, end: str, daily: dict, step=timedelta(minutes=10)):
    """Tick the calendar every `step` from `start` to `end`; when each run was."""
    ran: list[datetime] = []

    def record(session, settings, job, now) -> None:
        ran.append(now)

    now, stop = utc(start), utc(end)
    while now <= stop:
        calendar.tick(session, SETTINGS, now, {"daily_test": record}, daily)
        now += step
    return ran


def test_a_daily_item_at_half_past_one_runs_once_a_day_across_the_march_change(
    session,
):
    ran = ticking(
        session, "2027-03-27T00:00", "2027-03-29T06:00", {"daily_test": time(1, 30)}
    )

    # 27th: 01:30 GMT. 28th: 01:30 does not exist; it runs at 02:30 BST (01:30
    # UTC). 29th: 01:30 BST is 00:30 UTC.
    assert ran == [
        utc("2027-03-27T01:30"),
        utc("2027-03-28T01:30"),
        utc("2027-03-29T00:30"),
    ]


def test_a_daily_item_at_half_past_one_runs_once_on_the_october_day_it_repeats(
    session,
):
    ran = ticking(
        session, "2027-10-30T00:00", "2027-11-01T06:00", {"daily_test": time(1, 30)}
    )

    # 31st: 01:30 comes twice (00:30 UTC in BST, 01:30 UTC in GMT); only the first.
    assert ran == [
        utc("2027-10-30T00:30"),
        utc("2027-10-31T00:30"),
        utc("2027-11-01T01:30"),
    ]


@pytest.mark.parametrize(
    ("requested", "reminded"),
    [
        ("2027-03-25T12:00", "2027-04-01T09:00"),  # asked in GMT, reminded in BST
        ("2027-10-28T12:00", "2027-11-04T10:00"),  # asked in BST, reminded in GMT
        ("2027-03-27T23:30", "2027-04-03T09:00"),  # 23:30 UTC is still the 27th
        ("2027-10-30T23:30", "2027-11-07T10:00"),  # 23:30 UTC is the 31st in BST
    ],
)
def test_the_reminder_falls_at_ten_by_the_clock_in_wales_seven_days_on(
    session, requested, reminded
):
    member_id = known_member(session)
    envelope = {"id": str(uuid.uuid4()), "type": "FeedbackRequested"}
    asked = {
        "member_id": member_id,
        "round": 1,
        "due_on": date(2027, 12, 1),
        "requested_at": utc(requested),
    }

    feedback.requested(session, SETTINGS, envelope, asked)

    with session.begin():
        job = session.scalar(
            select(ScheduledJob).where(ScheduledJob.member_id == member_id)
        )
        assert job.due_at == utc(reminded)


def known_member(session) -> str:
    data = snapshot("Elen", language="cy")
    with session.begin():
        members.keep_snapshot(session, data)
        members.keep_contact(session, contact(data))
    return data["member_id"]


def test_an_item_whose_work_fails_runs_again_later_and_then_only_once(session):
    calls: list[str] = []

    def flaky(session, settings, job, now) -> None:
        calls.append(job.key)
        if len(calls) == 1:
            raise RuntimeError("the database went away mid-item")

    now = utc("2027-06-01T09:00")
    with session.begin():
        calendar.schedule(session, "flaky", "flaky:1", now, {})

    calendar.tick(session, SETTINGS, now, {"flaky": flaky}, {})
    calendar.tick(session, SETTINGS, now + timedelta(minutes=1), {"flaky": flaky}, {})
    calendar.tick(session, SETTINGS, now + timedelta(minutes=5), {"flaky": flaky}, {})
    calendar.tick(session, SETTINGS, now + timedelta(hours=5), {"flaky": flaky}, {})

    assert calls == ["flaky:1", "flaky:1"]
    with session.begin():
        job = session.scalar(select(ScheduledJob).where(ScheduledJob.key == "flaky:1"))
        assert (job.status, job.attempts) == ("done", 1)


def test_two_copies_as_processes_run_every_item_exactly_once(
    session, notifications_config, tmp_path
):
    keys = [f"item:{n}" for n in range(120)]
    past = datetime.now(UTC) - timedelta(minutes=1)
    with session.begin():
        for key in keys:
            calendar.schedule(session, "test_item", key, past, {})
    run_log = tmp_path / "runs.log"
    command = [
        sys.executable,
        "-m",
        "tests.support.calendar_copy",
        notifications_config["DATABASE_URL"],
        str(run_log),
    ]

    copies = [
        subprocess.Popen(command, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
        for _ in range(2)
    ]
    assert [copy.wait(120) for copy in copies] == [0, 0]

    assert Counter(run_log.read_text().split()) == Counter(keys)


def test_two_running_services_on_one_database_send_each_reminder_once(
    container_factory, notifications_config, smtp_sink, session
):
    settings = {
        **notifications_config,
        "SMTP_URL": smtp_sink.url,
        "FEEDBACK_REMINDER_DAYS": 0,
        "REMINDER_HOUR": 0,
    }
    for _ in range(2):
        container_factory(NotificationsService, settings).start()
    amqp = settings["AMQP_URI"]
    people = [snapshot(f"Aelod {n}", language="en") for n in range(4)]
    for data in people:
        publish_event(amqp, "ContactDetailsChanged", data["member_id"], contact(data))
        publish_event(amqp, "MemberVerified", data["member_id"], data)
    eventually(lambda: len(smtp_sink.messages()) == 4)

    for data in people:
        publish_event(
            amqp,
            "FeedbackRequested",
            data["member_id"],
            {
                "member_id": data["member_id"],
                "round": 1,
                "due_on": date.today() + timedelta(days=30),
                "requested_at": datetime.now(UTC),
            },
        )

    eventually(lambda: reminders_sent(session) == 4, timeout=40)
    subjects = Counter(m["Subject"] for m in smtp_sink.messages())
    assert subjects["Time to tell us how your Promise is going"] == 4
    assert subjects["A reminder: how is your Promise going?"] == 4
    assert len(smtp_sink.messages()) == 12


def reminders_sent(session) -> int:
    with session.begin():
        found = session.scalars(
            select(Delivery).where(
                (Delivery.template == "feedback_reminder") & (Delivery.status == "sent")
            )
        ).all()
    return len(found)


def test_feedback_before_the_reminder_means_no_reminder(
    container_factory, notifications_config, smtp_sink, session
):
    settings = {**notifications_config, "SMTP_URL": smtp_sink.url}
    container_factory(NotificationsService, settings).start()
    amqp = settings["AMQP_URI"]
    data = snapshot("Osian", language="cy")
    publish_event(amqp, "ContactDetailsChanged", data["member_id"], contact(data))
    publish_event(amqp, "MemberUpdated", data["member_id"], {**data, "changed": []})
    round_ = {"member_id": data["member_id"], "round": 2}
    publish_event(
        amqp,
        "FeedbackRequested",
        data["member_id"],
        {**round_, "due_on": date(2027, 1, 31), "requested_at": datetime.now(UTC)},
    )
    (due,) = eventually(smtp_sink.messages)

    publish_event(
        amqp,
        "FeedbackSubmitted",
        data["member_id"],
        {
            **round_,
            "feedback_id": str(uuid.uuid4()),
            "rating": 4,
            "shared": False,
            "submitted_at": datetime.now(UTC),
        },
    )

    assert due["Subject"] == "Mae'n amser dweud sut mae'ch Addewid yn mynd"
    eventually(lambda: reminder_status(session) == "cancelled")
    later = datetime.now(UTC) + timedelta(days=30)
    assert calendar.tick(session, SETTINGS, later, {}, {}) == 0
    assert len(smtp_sink.messages()) == 1


def reminder_status(session) -> str | None:
    with session.begin():
        return session.scalar(
            select(ScheduledJob.status).where(ScheduledJob.kind == "feedback_reminder")
        )
