"""Routes of the membership service: a member's own record. Signing in, the
drive, the principles and the badges have their own modules, gathered here."""

from eventlet.greenpool import GreenPool
from nameko.exceptions import MethodNotFound, RemoteError
from werkzeug.wrappers import Request, Response

from contracts.errors import InvalidInput
from gateway.exceptions import ServiceUnavailable
from gateway.http import route
from gateway.routes.badges import BadgeRoutes
from gateway.routes.base import SERVICES, GatewayBase
from gateway.routes.drive import DriveRoutes
from gateway.routes.sessions import SessionRoutes
from gateway.web import json_body, json_response, query_args
from services.membership.replies import (
    MemberPage,
    MemberSchema,
    PromiseOut,
    PromisePage,
    ReceivedSchema,
)
from services.membership.schemas import (
    AgreeSchema,
    JoinSchema,
    LeaveSchema,
    MemberListSchema,
    PageSchema,
    PromiseSchema,
    UpdateSchema,
)

PAGING = ("page", "per_page")


class MemberRecordRoutes(GatewayBase):
    @route(
        "POST",
        "/api/v1/members",
        body=JoinSchema,
        headers={
            "Idempotency-Key": "Printable ASCII up to 200 characters: a repeat "
            "of the same request answers as the first did and does nothing."
        },
        responses={202: (ReceivedSchema, "Received; a confirmation link is sent.")},
    )
    def create_member(self, request: Request) -> Response:
        """Join the network (body: see membership's `JoinSchema`). Answers 202 and
        the same body whether or not the address was known; an `Idempotency-Key`
        header makes a repeat answer as the first did and do nothing."""
        self.allow(request, "members.join")
        form = json_body(request)
        if isinstance(form, dict):
            self.limits.hit("join", request, email=str(form.get("email") or ""))
            if form.get("story") is not None:
                self._check_story(form["story"])
        key = request.headers.get("Idempotency-Key")
        return json_response(self._call(self.membership, "join", form, key), 202)

    @route(
        "GET", "/api/v1/members", query=MemberListSchema, responses={200: MemberPage}
    )
    def list_members(self, request: Request) -> Response:
        """Members, page by page: `?status=active&page=1&per_page=20`."""
        self.allow(request, "members.list")
        query = query_args(request, "status", *PAGING)
        return json_response(self._call(self.membership, "list_members", query))

    @route("GET", "/api/v1/members/me", responses={200: MemberSchema})
    def get_me(self, request: Request) -> Response:
        """The record of whoever is signed in."""
        identity = self.allow(request, "members.me")
        member = self._call(self.membership, "get_member", identity.member_id)
        return json_response(member)

    @route("GET", "/api/v1/members/<string:member_id>", responses={200: MemberSchema})
    def get_member(self, request: Request, member_id: str) -> Response:
        """A member's whole record: for themselves, or a coordinator."""
        self.allow(request, "members.view", owner=member_id)
        return json_response(self._call(self.membership, "get_member", member_id))

    @route(
        "PATCH",
        "/api/v1/members/<string:member_id>",
        body=UpdateSchema,
        responses={200: MemberSchema},
    )
    def update_member(self, request: Request, member_id: str) -> Response:
        """Change profile, language or consents; send only what changes."""
        self.allow(request, "members.update", owner=member_id)
        changes = json_body(request)
        member = self._call(self.membership, "update_member", member_id, changes)
        return json_response(member)

    @route(
        "GET",
        "/api/v1/members/<string:member_id>/consents",
        query=PageSchema,
        responses={200: "Each change: consent, given, at; page by page."},
    )
    def consent_history(self, request: Request, member_id: str) -> Response:
        """Every change to the member's consents, with its time."""
        self.allow(request, "members.consents", owner=member_id)
        query = query_args(request, *PAGING)
        found = self._call(self.membership, "consent_history", member_id, query)
        return json_response(found)

    @route(
        "GET",
        "/api/v1/members/<string:member_id>/promises",
        query=PageSchema,
        responses={200: PromisePage},
    )
    def list_promises(self, request: Request, member_id: str) -> Response:
        """Every version of the member's promise, newest first."""
        self.allow(request, "members.promises", owner=member_id)
        query = query_args(request, *PAGING)
        found = self._call(self.membership, "list_promises", member_id, query)
        return json_response(found)

    @route(
        "POST",
        "/api/v1/members/<string:member_id>/promises",
        body=PromiseSchema,
        responses={201: PromiseOut},
    )
    def update_promise(self, request: Request, member_id: str) -> Response:
        """A new version of the member's promise: `{text, focus, by_date}`."""
        self.allow(request, "members.promise", owner=member_id)
        form = json_body(request)
        promise = self._call(self.membership, "update_promise", member_id, form)
        return json_response(promise, 201)

    @route(
        "POST",
        "/api/v1/members/<string:member_id>/principles",
        body=AgreeSchema,
        responses={200: MemberSchema},
    )
    def agree_to_principles(self, request: Request, member_id: str) -> Response:
        """Agree to the current principles: `{"version": "2"}`."""
        self.allow(request, "members.agree", owner=member_id)
        form = json_body(request)
        member = self._call(self.membership, "agree_to_principles", member_id, form)
        return json_response(member)

    @route(
        "GET",
        "/api/v1/members/<string:member_id>/badge",
        responses={200: "`{badge}`: number, edition and URLs, or null."},
    )
    def member_badge(self, request: Request, member_id: str) -> Response:
        """The member's Co-pro Hero Badge, if they have one."""
        self.allow(request, "members.badge", owner=member_id)
        badge = self._call(self.membership, "member_badge", member_id)
        return json_response({"badge": badge})

    @route(
        "POST",
        "/api/v1/members/<string:member_id>/leave",
        body=LeaveSchema,
        responses={200: "`{member_id, status}`; the session ends if it was theirs."},
    )
    def leave(self, request: Request, member_id: str) -> Response:
        """Leave the network: `{"erase": true, "stories": "delete"}`. A
        coordinator removing someone else is recorded as `removed`."""
        identity = self.allow(request, "members.leave", owner=member_id)
        reason = "left" if identity.member_id == member_id else "removed"
        form = json_body(request)
        left = self._call(self.membership, "leave", member_id, form, reason)
        response = json_response(left)
        if reason == "left":
            self.sessions.end(response)
        return response

    @route(
        "GET",
        "/api/v1/members/<string:member_id>/export",
        responses={200: "`{member_id, services: {membership, stories, …}}`."},
    )
    def export(self, request: Request, member_id: str) -> Response:
        """Everything the platform holds about the member, from every service,
        as one JSON document; 503 naming a service that could not answer."""
        self.allow(request, "members.export", owner=member_id)
        first = self._call(self.membership, "export_member", member_id)
        others = [name for name in SERVICES if name != "membership"]
        parts = dict(GreenPool().imap(lambda n: self._export(n, member_id), others))
        return json_response(
            {"member_id": member_id, "services": {"membership": first, **parts}}
        )

    def _check_story(self, story) -> None:
        """The stories service checks a story on the form; its errors are the
        `story` field's."""
        try:
            self._call(self.stories, "check_story", story)
        except InvalidInput as error:
            raise InvalidInput({"story": error.errors}) from error

    def _export(self, name: str, member_id: str) -> tuple[str, dict]:
        try:
            return name, self._call(getattr(self, name), "export_member", member_id)
        except (MethodNotFound, RemoteError) as error:
            raise ServiceUnavailable(f"{name} could not export.") from error


class MembersRoutes(MemberRecordRoutes, SessionRoutes, DriveRoutes, BadgeRoutes):
    """Every route of the membership area."""
