"""The membership service's entrypoints: each parses, calls one domain function
and dumps the result. The rules live in the modules it calls."""

from contracts.events.directory import AttendanceRecordedV1
from contracts.events.stories import FeedbackSubmittedV1
from infra import parking
from infra.db import Database
from infra.events import event_handler
from infra.logs import RequestLog
from infra.outbox import OutboxRelay
from infra.rpc import rpc
from infra.validation import idempotency_key_of, parse
from services.membership import (
    activation,
    apikeys,
    badge_documents,
    drive,
    export,
    housekeeping,
    joining,
    leaving,
    links,
    members,
    principles,
    promises,
    suggestions,
)
from services.membership import replies as r
from services.membership import schemas as s
from services.membership.badges import revoke_by_id
from services.membership.models import OutboxEvent
from services.membership.settings import SettingsProvider
from services.membership.timers import configured_timer
from services.membership.views import badge_view, member_page, promise_page

MIGRATIONS = "services/membership/migrations"


def one(schema: type, field: str, value) -> object:
    """Parse a single argument through the schema that names it."""
    return parse(schema(), {field: value})[field]


class MembershipService(parking.ParkedMessages):
    name = "membership"

    db = Database(MIGRATIONS)
    relay = OutboxRelay(OutboxEvent)
    settings = SettingsProvider()
    log = RequestLog()

    # Joining and links

    @rpc
    def join(self, form: dict, idempotency_key: str | None = None) -> dict:
        """Join the network (see `JoinSchema`). The answer is the same for a new
        and a known address; a repeat with the same key gets the first answer.
        Raises `InvalidInput`, `IdempotencyKeyReused`."""
        key = idempotency_key_of(idempotency_key)
        return joining.join(self.db, self.settings, parse(s.JoinSchema(), form), key)

    @rpc
    def confirm(self, token: str) -> dict:
        """Redeem a confirmation link: the member becomes active. Raises
        `LinkNotValid`. Answers who to sign in: `{member_id, role, status}`."""
        token = one(s.TokenSchema, "token", token)
        member = links.redeem(self.db, self.settings, token, "confirm")
        return r.SignedInSchema().dump(member)

    @rpc
    def request_sign_in(self, form: dict) -> None:
        """Send a sign-in link to `{"email": …}` if it is a member's; nothing says
        whether it was."""
        email = parse(s.EmailSchema(), form)["email"]
        links.request_sign_in(self.db, self.settings, email)

    @rpc
    def sign_in(self, token: str) -> dict:
        """Redeem a sign-in link; `{member_id, role, status}`, or `LinkNotValid`."""
        token = one(s.TokenSchema, "token", token)
        member = links.redeem(self.db, self.settings, token, "sign_in")
        return r.SignedInSchema().dump(member)

    # The member's own record

    @rpc
    def get_member(self, member_id: str) -> dict:
        """A member's whole record (for themselves or a coordinator)."""
        member_id = one(s.MemberIdSchema, "member_id", member_id)
        return r.MemberSchema().dump(members.read_member(self.db, member_id))

    @rpc
    def list_members(self, query: dict) -> dict:
        """Members page by page, optionally by status (for coordinators)."""
        return member_page(
            members.list_members(self.db, **parse(s.MemberListSchema(), query))
        )

    @rpc
    def update_member(self, member_id: str, changes: dict) -> dict:
        """Change profile, language or consents (see `UpdateSchema`);
        `MemberUpdated` names what changed."""
        member_id = one(s.MemberIdSchema, "member_id", member_id)
        member = members.update_member(
            self.db, member_id, parse(s.UpdateSchema(), changes)
        )
        return r.MemberSchema().dump(member)

    @rpc
    def consent_history(self, member_id: str, query: dict) -> dict:
        """Every change to a member's consents, with its time, oldest first."""
        member_id = one(s.MemberIdSchema, "member_id", member_id)
        return members.consent_history(
            self.db, member_id, **parse(s.PageSchema(), query)
        )

    @rpc
    def update_promise(self, member_id: str, form: dict) -> dict:
        """A new version of the member's promise (see `PromiseSchema`)."""
        member_id = one(s.MemberIdSchema, "member_id", member_id)
        promise = promises.update_promise(
            self.db, member_id, parse(s.PromiseSchema(), form)
        )
        return r.PromiseOut().dump(promise)

    @rpc
    def list_promises(self, member_id: str, query: dict) -> dict:
        """Every version of a member's promise, newest first."""
        member_id = one(s.MemberIdSchema, "member_id", member_id)
        found = promises.promises(self.db, member_id, **parse(s.PageSchema(), query))
        return promise_page(found)

    @rpc
    def member_badge(self, member_id: str) -> dict | None:
        """The member's badge with its URLs, or None."""
        member_id = one(s.MemberIdSchema, "member_id", member_id)
        return badge_view(self.db, self.settings, member_id)

    @rpc
    def leave(self, member_id: str, form: dict, reason: str = "left") -> dict:
        """Leave the network (see `LeaveSchema`); `reason` is `removed` when a
        coordinator removes someone."""
        member_id = one(s.MemberIdSchema, "member_id", member_id)
        parsed = parse(s.LeaveSchema(), form)
        reason = one(s.LeaveReasonSchema, "reason", reason)
        member = leaving.leave(self.db, member_id, parsed, reason)
        return {"member_id": member.id, "status": member.status}

    @rpc
    def export_member(self, member_id: str) -> dict:
        """Everything membership holds about the member, JSON-ready."""
        member_id = one(s.MemberIdSchema, "member_id", member_id)
        return export.export_member(self.db, member_id)

    # Principles

    @rpc
    def get_principles(self) -> dict:
        """The current principles, in Welsh and English, with their version."""
        return principles.view(self.db)

    @rpc
    def publish_principles(self, form: dict) -> dict:
        """Make a version of the principles current (`{"version": "2"}`);
        announces `PrinciplesPublished`."""
        version = parse(s.PublishSchema(), form)["version"]
        published = principles.publish(self.db, version)
        return {
            "version": published.version,
            "published_at": published.published_at.isoformat(),
        }

    @rpc
    def agree_to_principles(self, member_id: str, form: dict) -> dict:
        """The member agrees to the current version (`{"version": "2"}`)."""
        member_id = one(s.MemberIdSchema, "member_id", member_id)
        version = parse(s.AgreeSchema(), form)["version"]
        return r.MemberSchema().dump(principles.agree(self.db, member_id, version))

    # The drive

    @rpc
    def set_campaign(self, form: dict) -> dict:
        """Start a drive (see `CampaignSchema`); announces `CampaignSet`."""
        campaign = drive.set_campaign(self.db, parse(s.CampaignSchema(), form))
        return r.CampaignOut().dump(campaign)

    @rpc
    def change_campaign(self, campaign_id: str, changes: dict) -> dict:
        """Change a drive's name, target or dates; announces `CampaignSet`."""
        campaign_id = one(s.CampaignIdSchema, "campaign_id", campaign_id)
        campaign = drive.change_campaign(
            self.db, campaign_id, parse(s.CampaignChangeSchema(), changes)
        )
        return r.CampaignOut().dump(campaign)

    @rpc
    def list_campaigns(self, query: dict) -> dict:
        found = drive.campaigns(self.db, **parse(s.PageSchema(), query))
        return {**found, "items": r.CampaignOut(many=True).dump(found["items"])}

    @rpc
    def drive_progress(self, campaign_id: str) -> dict:
        """Progress of a drive, or of the `current` one (see pace.py)."""
        campaign_id = parse(s.CampaignRefSchema(), {"campaign_id": campaign_id})[
            "campaign_id"
        ]
        report = drive.progress(self.db, campaign_id)
        return {**report, "campaign": r.CampaignOut().dump(report["campaign"])}

    # Badges (public documents)

    @rpc
    def badge_assertion(self, badge_id: str) -> dict:
        """`{"revoked": bool, "document": …}`: the Open Badges 2.0 Assertion, or
        what a revoked badge answers (with 410)."""
        badge_id = one(s.BadgeIdSchema, "badge_id", badge_id)
        return badge_documents.assertion_or_revocation(self.db, self.settings, badge_id)

    @rpc
    def badge_image(self, badge_id: str) -> dict:
        """`{"revoked": bool, "svg": …}`: the badge's image with its number."""
        badge_id = one(s.BadgeIdSchema, "badge_id", badge_id)
        return badge_documents.numbered_image(self.db, self.settings, badge_id)

    @rpc
    def badge_class(self, edition: str) -> dict:
        edition = one(s.EditionSchema, "edition", edition)
        return badge_documents.badge_class(self.settings, edition)

    @rpc
    def badge_class_image(self, edition: str) -> str:
        edition = one(s.EditionSchema, "edition", edition)
        return badge_documents.image(self.settings, edition, None)

    @rpc
    def badge_issuer(self) -> dict:
        return badge_documents.issuer(self.settings)

    @rpc
    def revoke_badge(self, badge_id: str, form: dict) -> dict:
        """Withdraw a badge (coordinators); announces `BadgeRevoked`."""
        badge_id = one(s.BadgeIdSchema, "badge_id", badge_id)
        reason = parse(s.RevokeSchema(), form)["reason"]
        badge = revoke_by_id(self.db, badge_id, reason)
        return {"badge_id": badge.id, "revoked_at": badge.revoked_at.isoformat()}

    # Partner systems' API keys

    @rpc
    def create_api_key(self, form: dict, created_by: str | None = None) -> dict:
        """Make a key for a partner (see `ApiKeySchema`); the answer's `key` is
        the whole key, shown this once and never again."""
        made = apikeys.create(self.db, parse(s.ApiKeySchema(), form), created_by)
        return {**r.ApiKeyOut().dump(made["key"]), "key": made["secret"]}

    @rpc
    def list_api_keys(self, query: dict) -> dict:
        """Keys newest first, without their secrets: `{partner, revoked}`."""
        found = apikeys.keys(self.db, **parse(s.ApiKeyListSchema(), query))
        return {**found, "items": r.ApiKeyOut(many=True).dump(found["items"])}

    @rpc
    def revoke_api_key(self, key_id: str) -> dict:
        """Stop a key working at once; revoking it again changes nothing."""
        key_id = one(s.ApiKeyIdSchema, "key_id", key_id)
        return r.ApiKeyOut().dump(apikeys.revoke(self.db, key_id))

    @rpc
    def authenticate_api_key(self, key: str) -> dict:
        """Who a key speaks for: `{partner_id, scopes}`; `ApiKeyNotValid` when
        it is unknown or revoked."""
        key = one(s.OfferedKeySchema, "key", key)
        return r.PartnerOut().dump(apikeys.authenticate(self.db, key))

    # Suggestions to improve the forms

    @rpc
    def suggest(self, form: dict, member_id: str | None = None) -> dict:
        """Keep a suggestion (see `SuggestionSchema`), a signed-in member's as
        theirs."""
        if member_id is not None:
            member_id = one(s.MemberIdSchema, "member_id", member_id)
        made = suggestions.suggest(
            self.db, parse(s.SuggestionSchema(), form), member_id
        )
        return r.SuggestionOut().dump(made)

    @rpc
    def list_suggestions(self, query: dict) -> dict:
        """Newest first: `{status: open|answered|all, form, member_id}`."""
        found = suggestions.suggestions(
            self.db, **parse(s.SuggestionListSchema(), query)
        )
        return {**found, "items": r.SuggestionOut(many=True).dump(found["items"])}

    @rpc
    def answer_suggestion(
        self, suggestion_id: str, form: dict, by: str | None = None
    ) -> dict:
        """A coordinator's answer (`{"answer": "…"}`); answering again replaces it."""
        suggestion_id = one(s.SuggestionIdSchema, "suggestion_id", suggestion_id)
        text = parse(s.AnswerSchema(), form)["answer"]
        return r.SuggestionOut().dump(
            suggestions.answer(self.db, suggestion_id, text, by)
        )

    # Events and time

    @event_handler("stories", "FeedbackSubmitted")
    def on_feedback_submitted(self, envelope: dict) -> None:
        """Feedback keeps a member active, and makes a lapsed member active."""
        feedback = FeedbackSubmittedV1().load(envelope["data"])
        activation.on_feedback(self.db, envelope, feedback)

    @event_handler("directory", "AttendanceRecorded")
    def on_attendance_recorded(self, envelope: dict) -> None:
        """Coming to an event keeps a member active, as feedback does."""
        attendance = AttendanceRecordedV1().load(envelope["data"])
        activation.on_attendance(self.db, envelope, attendance)

    @configured_timer("HOUSEKEEPING_SECONDS", 60)
    def housekeeping(self) -> None:
        """Remove unconfirmed members, lapse inactive ones, forget stale links."""
        housekeeping.tick(self.db, self.settings)

    @rpc
    def ping(self) -> str:
        return "pong"
