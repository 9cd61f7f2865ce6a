"""Routes of the membership service."""

from werkzeug.wrappers import Request, Response

from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response
from services.membership.schemas import JoinSchema, MemberSchema


class MembersRoutes(GatewayBase):
    @route(
        "POST",
        "/api/v1/members",
        body=JoinSchema,
        responses={201: (MemberSchema, "Joined; `Location` says where.")},
    )
    def create_member(self, request: Request) -> Response:
        """Join the network. Body: name, email, area, language, listed, promise."""
        self.allow(request, "members.join")
        member = self._call(self.membership, "join", json_body(request))
        location = f"/api/v1/members/{member['id']}"
        return json_response(member, 201, {"Location": location})

    @route(
        "GET",
        "/api/v1/members/<string:member_id>",
        responses={200: MemberSchema},
    )
    def get_member(self, request: Request, member_id: str) -> Response:
        """A member, without their e-mail address."""
        self.allow(request, "members.view", owner=member_id)
        return json_response(self._call(self.membership, "get_member", member_id))
