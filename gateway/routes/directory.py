"""Routes of the directory service: listings and search, offers and requests,
the asset map, and open data as Open Referral HSDS."""

from werkzeug.wrappers import Request, Response

from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response, query_args

SEARCH_ARGS = ("q", "area", "kind", "tag", "lat", "lon", "within_km", "facets")
POST_ARGS = ("q", "kind", "category", "area", "tag")
PAGING = ("page", "per_page")
HSDS_ARGS = ("page", "per_page", "search", "taxonomy_term_id")
LISTING = "/api/v1/directory/members/<string:member_id>/listing"
POST = "/api/v1/directory/posts/<string:post_id>"
HSDS = "/api/v1/directory/hsds"


class DirectoryRoutes(GatewayBase):
    @route("GET", "/api/v1/directory/listings")
    def search_listings(self, request: Request) -> Response:
        """Search public listings: `?q=&area=&kind=&tag=&lat=&lon=&within_km=
        &facets=&page=&per_page=`."""
        self.allow(request, "directory.search")
        query = query_args(request, *SEARCH_ARGS, *PAGING)
        return json_response(self._call(self.directory, "search", query))

    @route("GET", "/api/v1/directory/listings/<string:listing_id>")
    def get_listing(self, request: Request, listing_id: str) -> Response:
        self.allow(request, "directory.listings.view")
        return json_response(self._call(self.directory, "get_listing", listing_id))

    @route("GET", LISTING)
    def get_own_listing(self, request: Request, member_id: str) -> Response:
        self.allow(request, "directory.listings.view_own", owner=member_id)
        return json_response(self._call(self.directory, "get_own_listing", member_id))

    @route("PATCH", LISTING)
    def edit_listing(self, request: Request, member_id: str) -> Response:
        """Change what your listing says; see the directory's ListingEditSchema."""
        self.allow(request, "directory.listings.edit", owner=member_id)
        changes = json_body(request)
        return json_response(
            self._call(self.directory, "edit_listing", member_id, changes)
        )

    @route("POST", LISTING + "/review")
    def review_listing(self, request: Request, member_id: str) -> Response:
        self.allow(request, "directory.listings.review", owner=member_id)
        reviewed = self._call(self.directory, "mark_listing_reviewed", member_id)
        return json_response(reviewed)

    @route("GET", "/api/v1/directory/posts")
    def search_posts(self, request: Request) -> Response:
        """Open offers and requests: `?q=&kind=&category=&area=&tag=&page=`."""
        self.allow(request, "directory.posts.search")
        query = query_args(request, *POST_ARGS, *PAGING)
        return json_response(self._call(self.directory, "search_posts", query))

    @route("POST", "/api/v1/directory/posts")
    def create_post(self, request: Request) -> Response:
        identity = self.allow(request, "directory.posts.create")
        form = json_body(request)
        made = self._call(self.directory, "create_post", identity.member_id, form)
        return json_response(
            made, 201, {"Location": f"/api/v1/directory/posts/{made['id']}"}
        )

    @route("GET", POST)
    def get_post(self, request: Request, post_id: str) -> Response:
        self.allow(request, "directory.posts.view")
        return json_response(self._call(self.directory, "get_post", post_id))

    @route("POST", POST + "/close")
    def close_post(self, request: Request, post_id: str) -> Response:
        poster = self._call(self.directory, "post_poster", post_id)
        self.allow(request, "directory.posts.close", owner=poster)
        return json_response(self._call(self.directory, "close_post", post_id))

    @route("POST", POST + "/responses")
    def respond(self, request: Request, post_id: str) -> Response:
        """Answer an offer or request; the poster gets the message by e-mail."""
        identity = self.allow(request, "directory.posts.respond")
        form = json_body(request)
        sent = self._call(self.directory, "respond", identity.member_id, post_id, form)
        return json_response(sent, 201)

    @route("GET", POST + "/responses")
    def list_responses(self, request: Request, post_id: str) -> Response:
        poster = self._call(self.directory, "post_poster", post_id)
        self.allow(request, "directory.responses.view", owner=poster)
        return json_response(self._call(self.directory, "list_responses", post_id))

    @route("POST", "/api/v1/directory/responses/<string:response_id>/agree")
    def agree_exchange(self, request: Request, response_id: str) -> Response:
        """Poster or responder agrees the exchange (`{"hours": 2}` for time)."""
        parties = self._call(self.directory, "response_parties", response_id)
        asking = self.identity(request).member_id
        owner = asking if asking in parties.values() else parties["poster_id"]
        identity = self.allow(request, "directory.exchanges.agree", owner=owner)
        form = json_body(request) if request.content_length else {}
        agreed = self._call(
            self.directory, "agree_exchange", identity.member_id, response_id, form
        )
        return json_response(agreed)

    @route("GET", "/api/v1/directory/map")
    def asset_map(self, request: Request) -> Response:
        """Counts by principal area, as JSON."""
        self.allow(request, "directory.map.view")
        return json_response(self._call(self.directory, "asset_map"))

    @route("GET", "/api/v1/directory/map.svg")
    def asset_map_svg(self, request: Request) -> Response:
        """The asset map as a picture: `?lang=cy|en` (both when absent)."""
        self.allow(request, "directory.map.view")
        svg = self._call(self.directory, "asset_map_svg", query_args(request, "lang"))
        return Response(svg, mimetype="image/svg+xml")

    @route("GET", "/api/v1/directory/map.csv")
    def asset_map_csv(self, request: Request) -> Response:
        """The same counts as a table."""
        self.allow(request, "directory.map.view")
        table = self._call(self.directory, "asset_map_csv")
        return Response(table, mimetype="text/csv")

    @route("GET", HSDS)
    def hsds_about(self, request: Request) -> Response:
        self.allow(request, "directory.hsds.view")
        return json_response(self._call(self.directory, "hsds_about"))

    @route("GET", HSDS + "/services")
    def hsds_services(self, request: Request) -> Response:
        """Public listings as HSDS services: `?page=&per_page=&search=
        &taxonomy_term_id=`, paged as Open Referral UK does."""
        self.allow(request, "directory.hsds.view")
        query = query_args(request, *HSDS_ARGS)
        return json_response(self._call(self.directory, "hsds_services", query))

    @route("GET", HSDS + "/services/<string:service_id>")
    def hsds_service(self, request: Request, service_id: str) -> Response:
        self.allow(request, "directory.hsds.view")
        return json_response(self._call(self.directory, "hsds_service", service_id))

    @route("GET", HSDS + "/taxonomies")
    def hsds_taxonomies(self, request: Request) -> Response:
        self.allow(request, "directory.hsds.view")
        query = query_args(request, *PAGING)
        return json_response(self._call(self.directory, "hsds_taxonomies", query))

    @route("GET", HSDS + "/taxonomies/<string:taxonomy_id>")
    def hsds_taxonomy(self, request: Request, taxonomy_id: str) -> Response:
        self.allow(request, "directory.hsds.view")
        return json_response(self._call(self.directory, "hsds_taxonomy", taxonomy_id))

    @route("GET", HSDS + "/taxonomy_terms")
    def hsds_taxonomy_terms(self, request: Request) -> Response:
        self.allow(request, "directory.hsds.view")
        query = query_args(request, *PAGING)
        return json_response(self._call(self.directory, "hsds_taxonomy_terms", query))

    @route("GET", HSDS + "/taxonomy_terms/<string:term_id>")
    def hsds_taxonomy_term(self, request: Request, term_id: str) -> Response:
        self.allow(request, "directory.hsds.view")
        return json_response(self._call(self.directory, "hsds_taxonomy_term", term_id))
