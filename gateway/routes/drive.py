"""Routes of the principles and the membership drive."""

from werkzeug.wrappers import Request, Response

from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response, query_args
from services.membership.replies import (
    CampaignOut,
    CampaignPage,
)
from services.membership.schemas import (
    CampaignChangeSchema,
    CampaignSchema,
    PageSchema,
    PublishSchema,
)


class DriveRoutes(GatewayBase):
    @route(
        "GET",
        "/api/v1/principles",
        responses={200: "`{version, published_at, principles: [{id, title, text}]}`."},
    )
    def get_principles(self, request: Request) -> Response:
        """The current co-production principles, in Welsh and English."""
        self.allow(request, "principles.view")
        return json_response(self._call(self.membership, "get_principles"))

    @route(
        "POST",
        "/api/v1/principles",
        body=PublishSchema,
        responses={201: "`{version, published_at}`."},
    )
    def publish_principles(self, request: Request) -> Response:
        """Publish a version of the principles: `{"version": "2"}`; members are
        then asked to agree to it."""
        self.allow(request, "principles.publish")
        form = json_body(request)
        return json_response(
            self._call(self.membership, "publish_principles", form), 201
        )

    @route("GET", "/api/v1/campaigns", query=PageSchema, responses={200: CampaignPage})
    def list_campaigns(self, request: Request) -> Response:
        """Every membership drive, latest deadline first."""
        self.allow(request, "drive.view")
        query = query_args(request, "page", "per_page")
        return json_response(self._call(self.membership, "list_campaigns", query))

    @route(
        "POST", "/api/v1/campaigns", body=CampaignSchema, responses={201: CampaignOut}
    )
    def set_campaign(self, request: Request) -> Response:
        """Start a drive: `{name, target, starts_on, deadline}`."""
        self.allow(request, "drive.set")
        campaign = self._call(self.membership, "set_campaign", json_body(request))
        location = f"/api/v1/campaigns/{campaign['id']}/progress"
        return json_response(campaign, 201, {"Location": location})

    @route(
        "PATCH",
        "/api/v1/campaigns/<string:campaign_id>",
        body=CampaignChangeSchema,
        responses={200: CampaignOut},
    )
    def change_campaign(self, request: Request, campaign_id: str) -> Response:
        """Change a drive's name, target or dates."""
        self.allow(request, "drive.set")
        changes = json_body(request)
        campaign = self._call(self.membership, "change_campaign", campaign_id, changes)
        return json_response(campaign)

    @route(
        "GET",
        "/api/v1/campaigns/<string:campaign_id>/progress",
        responses={
            200: "`{campaign, active_now, target, remaining, by_area, by_week, pace}`."
        },
    )
    def drive_progress(self, request: Request, campaign_id: str) -> Response:
        """Progress now, by principal area and by ISO week, and whether the pace
        of the last 28 days reaches the target; `current` for the running drive."""
        self.allow(request, "drive.view")
        return json_response(self._call(self.membership, "drive_progress", campaign_id))
