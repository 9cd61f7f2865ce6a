"""The directory service: listings kept from membership's events, search, offers
and requests, the asset map and open data (HSDS). Entrypoints only: each parses,
calls one function of the domain modules, and returns what it shaped."""

from datetime import UTC, datetime, timedelta

from nameko.dependency_providers import Config
from nameko.timer import Timer

from contracts.events.membership import (
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
from infra.validation import parse
from services.directory import (
    eventfeeds,
    eventqueries,
    eventreminders,
    eventviews,
    export,
    hsds,
    listings,
    places,
    queries,
    reviews,
    searchindex,
    sharing,
    views,
    whatson,
)
from services.directory.models import OutboxEvent
from services.directory.schemas import (
    AgreeExchangeSchema,
    AttendanceSchema,
    EventSchema,
    EventSearchSchema,
    FeedSchema,
    HsdsPageSchema,
    ListingEditSchema,
    MapSchema,
    PostSchema,
    PostSearchSchema,
    ReasonSchema,
    RespondSchema,
    SearchSchema,
)
from services.directory.searchindex import Index

MIGRATIONS = "services/directory/migrations"
SEARCH_LOG_KEPT = timedelta(days=1)


class ConfiguredTimer(Timer):
    """A timer whose interval comes from the service's config (`key`)."""

    def __init__(self, key: str, default: float, eager: bool = True, **kwargs):
        self.key, self.default = key, default
        super().__init__(interval=default, eager=eager, **kwargs)

    def setup(self) -> None:
        self.interval = float(self.container.config.get(self.key, self.default))


class DirectoryService(parking.ParkedMessages):
    name = "directory"

    db = Database(MIGRATIONS)
    relay = OutboxRelay(OutboxEvent)
    index = Index()
    config = Config()
    log = RequestLog()

    @event_handler("membership", "MemberJoined")
    def on_member_joined(self, envelope: dict) -> None:
        listings.on_member_snapshot(
            self.db, envelope, MemberJoinedV1().load(envelope["data"])
        )

    @event_handler("membership", "MemberVerified")
    def on_member_verified(self, envelope: dict) -> None:
        data = MemberVerifiedV1().load(envelope["data"])
        listings.on_member_snapshot(self.db, envelope, data)

    @event_handler("membership", "MemberUpdated")
    def on_member_updated(self, envelope: dict) -> None:
        listings.on_member_snapshot(
            self.db, envelope, MemberUpdatedV1().load(envelope["data"])
        )

    @event_handler("membership", "MemberLeft")
    def on_member_left(self, envelope: dict) -> None:
        listings.on_member_left(
            self.db, envelope, MemberLeftV1().load(envelope["data"])
        )

    @ConfiguredTimer.decorator("REVIEW_CHECK_SECONDS", 300)
    def send_due_reviews(self) -> None:
        reviews.send_due(self.db, datetime.now(UTC))

    @ConfiguredTimer.decorator("SEARCH_LOG_PRUNE_SECONDS", 3600)
    def prune_search_log(self) -> None:
        searchindex.prune(self.db, datetime.now(UTC) - SEARCH_LOG_KEPT)

    @ConfiguredTimer.decorator("SEARCH_RECONCILE_SECONDS", 900, eager=False)
    def reconcile_search_index(self) -> None:
        self.index.reconcile(self.db)

    @rpc
    def search(self, query: dict) -> dict:
        """Public listings: `SearchSchema` in; `{"items", "total", "page",
        "per_page", "facets": {"area", "kind", "tag"}}` out."""
        return queries.find_listings(self.db, self.index, parse(SearchSchema(), query))

    @rpc
    def get_listing(self, listing_id: str) -> dict:
        """One public listing; `ListingNotFound` if there is none (or it is hidden)."""
        return queries.listing(self.db, listing_id)

    @rpc
    def get_own_listing(self, member_id: str) -> dict:
        """A member's listing as they see it, public or not."""
        return queries.own_listing(self.db, member_id)

    @rpc
    def edit_listing(self, member_id: str, changes: dict) -> dict:
        """The owner changes their listing; see `ListingEditSchema`."""
        edited = listings.edit(self.db, member_id, parse(ListingEditSchema(), changes))
        return views.own_listing(edited)

    @rpc
    def mark_listing_reviewed(self, member_id: str) -> dict:
        """The owner says their listing is still right; the next review is a year on."""
        return views.own_listing(listings.mark_reviewed(self.db, member_id))

    @rpc
    def search_posts(self, query: dict) -> dict:
        """Open offers and requests: `PostSearchSchema` in, a page out."""
        return queries.find_posts(self.db, parse(PostSearchSchema(), query))

    @rpc
    def get_post(self, post_id: str) -> dict:
        return queries.post(self.db, post_id)

    @rpc
    def post_poster(self, post_id: str) -> str:
        """Who posted a post (for the gateway's access checks)."""
        return sharing.get_post(self.db, post_id).member_id

    @rpc
    def response_parties(self, response_id: str) -> dict:
        """`{"poster_id", "responder_id"}` of a response (for access checks)."""
        return queries.response_parties(self.db, response_id)

    @rpc
    def create_post(self, member_id: str, form: dict) -> dict:
        """An active member offers or asks; see `PostSchema`. Announces
        `OfferPosted` or `RequestPosted`."""
        return views.own_post(
            sharing.post(self.db, member_id, parse(PostSchema(), form))
        )

    @rpc
    def close_post(self, post_id: str) -> dict:
        return views.own_post(sharing.close(self.db, post_id))

    @rpc
    def respond(self, member_id: str, post_id: str, form: dict) -> dict:
        """An active member answers a post; `ResponseSent` takes the message to
        the poster by e-mail. See `RespondSchema`."""
        message = parse(RespondSchema(), form)["message"]
        return views.response(
            sharing.respond(self.db, member_id, post_id, message), None
        )

    @rpc
    def list_responses(self, post_id: str) -> list:
        return queries.responses(self.db, post_id)

    @rpc
    def agree_exchange(self, member_id: str, response_id: str, form: dict) -> dict:
        """One side agrees; with both, `ExchangeAgreed`. See `AgreeExchangeSchema`."""
        hours = parse(AgreeExchangeSchema(), form)["hours"]
        return views.response(
            sharing.agree(self.db, member_id, response_id, hours), None
        )

    @rpc
    def asset_map(self) -> dict:
        """Counts by principal area: members, organisations, offers, requests,
        exchanges (and hours), every area listed, zeros included."""
        return queries.map_counts(self.db)

    @rpc
    def asset_map_svg(self, query: dict) -> str:
        return queries.map_svg(self.db, parse(MapSchema(), query)["lang"])

    @rpc
    def asset_map_csv(self) -> str:
        return queries.map_csv(self.db)

    @rpc
    def hsds_about(self) -> dict:
        """The HSDS version and profile the open data follows."""
        return hsds.about()

    @rpc
    def hsds_services(self, query: dict) -> dict:
        """Public listings as HSDS services, paged as Open Referral UK does."""
        parsed = parse(HsdsPageSchema(), query)
        return queries.hsds_services(self.db, self.index, parsed, self._base_url())

    @rpc
    def hsds_service(self, service_id: str) -> dict:
        return queries.hsds_service(self.db, service_id, self._base_url())

    @rpc
    def hsds_taxonomies(self, query: dict) -> dict:
        return queries.hsds_taxonomies(parse(HsdsPageSchema(), query))

    @rpc
    def hsds_taxonomy(self, taxonomy_id: str) -> dict:
        return queries.hsds_taxonomy(taxonomy_id)

    @rpc
    def hsds_taxonomy_terms(self, query: dict) -> dict:
        return queries.hsds_terms(parse(HsdsPageSchema(), query))

    @rpc
    def hsds_taxonomy_term(self, term_id: str) -> dict:
        return queries.hsds_term(term_id)

    # What's on: events and training

    @ConfiguredTimer.decorator("EVENT_REMINDER_SECONDS", 60)
    def send_event_reminders(self) -> None:
        eventreminders.send_due(self.db, datetime.now(UTC))

    @rpc
    def propose_event(self, member_id: str, form: dict) -> dict:
        """An active member proposes an event (`EventSchema`); a coordinator
        approves it before it is public."""
        proposed = whatson.propose(self.db, member_id, parse(EventSchema(), form))
        return eventviews.event(proposed, show_link=True)

    @rpc
    def approve_event(self, event_id: str) -> dict:
        """A coordinator approves a proposal: `EventPublished`."""
        return eventviews.event(whatson.approve(self.db, event_id), show_link=True)

    @rpc
    def reject_event(self, event_id: str) -> dict:
        return eventviews.event(whatson.reject(self.db, event_id), show_link=True)

    @rpc
    def change_event(self, event_id: str, changes: dict) -> dict:
        """The organiser changes an event (`EventSchema`, only the fields given);
        a public one announces `EventChanged`."""
        changed = whatson.change(self.db, event_id, parse(EventSchema(), changes))
        return eventviews.event(changed, show_link=True)

    @rpc
    def cancel_event(self, event_id: str, form: dict) -> dict:
        """`EventCancelled`, naming everyone signed up, who are told."""
        reason = parse(ReasonSchema(), form)["reason"]
        return eventviews.event(whatson.cancel(self.db, event_id, reason), True)

    @rpc
    def event_owners(self, event_id: str) -> dict:
        """`{"organiser_id", "proposed_by"}` (for the gateway's access checks)."""
        return whatson.owners(self.db, event_id)

    @rpc
    def get_event(self, event_id: str, viewer: str | None) -> dict:
        """A public event, with the viewer's own sign-up (`mine`); the online
        link only for people with a place and the organiser."""
        return eventqueries.one(self.db, event_id, viewer)

    @rpc
    def get_any_event(self, event_id: str) -> dict:
        """Any event in any state (for coordinators)."""
        return eventqueries.any_one(self.db, event_id)

    @rpc
    def search_events(self, query: dict) -> dict:
        """What's on (`EventSearchSchema`): a page, and `by_area` for the map."""
        wanted = parse(EventSearchSchema(), query)
        return eventqueries.find(self.db, wanted, sharing.today())

    @rpc
    def event_proposals(self) -> list:
        return eventqueries.proposals(self.db)

    @rpc
    def sign_up(self, event_id: str, member_id: str) -> dict:
        """A place, or the waiting list when the places are taken; again, the
        same answer. `PlaceTaken` for a place."""
        return eventviews.sign_up(places.sign_up(self.db, event_id, member_id))

    @rpc
    def cancel_place(self, event_id: str, member_id: str) -> dict:
        """Give up a place (`PlaceReleased`); the first waiting takes it."""
        places.cancel(self.db, event_id, member_id)
        return eventviews.sign_up(None)

    @rpc
    def event_attendees(self, event_id: str) -> list:
        """For the organiser: who signed up, names only."""
        return eventqueries.attendees(self.db, event_id)

    @rpc
    def record_attendance(self, event_id: str, form: dict) -> dict:
        """`AttendanceSchema`; `AttendanceRecorded` when the mark changes."""
        mark = parse(AttendanceSchema(), form)
        held = places.record_attendance(
            self.db, event_id, str(mark["member_id"]), mark["attended"]
        )
        return eventviews.sign_up(held)

    @rpc
    def my_events(self, member_id: str) -> list:
        return eventqueries.mine(self.db, member_id)

    @rpc
    def organised_events(self, member_id: str) -> list:
        return eventqueries.organised(self.db, member_id)

    @rpc
    def event_ical(self, event_id: str) -> str:
        """One public event as an iCalendar file."""
        with self.db.begin():
            row = whatson.public(self.db, event_id)
        return eventfeeds.calendar([row], "", self._base_url()).decode()

    @rpc
    def events_feed(self, query: dict) -> str:
        """Every public event (or one principal area's: `{"area": ...}`) as an
        iCalendar feed."""
        area = parse(FeedSchema(), query)["area"]
        rows = eventqueries.public_events(self.db, area)
        name = eventfeeds.feed_name(area)
        return eventfeeds.calendar(rows, name, self._base_url()).decode()

    @rpc
    def export_member(self, member_id: str) -> dict:
        """Everything the directory holds about the member, JSON-ready."""
        return export.export_member(self.db, member_id)

    @rpc
    def ping(self) -> str:
        return "pong"

    def _base_url(self) -> str:
        return str(self.config.get("PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")
