import logging

from nameko.rpc import rpc

from contracts.events.membership import MemberJoinedV1
from infra.db import Database
from infra.events import event_handler
from infra.logs import RequestLog
from infra.validation import parse
from services.directory import domain
from services.directory.schemas import SearchResultSchema, SearchSchema

logger = logging.getLogger(__name__)

MIGRATIONS = "services/directory/migrations"


class DirectoryService:
    name = "directory"

    db = Database(MIGRATIONS)
    log = RequestLog()

    @event_handler("membership", "MemberJoined")
    def on_member_joined(self, envelope: dict) -> None:
        joined = MemberJoinedV1().load(envelope["data"])
        domain.on_member_joined(self.db, envelope, joined)

    @rpc
    def search(self, query: dict) -> dict:
        """Find listings by text; `{"q": "Caerdydd", "page": 1, "per_page": 20}`."""
        criteria = parse(SearchSchema(), query)
        return SearchResultSchema().dump(domain.search(self.db, **criteria))

    @rpc
    def ping(self) -> str:
        return "pong"
