"""Routes of the directory service."""

from werkzeug.wrappers import Request, Response

from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_response, query_args
from services.directory.schemas import SearchResultSchema, SearchSchema


class DirectoryRoutes(GatewayBase):
    @route(
        "GET",
        "/api/v1/directory/listings",
        query=SearchSchema,
        responses={200: SearchResultSchema},
    )
    def search_listings(self, request: Request) -> Response:
        """Search listings: `?q=TEXT&page=1&per_page=20`."""
        self.allow(request, "directory.search")
        query = query_args(request, "q", "page", "per_page")
        return json_response(self._call(self.directory, "search", query))
