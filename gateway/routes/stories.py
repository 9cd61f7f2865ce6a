"""Routes of the stories service."""

from werkzeug.wrappers import Request, Response

from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response
from services.stories.schemas import StoryOutSchema, StorySchema


class StoriesRoutes(GatewayBase):
    @route(
        "POST",
        "/api/v1/stories",
        body=StorySchema,
        responses={201: StoryOutSchema},
    )
    def submit_story(self, request: Request) -> Response:
        """Tell a story and how it is signified."""
        self.allow(request, "stories.submit")
        story = self._call(self.stories, "submit_story", json_body(request))
        return json_response(story, 201, {"Location": f"/api/v1/stories/{story['id']}"})
