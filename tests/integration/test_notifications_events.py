"""E-mails about events, from the directory's events: in each member's own
language, to everyone signed up, once however often the event arrives."""

import uuid
from datetime import UTC, datetime, timedelta

from services.notifications.models import Delivery
from tests.integration.test_notifications import (
    addressed_to,
    count,
    known,
    member,
    plain,
    tell,
)
from tests.support.waiting import eventually

STARTS = datetime(2027, 3, 28, 9, 0, tzinfo=UTC)  # 10:00 in Wales, clocks forward


def about(**fields) -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "title_cy": "Gweithdy cyd-gynhyrchu",
        "title_en": "Co-production workshop",
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=2),
        **fields,
    }


def test_the_first_waiting_is_told_of_their_place_in_their_language(
    over_smtp, notifications_config
):
    amqp = notifications_config["AMQP_URI"]
    eira = known(amqp, member("cy", name="Eira"), "eira@example.cymru")
    taken = {
        **about(),
        "member_id": eira["member_id"],
        "taken_at": datetime.now(UTC),
    }

    tell(amqp, "PlaceTaken", {**taken, "from_waiting_list": False})
    tell(amqp, "PlaceTaken", {**taken, "from_waiting_list": True})

    (message,) = eventually(over_smtp.messages)
    assert message["Subject"] == "Mae lle i chi: Gweithdy cyd-gynhyrchu"
    assert "28 Mawrth 2027 am 10:00" in plain(message)
    assert f"/events/{taken['event_id']}" in plain(message)


def test_a_new_time_and_a_cancellation_reach_everyone_signed_up_once(
    over_smtp, notifications_config
):
    amqp = notifications_config["AMQP_URI"]
    welsh = known(amqp, member("cy", name="Eira"), "eira@example.cymru")
    english = known(amqp, member("en", name="Sam"), "sam@example.cymru")
    signed_up = [welsh["member_id"], english["member_id"]]
    event = about()
    changed = {
        **event,
        "changed": ["starts_at", "ends_at"],
        "area": "W06000011",
        "online": False,
        "member_ids": signed_up,
        "changed_at": datetime.now(UTC),
    }
    cancelled = {
        **event,
        "reason": "Mae'r neuadd ar gau",
        "member_ids": signed_up,
        "cancelled_at": datetime.now(UTC),
    }

    tell(amqp, "EventChanged", {**changed, "changed": ["description_cy"]})
    tell(amqp, "EventChanged", changed)
    tell(amqp, "EventCancelled", cancelled)
    tell(amqp, "EventCancelled", cancelled)  # a second copy of the event

    eventually(lambda: len(over_smtp.messages()) == 4)
    to_eira = sorted(
        m["Subject"] for m in addressed_to(over_smtp, "eira@example.cymru")
    )
    to_sam = sorted(m["Subject"] for m in addressed_to(over_smtp, "sam@example.cymru"))
    assert to_eira == [
        "Newid i'r digwyddiad: Gweithdy cyd-gynhyrchu",
        "Wedi'i ganslo: Gweithdy cyd-gynhyrchu",
    ]
    assert to_sam == [
        "A change to an event: Co-production workshop",
        "Cancelled: Co-production workshop",
    ]
    url = notifications_config["DATABASE_URL"]
    assert count(url, Delivery.template == "event_cancelled") == 2


def test_a_reminder_is_sent_once_in_the_members_language(
    over_smtp, notifications_config
):
    amqp = notifications_config["AMQP_URI"]
    sam = known(amqp, member("en", name="Sam"), "sam@example.cymru")
    due = {
        **about(title_cy=None),
        "member_id": sam["member_id"],
        "online": False,
        "place_name": "Canolfan Treforys",
        "area": "W06000011",
    }

    tell(amqp, "EventReminderDue", due)
    tell(amqp, "EventReminderDue", due)

    (message,) = eventually(over_smtp.messages)
    assert message["Subject"] == "Tomorrow: Co-production workshop"
    assert "Where: Canolfan Treforys, Swansea" in plain(message)
    url = notifications_config["DATABASE_URL"]
    eventually(lambda: count(url, Delivery.template == "event_reminder") == 1)
