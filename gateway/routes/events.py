"""Routes of what's on (the directory service): events and training sessions,
proposing and approving them, places and waiting lists, attendance, and the
calendar feeds."""

from werkzeug.wrappers import Request, Response

from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response, query_args
from services.directory.schemas import (
    AttendanceSchema,
    EventSchema,
    EventSearchSchema,
    FeedSchema,
    ReasonSchema,
)

EVENTS = "/api/v1/directory/events"
EVENT = EVENTS + "/<string:event_id>"
SEARCH_ARGS = ("q", "from", "to", "kind", "area", "language", "page", "per_page")
CALENDAR = "text/calendar; charset=utf-8"


class EventsRoutes(GatewayBase):
    def _owner(self, request: Request, event_id: str) -> str | None:
        """The asker, when they organise the event or proposed it; else None."""
        owners = self._call(self.directory, "event_owners", event_id).values()
        asking = self.identity(request).member_id
        return asking if asking in owners else None

    @route(
        "GET",
        EVENTS,
        query=EventSearchSchema,
        responses={200: "A page of events, soonest first, with counts by area."},
    )
    def search_events(self, request: Request) -> Response:
        """What's on: `?q=&from=&to=&kind=&area=&language=&page=&per_page=`;
        `by_area` counts what matched in each principal area, for the map."""
        self.allow(request, "directory.events.search")
        query = query_args(request, *SEARCH_ARGS)
        return json_response(self._call(self.directory, "search_events", query))

    @route(
        "POST",
        EVENTS,
        body=EventSchema,
        responses={201: "Proposed; public once a coordinator approves it."},
    )
    def propose_event(self, request: Request) -> Response:
        """Propose an event or training session (times without an offset are
        the clock in Wales)."""
        identity = self.allow(request, "directory.events.propose")
        form = json_body(request)
        made = self._call(self.directory, "propose_event", identity.member_id, form)
        return json_response(made, 201, {"Location": f"{EVENTS}/{made['id']}"})

    @route(
        "GET",
        EVENTS + "/proposals",
        responses={200: "Events waiting for approval, oldest first."},
    )
    def event_proposals(self, request: Request) -> Response:
        """For coordinators: what members proposed."""
        self.allow(request, "directory.events.review")
        return json_response(self._call(self.directory, "event_proposals"))

    @route(
        "GET",
        EVENTS + ".ics",
        query=FeedSchema,
        responses={200: ("text/calendar", "Every public event, as iCalendar.")},
    )
    def events_feed(self, request: Request) -> Response:
        """A feed to subscribe to: every public event, or `?area=` one area's."""
        self.allow(request, "directory.events.calendar")
        feed = self._call(self.directory, "events_feed", query_args(request, "area"))
        return Response(feed, content_type=CALENDAR)

    @route("GET", EVENT + ".ics", responses={200: ("text/calendar", "The event.")})
    def event_ical(self, request: Request, event_id: str) -> Response:
        """One public event as an iCalendar file, to add to a calendar."""
        self.allow(request, "directory.events.calendar")
        ical = self._call(self.directory, "event_ical", event_id)
        headers = {"Content-Disposition": f'attachment; filename="{event_id}.ics"'}
        return Response(ical, content_type=CALENDAR, headers=headers)

    @route("GET", EVENT, responses={200: "The event, with your own sign-up."})
    def get_event(self, request: Request, event_id: str) -> Response:
        """A public event; `mine` says whether you have a place or are waiting.
        The online link is shown only to people with a place."""
        identity = self.allow(request, "directory.events.view")
        if identity.role == "coordinator":
            return json_response(self._call(self.directory, "get_any_event", event_id))
        shown = self._call(self.directory, "get_event", event_id, identity.member_id)
        return json_response(shown)

    @route("PATCH", EVENT, body=EventSchema, responses={200: "The event, changed."})
    def change_event(self, request: Request, event_id: str) -> Response:
        """The organiser changes an event; those signed up hear of a new time
        or place."""
        owner = self._owner(request, event_id)
        self.allow(request, "directory.events.change", owner=owner)
        changes = json_body(request)
        changed = self._call(self.directory, "change_event", event_id, changes)
        return json_response(changed)

    @route("POST", EVENT + "/cancel", body=ReasonSchema, responses={200: "Cancelled."})
    def cancel_event(self, request: Request, event_id: str) -> Response:
        """The organiser cancels; everyone signed up is told."""
        owner = self._owner(request, event_id)
        self.allow(request, "directory.events.cancel", owner=owner)
        form = json_body(request) if request.content_length else {}
        return json_response(self._call(self.directory, "cancel_event", event_id, form))

    @route("POST", EVENT + "/approve", responses={200: "Public now."})
    def approve_event(self, request: Request, event_id: str) -> Response:
        """A coordinator approves a proposed event: it is public now."""
        self.allow(request, "directory.events.review")
        return json_response(self._call(self.directory, "approve_event", event_id))

    @route("POST", EVENT + "/reject", responses={200: "Turned down."})
    def reject_event(self, request: Request, event_id: str) -> Response:
        """A coordinator turns a proposal down; it never becomes public."""
        self.allow(request, "directory.events.review")
        return json_response(self._call(self.directory, "reject_event", event_id))

    @route(
        "POST",
        EVENT + "/places",
        responses={200: "`status`: `place`, or `waiting` when the places are taken."},
    )
    def sign_up(self, request: Request, event_id: str) -> Response:
        """Take a place (or join the waiting list); again, nothing new."""
        identity = self.allow(request, "directory.events.sign_up")
        return json_response(
            self._call(self.directory, "sign_up", event_id, identity.member_id)
        )

    @route("DELETE", EVENT + "/places", responses={200: "Given up."})
    def cancel_place(self, request: Request, event_id: str) -> Response:
        """Give up your place, or your spot on the waiting list."""
        identity = self.allow(request, "directory.events.sign_up")
        return json_response(
            self._call(self.directory, "cancel_place", event_id, identity.member_id)
        )

    @route("GET", EVENT + "/attendees", responses={200: "Names only, never addresses."})
    def attendees(self, request: Request, event_id: str) -> Response:
        """For the organiser: places first, then the waiting list."""
        owner = self._owner(request, event_id)
        self.allow(request, "directory.events.attendees", owner=owner)
        return json_response(self._call(self.directory, "event_attendees", event_id))

    @route(
        "POST",
        EVENT + "/attendance",
        body=AttendanceSchema,
        responses={200: "Marked."},
    )
    def record_attendance(self, request: Request, event_id: str) -> Response:
        """The organiser marks who came, once the event has begun."""
        owner = self._owner(request, event_id)
        self.allow(request, "directory.events.attendance", owner=owner)
        form = json_body(request)
        marked = self._call(self.directory, "record_attendance", event_id, form)
        return json_response(marked)

    @route(
        "GET",
        "/api/v1/directory/members/<string:member_id>/events",
        responses={200: "`signed_up` (with your standing) and `organised`."},
    )
    def member_events(self, request: Request, member_id: str) -> Response:
        """My events: those I signed up to, and those I organise."""
        self.allow(request, "directory.events.mine", owner=member_id)
        return json_response(
            {
                "signed_up": self._call(self.directory, "my_events", member_id),
                "organised": self._call(self.directory, "organised_events", member_id),
            }
        )
