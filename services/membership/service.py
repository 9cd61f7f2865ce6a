from nameko.rpc import rpc

from infra.db import Database
from infra.logs import RequestLog
from infra.outbox import OutboxRelay
from infra.validation import parse
from services.membership import domain
from services.membership.models import OutboxEvent
from services.membership.schemas import JoinSchema, MemberSchema

MIGRATIONS = "services/membership/migrations"


class MembershipService:
    name = "membership"

    db = Database(MIGRATIONS)
    relay = OutboxRelay(OutboxEvent)
    log = RequestLog()

    @rpc
    def join(self, form: dict) -> dict:
        """Join the network; see `JoinSchema`. Raises `InvalidInput`, `EmailInUse`."""
        member = domain.join(self.db, parse(JoinSchema(), form))
        return MemberSchema().dump(member)

    @rpc
    def get_member(self, member_id: str) -> dict:
        return MemberSchema().dump(domain.get_member(self.db, member_id))

    @rpc
    def ping(self) -> str:
        return "pong"
