"""Routes of the stories service."""

from werkzeug.wrappers import Request, Response

from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response


class StoriesRoutes(GatewayBase):
    @route("POST", "/api/v1/stories")
    def submit_story(self, request: Request) -> Response:
        self.allow(request, "stories.submit")
        story = self._call(self.stories, "submit_story", json_body(request))
        return json_response(story, 201, {"Location": f"/api/v1/stories/{story['id']}"})
