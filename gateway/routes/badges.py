"""The Co-pro Hero Badge as Open Badges 2.0 hosted documents (public), and its
revocation (coordinators)."""

from werkzeug.wrappers import Request, Response

from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response
from services.membership.schemas import RevokeSchema

LD = "application/ld+json"


def linked_data(document: dict, status: int = 200) -> Response:
    response = json_response(document, status)
    response.mimetype = LD
    return response


def svg(text: str, status: int = 200) -> Response:
    return Response(text, status=status, mimetype="image/svg+xml")


class BadgeRoutes(GatewayBase):
    @route("GET", "/badges/issuer")
    def badge_issuer(self, request: Request) -> Response:
        """The Issuer profile (Open Badges 2.0)."""
        self.allow(request, "badges.view")
        return linked_data(self._call(self.membership, "badge_issuer"))

    @route("GET", "/badges/editions/<string:edition>")
    def badge_class(self, request: Request, edition: str) -> Response:
        """The BadgeClass of an edition (Open Badges 2.0)."""
        self.allow(request, "badges.view")
        return linked_data(self._call(self.membership, "badge_class", edition))

    @route("GET", "/badges/editions/<string:edition>/image.svg")
    def badge_class_image(self, request: Request, edition: str) -> Response:
        """The edition's image, without a number."""
        self.allow(request, "badges.view")
        return svg(self._call(self.membership, "badge_class_image", edition))

    @route("GET", "/badges/<string:badge_id>")
    def badge_assertion(self, request: Request, badge_id: str) -> Response:
        """The badge's Assertion; 410 once it is revoked."""
        self.allow(request, "badges.view")
        found = self._call(self.membership, "badge_assertion", badge_id)
        return linked_data(found["document"], 410 if found["revoked"] else 200)

    @route("GET", "/badges/<string:badge_id>/image.svg")
    def badge_image(self, request: Request, badge_id: str) -> Response:
        """The badge's image with its number; 410 once revoked."""
        self.allow(request, "badges.view")
        found = self._call(self.membership, "badge_image", badge_id)
        return svg(found["svg"], 410 if found["revoked"] else 200)

    @route(
        "POST",
        "/api/v1/badges/<string:badge_id>/revoke",
        body=RevokeSchema,
        responses={200: "`{badge_id, revoked_at}`."},
    )
    def revoke_badge(self, request: Request, badge_id: str) -> Response:
        """Withdraw a badge: `{"reason": "…"}`."""
        self.allow(request, "badges.revoke")
        form = json_body(request)
        return json_response(
            self._call(self.membership, "revoke_badge", badge_id, form)
        )
