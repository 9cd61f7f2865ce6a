"""The notifications service: e-mail, the calendar, the newsletter, partner
webhooks. Entrypoints only: each reads its input with a schema, calls one
domain function and dumps the answer."""

from datetime import UTC, datetime

from nameko.timer import timer

from infra import parking
from infra.db import Database
from infra.events import event_handler
from infra.logs import RequestLog
from infra.outbox import OutboxRelay
from infra.rpc import rpc
from infra.validation import parse
from services.notifications import (
    deliveries,
    domain,
    eventmails,
    feedback,
    lifecycle,
    mails,
    newsletter,
    newsletter_render,
    privacy,
    sending,
    sources,
    subscriptions,
    webhooks,
)
from services.notifications.fanout import public_events_handler
from services.notifications.inbound import data_of
from services.notifications.mailer import Mailer
from services.notifications.models import OutboxEvent
from services.notifications.schemas import (
    ArchivedSchema,
    ArchiveQuerySchema,
    DeliveryPageSchema,
    DeliveryQuerySchema,
    DeliverySchema,
    IssueEditSchema,
    IssuePageSchema,
    IssueQuerySchema,
    IssueSchema,
    PageSchema,
    PreviewSchema,
    WebhookChangeSchema,
    WebhookFormSchema,
    WebhookLogSchema,
    WebhookPageSchema,
    WebhookSchema,
)
from services.notifications.settings import Configured

MIGRATIONS = "services/notifications/migrations"


def _now() -> datetime:
    return datetime.now(UTC)


