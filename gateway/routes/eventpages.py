"""The pages of what's on: the list with its filters, an event with signing up
and giving a place back, and my events. They call the same directory RPC as
the JSON routes, under the same rules of the access table."""

from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from contracts.errors import InvalidInput
from gateway import pages
from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import filled_args

FILTERS = ("from", "kind", "area", "language", "page")
KINDS = (
    ("event", "Digwyddiad / Event"),
    ("training", "Hyfforddiant / Training"),
    ("meetup", "Cyfarfod / Meet-up"),
    ("online", "Ar-lein / Online"),
)


class EventPagesRoutes(GatewayBase):
    @route("GET", "/events")
    def whats_on_page(self, request: Request) -> Response:
        """What's on, soonest first, with filters that need no script."""
        identity = self.allow(request, "directory.events.search")
        chosen = filled_args(request, *FILTERS)
        try:
            found, errors = self._call(self.directory, "search_events", chosen), None
        except InvalidInput as error:
            found, errors = {"items": [], "total": 0}, error.errors
        return pages.page(
            "whats_on.html", 400 if errors else 200, request=request,
            found=found, chosen=chosen, errors=errors, kinds=KINDS,
            signed_in=identity.is_person,
        )  # fmt: skip

    @route("GET", "/events/<string:event_id>")
    def event_page(self, request: Request, event_id: str) -> Response:
        """One event; a member signed in sees their place and can take one."""
        identity = self.allow(request, "directory.events.view")
        shown = self._call(self.directory, "get_event", event_id, identity.member_id)
        return pages.page(
            "event.html", request=request, event=shown,
            signed_in=identity.is_person, done=request.args.get("done"),
        )  # fmt: skip

    @route("POST", "/events/<string:event_id>/sign-up")
    def sign_up_from_page(self, request: Request, event_id: str) -> Response:
        identity = self.allow(request, "directory.events.sign_up")
        held = self._call(self.directory, "sign_up", event_id, identity.member_id)
        done = "taken" if held["status"] == "place" else "waiting"
        return redirect(f"/events/{event_id}?done={done}", code=303)

    @route("POST", "/events/<string:event_id>/give-up")
    def give_up_from_page(self, request: Request, event_id: str) -> Response:
        identity = self.allow(request, "directory.events.sign_up")
        self._call(self.directory, "cancel_place", event_id, identity.member_id)
        return redirect(f"/events/{event_id}?done=given", code=303)

    @route("GET", "/my/events")
    def my_events_page(self, request: Request) -> Response:
        """The events I signed up to, and those I organise."""
        identity = self.allow(request, "directory.events.sign_up")
        mine = {
            "signed_up": self._call(self.directory, "my_events", identity.member_id),
            "organised": self._call(
                self.directory, "organised_events", identity.member_id
            ),
        }
        return pages.page("my_events.html", request=request, mine=mine)
