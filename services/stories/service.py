"""The stories service: the signification framework, stories, feedback rounds
and the evaluation. Entrypoints parse, call one domain function, and dump."""

import logging

from contracts.events.membership import (
    BaselineStoryToldV1,
    MemberJoinedV1,
    MemberLeftV1,
    MemberUpdatedV1,
    MemberVerifiedV1,
)
from infra import parking
from infra.db import Database
from infra.events import event_handler
from infra.logs import RequestLog
from infra.outbox import OutboxRelay
from infra.rpc import rpc
from infra.validation import idempotency_key_of, parse
from services.stories import (
    capture,
    evaluation,
    export,
    feedback,
    members,
    rounds,
    summary,
)
from services.stories.exceptions import FrameworkNotFound
from services.stories.framework import current, find
from services.stories.models import OutboxEvent
from services.stories.schemas import (
    ChartQuerySchema,
    CompareQuerySchema,
    EvaluationQuerySchema,
    ExportQuerySchema,
    FeedbackSchema,
    ProgressQuerySchema,
    StoriesQuerySchema,
    StoryFormSchema,
    SubmitStorySchema,
    ViewerSchema,
)

logger = logging.getLogger(__name__)

MIGRATIONS = "services/stories/migrations"


class StoriesService(parking.ParkedMessages):
    name = "stories"

    db = Database(MIGRATIONS)
    relay = OutboxRelay(OutboxEvent)
    log = RequestLog()

    @rpc
    def get_framework(self, version: str | None = None) -> dict:
        """The framework (current, or `version`) as published, for forms."""
        found = find(str(version)) if version else current()
        if found is None:
            raise FrameworkNotFound(f"There is no framework version {version}.")
        return found.raw

    @rpc
    def check_story(self, story: dict) -> dict:
        """Validate a story form against its framework version; writes nothing.
        Raises `InvalidInput` naming each question that does not fit."""
        form = parse(StoryFormSchema(), story)
        return {"ok": True, "framework_version": form["framework_version"]}

    @rpc
    def submit_story(self, form: dict, idempotency_key: str | None = None) -> dict:
        """Keep a member's story and announce `StorySubmitted`. With an
        `idempotency_key`, a repeat of the same request answers as the first
        did and keeps nothing new. Raises `InvalidInput`, `IdempotencyKeyReused`."""
        key = idempotency_key_of(idempotency_key)
        story = parse(SubmitStorySchema(), form)
        return capture.submit_story(self.db, story, key, form)

    @rpc
    def get_story(self, story_id: str, viewer: dict) -> dict:
        """One story, if `viewer` (`{"audience", "member_id"}`) may read it."""
        return capture.get_story(self.db, story_id, parse(ViewerSchema(), viewer))

    @rpc
    def list_stories(self, query: dict) -> dict:
        """Stories `query`'s viewer may read, newest first, paged."""
        return capture.list_stories(self.db, parse(StoriesQuerySchema(), query))

    @rpc
    def submit_feedback(self, form: dict) -> dict:
        """Progress on the promise for a round; emits `FeedbackSubmitted`."""
        return feedback.submit_feedback(self.db, parse(FeedbackSchema(), form))

    @rpc
    def list_progress(self, query: dict) -> dict:
        """Progress members agreed to share, newest first: area, principle."""
        return feedback.list_progress(self.db, parse(ProgressQuerySchema(), query))

    @rpc
    def evaluate(self, query: dict) -> dict:
        """Counts of one group of stories, none under five; see `GroupSchema`."""
        return evaluation.evaluate(self.db, parse(EvaluationQuerySchema(), query))

    @rpc
    def compare(self, query: dict) -> dict:
        """Two groups side by side, with significance tests."""
        from services.stories import compare  # numpy and scipy: on first use

        return compare.compare(self.db, parse(CompareQuerySchema(), query))

    @rpc
    def summarise(self, query: dict) -> dict:
        """Strengths, gaps and priorities of a group, each with its rule."""
        found = evaluation.evaluate(self.db, parse(EvaluationQuerySchema(), query))
        return summary.summarise(found)

    @rpc
    def chart(self, query: dict) -> str:
        """SVG of one triad (ternary plot) or dyad (histogram)."""
        from services.stories import charts  # matplotlib: on first use

        return charts.chart(self.db, parse(ChartQuerySchema(), query))

    @rpc
    def export_stories(self, query: dict) -> dict:
        """A group's stories, one row each, as CSV or JSON."""
        return export.export(self.db, parse(ExportQuerySchema(), query))

    @rpc
    def export_member(self, member_id: str) -> dict:
        """Everything this service holds about the member, JSON-ready."""
        return export.export_member(self.db, str(member_id))

    @event_handler("membership", "MemberJoined")
    def on_member_joined(self, envelope: dict) -> None:
        snapshot = MemberJoinedV1().load(envelope["data"])
        members.on_member_changed(self.db, envelope, snapshot)

    @event_handler("membership", "MemberVerified")
    def on_member_verified(self, envelope: dict) -> None:
        snapshot = MemberVerifiedV1().load(envelope["data"])
        members.on_member_changed(self.db, envelope, snapshot)

    @event_handler("membership", "MemberUpdated")
    def on_member_updated(self, envelope: dict) -> None:
        snapshot = MemberUpdatedV1().load(envelope["data"])
        members.on_member_changed(self.db, envelope, snapshot)

    @event_handler("membership", "MemberLeft")
    def on_member_left(self, envelope: dict) -> None:
        members.on_member_left(self.db, envelope, MemberLeftV1().load(envelope["data"]))

    @event_handler("membership", "BaselineStoryTold")
    def on_baseline_story_told(self, envelope: dict) -> None:
        told = BaselineStoryToldV1().load(envelope["data"])
        capture.on_baseline_story_told(self.db, envelope, told)

    @rounds.rounds_timer(interval=60)
    def request_due_rounds(self) -> None:
        """Ask for every feedback round that fell due (`FeedbackRequested`)."""
        rounds.request_due_rounds(self.db, rounds.utc_now())

    @rpc
    def ping(self) -> str:
        return "pong"