class NotificationsService(parking.ParkedMessages):
    name = "notifications"

    db = Database(MIGRATIONS)
    relay = OutboxRelay(OutboxEvent)
    mailer = Mailer()
    settings = Configured()
    log = RequestLog()

    def _send(self, delivery_ids: list[str]) -> None:
        for delivery_id in delivery_ids:
            sending.deliver(self.db, self.mailer, self.settings, delivery_id)

    # --- what members did (membership.events) ---

    @event_handler("membership", "MemberJoined")
    def on_member_joined(self, envelope: dict) -> None:
        """Keep the copy of a member who joined (pending until confirmed)."""
        self._send(lifecycle.snapshot(self.db, envelope, data_of(envelope)))

    @event_handler("membership", "MemberVerified")
    def on_member_verified(self, envelope: dict) -> None:
        """Keep the copy and send the welcome."""
        self._send(lifecycle.snapshot(self.db, envelope, data_of(envelope)))

    @event_handler("membership", "MemberUpdated")
    def on_member_updated(self, envelope: dict) -> None:
        """Keep the copy: status, language, area, consents."""
        self._send(lifecycle.snapshot(self.db, envelope, data_of(envelope)))

    @event_handler("membership", "MemberLeft")
    def on_member_left(self, envelope: dict) -> None:
        """Stop everything to the member; with erase, remove their data."""
        lifecycle.left(self.db, envelope, data_of(envelope))

    @event_handler("membership", "ContactDetailsChanged")
    def on_contact_details_changed(self, envelope: dict) -> None:
        """Keep the newest address, name, language and newsletter consent."""
        lifecycle.contact_changed(self.db, envelope, data_of(envelope))

    @event_handler("membership", "LinkRequested")
    def on_link_requested(self, envelope: dict) -> None:
        """Send the confirm-your-address or sign-in link."""
        link = data_of(envelope)
        self._send(mails.link_requested(self.db, self.settings, envelope, link))

    @event_handler("membership", "AlreadyMember")
    def on_already_member(self, envelope: dict) -> None:
        """Tell the owner of an address that someone tried to join with it."""
        self._send(mails.already_member(self.db, envelope, data_of(envelope)))

    @event_handler("membership", "BadgeAwarded")
    def on_badge_awarded(self, envelope: dict) -> None:
        """Tell the member about their Co-pro Hero Badge."""
        self._send(mails.badge_awarded(self.db, envelope, data_of(envelope)))

    @event_handler("membership", "PrinciplesPublished")
    def on_principles_published(self, envelope: dict) -> None:
        """Ask every active or lapsed member to agree again (sent by the timer)."""
        published = data_of(envelope)
        mails.principles_published(self.db, self.settings, envelope, published)

    @event_handler("membership", "CampaignSet")
    def on_campaign_set(self, envelope: dict) -> None:
        """Keep the drive (target, deadline) for the newsletter."""
        sources.campaign_set(self.db, envelope, data_of(envelope))

    # --- stories.events ---

    @event_handler("stories", "FeedbackRequested")
    def on_feedback_requested(self, envelope: dict) -> None:
        """Send the feedback-due e-mail and schedule its reminder."""
        due = data_of(envelope)
        self._send(feedback.requested(self.db, self.settings, envelope, due))

    @event_handler("stories", "FeedbackSubmitted")
    def on_feedback_submitted(self, envelope: dict) -> None:
        """Cancel that round's reminder; keep shared progress for the newsletter."""
        feedback.submitted(self.db, envelope, data_of(envelope))

    @event_handler("stories", "StorySubmitted")
    def on_story_submitted(self, envelope: dict) -> None:
        """Keep a public story for the newsletter."""
        sources.story_submitted(self.db, envelope, data_of(envelope))

    # --- directory.events ---

    @event_handler("directory", "ResponseSent")
    def on_response_sent(self, envelope: dict) -> None:
        """Pass a response on to whoever posted the offer or request."""
        answer = data_of(envelope)
        self._send(mails.response_sent(self.db, self.settings, envelope, answer))

    @event_handler("directory", "ListingReviewDue")
    def on_listing_review_due(self, envelope: dict) -> None:
        """Ask the owner of a year-old listing to look at it."""
        review = data_of(envelope)
        self._send(mails.listing_review_due(self.db, self.settings, envelope, review))

    @event_handler("directory", "OfferPosted")
    def on_offer_posted(self, envelope: dict) -> None:
        """Keep an open offer for the newsletter."""
        sources.posted(self.db, envelope, "offer", data_of(envelope))

    @event_handler("directory", "RequestPosted")
    def on_request_posted(self, envelope: dict) -> None:
        """Keep an open request for the newsletter."""
        sources.posted(self.db, envelope, "request", data_of(envelope))

    @event_handler("directory", "PlaceTaken")
    def on_place_taken(self, envelope: dict) -> None:
        """Tell the first on a waiting list that a place is theirs."""
        taken = data_of(envelope)
        self._send(eventmails.place_taken(self.db, self.settings, envelope, taken))

    @event_handler("directory", "EventChanged")
    def on_event_changed(self, envelope: dict) -> None:
        """A new time or place: tell everyone signed up."""
        changed = data_of(envelope)
        self._send(eventmails.event_changed(self.db, self.settings, envelope, changed))

    @event_handler("directory", "EventCancelled")
    def on_event_cancelled(self, envelope: dict) -> None:
        """Tell everyone signed up that the event will not happen."""
        cancelled = data_of(envelope)
        self._send(
            eventmails.event_cancelled(self.db, self.settings, envelope, cancelled)
        )

    @event_handler("directory", "EventReminderDue")
    def on_event_reminder_due(self, envelope: dict) -> None:
        """The reminder a day before, in the member's language."""
        due = data_of(envelope)
        self._send(eventmails.reminder_due(self.db, self.settings, envelope, due))

    # --- every public event, for partners ---

    @public_events_handler()
    def on_public_event(self, envelope: dict) -> None:
        """Queue the event for each partner subscription that chose its type."""
        data_of(envelope)
        webhooks.fan_out(self.db, envelope)

    # --- timers ---

    @timer(interval=1)
    def send_due(self) -> None:
        domain.send_tick(self.db, self.mailer, self.settings, _now())

    @timer(interval=2)
    def calendar_tick(self) -> None:
        domain.calendar_tick(self.db, self.settings, _now())

    @timer(interval=1)
    def webhooks_due(self) -> None:
        domain.webhook_tick(self.db, self.settings, _now())

    # --- RPC: health and privacy ---

    @rpc
    def ping(self) -> str:
        """Health: "pong"."""
        return "pong"

    @rpc
    def export_member(self, member_id: str) -> dict:
        """Everything this service holds about a member, JSON-ready."""
        return privacy.export(self.db, member_id)

    # --- RPC: the delivery log (coordinators) ---

    @rpc
    def deliveries(self, query: dict) -> dict:
        """The delivery log: `{"status": "sent", "template": "welcome", "page": 1}`."""
        criteria = parse(DeliveryQuerySchema(), query)
        status = criteria.pop("status", None)
        found = deliveries.page_of(
            self.db,
            statuses=(status,) if status else (),
            template=criteria.get("template"),
            member_id=str(criteria["member_id"]) if "member_id" in criteria else None,
            page=criteria["page"],
            per_page=criteria["per_page"],
        )
        return DeliveryPageSchema().dump(found)

    @rpc
    def failed_deliveries(self, query: dict) -> dict:
        """Messages that failed after every try, or may not have gone."""
        paging = parse(PageSchema(), query)
        found = deliveries.page_of(self.db, statuses=("failed", "uncertain"), **paging)
        return DeliveryPageSchema().dump(found)

    @rpc
    def send_again(self, delivery_id: str) -> dict:
        """Send a failed or uncertain message once more."""
        return DeliverySchema().dump(deliveries.send_again(self.db, delivery_id))

    # --- RPC: the newsletter ---

    @rpc
    def draft_newsletter(self, coordinator_id: str | None) -> dict:
        """A new draft issue generated from what happened since the last one."""
        return IssueSchema().dump(newsletter.draft(self.db, coordinator_id, _now()))

    @rpc
    def newsletter_issues(self, query: dict) -> dict:
        """Issues, newest first: `{"status": "draft", "page": 1}`."""
        criteria = parse(IssueQuerySchema(), query)
        status = criteria.pop("status", None)
        found = newsletter.issues(self.db, (status,) if status else (), **criteria)
        return IssuePageSchema().dump(found)

    @rpc
    def newsletter_issue(self, issue_id: str) -> dict:
        """One issue with its content. Raises `IssueNotFound`."""
        with self.db.begin():
            return IssueSchema().dump(newsletter.get(self.db, issue_id))

    @rpc
    def edit_newsletter(self, issue_id: str, changes: dict) -> dict:
        """Change a draft; see `IssueEditSchema`. Raises `IssueNotDraft`."""
        edits = parse(IssueEditSchema(), changes)
        return IssueSchema().dump(newsletter.edit(self.db, issue_id, edits))

    @rpc
    def preview_newsletter(self, issue_id: str, query: dict) -> dict:
        """Subject, text and HTML of the issue in `cy`, `en` or `both`."""
        language = parse(PreviewSchema(), query)["language"]
        chosen = None if language == "both" else language
        return newsletter_render.preview(self.db, self.settings, issue_id, chosen)

    @rpc
    def send_newsletter(self, issue_id: str) -> dict:
        """Start sending a draft to every subscriber; answers its progress."""
        return newsletter.send(self.db, issue_id, _now())

    @rpc
    def newsletter_progress(self, issue_id: str) -> dict:
        """How far sending has got: recipients, sent, failed, to_go."""
        return newsletter.progress(self.db, issue_id)

    @rpc
    def newsletter_archive(self, query: dict) -> dict:
        """Published issues, newest first (for the public archive page)."""
        paging = parse(PageSchema(), query)
        found = newsletter.issues(self.db, newsletter.PUBLISHED, **paging)
        return IssuePageSchema().dump(found)

    @rpc
    def archived_newsletter(self, query: dict) -> dict:
        """One published issue as the web shows it: `{"number": 3}`."""
        wanted = parse(ArchiveQuerySchema(), query)
        found = newsletter_render.archived(self.db, self.settings, **wanted)
        return ArchivedSchema().dump(found)

    # --- RPC: unsubscribing (the token is the only authority) ---

    @rpc
    def check_unsubscribe(self, token: str) -> dict:
        """Whether an unsubscribe link is good; changes nothing."""
        return subscriptions.check(self.db, self.settings, token)

    @rpc
    def unsubscribe(self, token: str) -> dict:
        """Stop the newsletter for the link's subscription."""
        return subscriptions.unsubscribe(self.db, self.settings, token)

    # --- RPC: partner webhooks (`owner` is the partner's id) ---

    @rpc
    def webhook_event_types(self) -> list[str]:
        """The event types a partner may choose: the public ones."""
        return list(webhooks.PUBLIC_TYPES)

    @rpc
    def register_webhook(self, owner: str, form: dict) -> dict:
        """Register an endpoint; the answer shows its secret this once."""
        fields = parse(WebhookFormSchema(), form)
        row, secret = webhooks.register(self.db, self.settings, owner, fields)
        return {**WebhookSchema().dump(row), "secret": secret}

    @rpc
    def webhooks(self, owner: str, query: dict) -> dict:
        """The partner's subscriptions (never their secrets)."""
        paging = parse(PageSchema(), query)
        return WebhookPageSchema().dump(webhooks.listing(self.db, owner, **paging))

    @rpc
    def webhook(self, owner: str, subscription_id: str) -> dict:
        """One of the partner's subscriptions. Raises `WebhookNotFound`."""
        return WebhookSchema().dump(webhooks.get(self.db, owner, subscription_id))

    @rpc
    def change_webhook(self, owner: str, subscription_id: str, form: dict) -> dict:
        """Change an endpoint; `{"status": "active"}` resumes a paused one."""
        fields = parse(WebhookChangeSchema(partial=True), form)
        row = webhooks.change(self.db, self.settings, owner, subscription_id, fields)
        return WebhookSchema().dump(row)

    @rpc
    def remove_webhook(self, owner: str, subscription_id: str) -> None:
        """Delete a subscription; what was still to go is cancelled."""
        webhooks.remove(self.db, owner, subscription_id)

    @rpc
    def webhook_deliveries(self, owner: str, subscription_id: str, query: dict):
        """What was sent to the endpoint and what came back, newest first."""
        paging = parse(PageSchema(), query)
        found = webhooks.log(self.db, owner, subscription_id, **paging)
        return WebhookLogSchema().dump(found)
