"""Signing in without a password, and confirming an address: the link's GET page
shows a button, and only its POST uses the single-use token (mail scanners follow
GET links)."""

from werkzeug.wrappers import Request, Response

from contracts.errors import InvalidInput
from gateway import pages
from gateway.auth import Identity
from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response
from services.membership.replies import ReceivedSchema
from services.membership.schemas import EmailSchema

SIGN_IN_ANSWER = {
    "status": "received",
    "detail": "If the address is a member's, a sign-in link is on its way.",
}


class SessionRoutes(GatewayBase):
    @route(
        "POST",
        "/api/v1/sign-in",
        body=EmailSchema,
        responses={202: (ReceivedSchema, "The same answer for any address.")},
    )
    def request_sign_in(self, request: Request) -> Response:
        """Ask for a sign-in link: `{"email": "…"}`. 202 with the same body
        whether or not the address is a member's (400 only for what is not an
        address at all, 429 past the rate limit)."""
        self.allow(request, "session.request")
        form = json_body(request)
        if isinstance(form, dict):
            self.limits.hit("sign_in", request, email=str(form.get("email") or ""))
        self._call(self.membership, "request_sign_in", form)
        return json_response(SIGN_IN_ANSWER, 202)

    @route("POST", "/api/v1/sign-out", responses={204: "Signed out."})
    def sign_out(self, request: Request) -> Response:
        """End the session of whoever is signed in. Send a JSON body (`{}`) or
        the page's `X-CSRF-Token`, as for any change made with the session."""
        self.allow(request, "session.end")
        response = Response(status=204)
        self.sessions.end(response)
        return response

    @route("GET", "/sign-in/<string:token>")
    def sign_in_page(self, request: Request, token: str) -> Response:
        """The page a sign-in link opens: a button, so that following the link
        uses nothing up."""
        self.allow(request, "session.redeem")
        return pages.page("link.html", request=request, purpose="sign_in", token=token)

    @route("POST", "/sign-in/<string:token>")
    def sign_in(self, request: Request, token: str) -> Response:
        """The button: use the link once and start the session."""
        self.allow(request, "session.redeem")
        return self._redeem(request, "sign_in", token)

    @route("GET", "/confirm/<string:token>")
    def confirm_page(self, request: Request, token: str) -> Response:
        """The page a confirmation link opens: a button to confirm."""
        self.allow(request, "members.confirm")
        return pages.page("link.html", request=request, purpose="confirm", token=token)

    @route("POST", "/confirm/<string:token>")
    def confirm(self, request: Request, token: str) -> Response:
        """The button: confirm the address (the member becomes active) and sign
        in."""
        self.allow(request, "members.confirm")
        return self._redeem(request, "confirm", token)

    def _redeem(self, request: Request, purpose: str, token: str) -> Response:
        try:
            who = self._call(self.membership, purpose, token)
        except InvalidInput:
            return pages.page("link_not_valid.html", 400, request, purpose=purpose)
        response = pages.page(
            "signed_in.html", request=request, purpose=purpose, signed_in=True
        )
        self.sessions.start(response, Identity(who["role"], who["member_id"]))
        return response
