from nameko.rpc import rpc

from infra.db import Database
from infra.logs import RequestLog
from infra.outbox import OutboxRelay
from infra.validation import parse
from services.stories import domain
from services.stories.models import OutboxEvent
from services.stories.schemas import StoryOutSchema, StorySchema

MIGRATIONS = "services/stories/migrations"


class StoriesService:
    name = "stories"

    db = Database(MIGRATIONS)
    relay = OutboxRelay(OutboxEvent)
    log = RequestLog()

    @rpc
    def submit_story(self, form: dict) -> dict:
        """Keep a story and announce `StorySubmitted`; see `StorySchema`."""
        story = domain.submit_story(self.db, parse(StorySchema(), form))
        return StoryOutSchema().dump(story)

    @rpc
    def ping(self) -> str:
        return "pong"
