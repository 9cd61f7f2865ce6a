from datetime import UTC, datetime

from nameko.rpc import rpc
from nameko.timer import timer

from contracts.events.membership import ContactDetailsChangedV1, MemberJoinedV1
from infra.db import Database
from infra.events import event_handler
from infra.logs import RequestLog
from infra.outbox import OutboxRelay
from services.notifications import domain
from services.notifications.mailer import Mailer
from services.notifications.models import OutboxEvent

MIGRATIONS = "services/notifications/migrations"


class NotificationsService:
    name = "notifications"

    db = Database(MIGRATIONS)
    relay = OutboxRelay(OutboxEvent)
    mailer = Mailer()
    log = RequestLog()

    @event_handler("membership", "MemberJoined")
    def on_member_joined(self, envelope: dict) -> None:
        joined = MemberJoinedV1().load(envelope["data"])
        delivery_id = domain.queue_welcome(self.db, envelope, joined)
        if delivery_id:
            domain.deliver(self.db, self.mailer, delivery_id)

    @event_handler("membership", "ContactDetailsChanged")
    def on_contact_details_changed(self, envelope: dict) -> None:
        details = ContactDetailsChangedV1().load(envelope["data"])
        domain.on_contact_details_changed(self.db, envelope, details)

    @timer(interval=1)
    def retry_due(self) -> None:
        for delivery_id in domain.due(self.db, datetime.now(UTC)):
            domain.deliver(self.db, self.mailer, delivery_id)

    @rpc
    def ping(self) -> str:
        return "pong"
