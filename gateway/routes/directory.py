"""Routes of the directory service: listings and search, offers and requests,
the asset map, and open data as Open Referral HSDS."""

from werkzeug.wrappers import Request, Response

from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response, query_args
from services.directory.schemas import (
    AgreeExchangeSchema,
    HsdsPageSchema,
    ListingEditSchema,
    MapSchema,
    PostSchema,
    PostSearchSchema,
    RespondSchema,
    SearchSchema,
)

SEARCH_ARGS = ("q", "area", "kind", "tag", "lat", "lon", "within_km", "facets")
POST_ARGS = ("q", "kind", "category", "area", "tag")
PAGING = ("page", "per_page")
HSDS_ARGS = ("page", "per_page", "search", "taxonomy_term_id")
LISTING = "/api/v1/directory/members/<string:member_id>/listing"
POST = "/api/v1/directory/posts/<string:post_id>"
HSDS = "/api/v1/directory/hsds"


class DirectoryRoutes(GatewayBase):
    @route(
        "GET",
        "/api/v1/directory/listings",
        query=SearchSchema,
        responses={200: "A page of listings, with facets."},
    )
    def search_listings(self, request: Request) -> Response:
        """Search public listings: `?q=&area=&kind=&tag=&lat=&lon=&within_km=
        &facets=&page=&per_page=`."""
        self.allow(request, "directory.search")
        query = query_args(request, *SEARCH_ARGS, *PAGING)
        return json_response(self._call(self.directory, "search", query))

    @route(
        "GET",
        "/api/v1/directory/listings/<string:listing_id>",
        responses={200: "The public listing."},
    )
    def get_listing(self, request: Request, listing_id: str) -> Response:
        """One public listing; 404 when there is none, or it is not public."""
        self.allow(request, "directory.listings.view")
        return json_response(self._call(self.directory, "get_listing", listing_id))

    @route("GET", LISTING, responses={200: "The listing as its owner sees it."})
    def get_own_listing(self, request: Request, member_id: str) -> Response:
        """A member's own listing, public or not, with when its review is due."""
        self.allow(request, "directory.listings.view_own", owner=member_id)
        return json_response(self._call(self.directory, "get_own_listing", member_id))

    @route(
        "PATCH",
        LISTING,
        body=ListingEditSchema,
        responses={200: "The listing as changed."},
    )
    def edit_listing(self, request: Request, member_id: str) -> Response:
        """Change what your listing says; see the directory's ListingEditSchema."""
        self.allow(request, "directory.listings.edit", owner=member_id)
        changes = json_body(request)
        return json_response(
            self._call(self.directory, "edit_listing", member_id, changes)
        )

    @route(
        "POST", LISTING + "/review", responses={200: "Reviewed; due again in a year."}
    )
    def review_listing(self, request: Request, member_id: str) -> Response:
        """The owner says their listing is still right."""
        self.allow(request, "directory.listings.review", owner=member_id)
        reviewed = self._call(self.directory, "mark_listing_reviewed", member_id)
        return json_response(reviewed)

    @route(
        "GET",
        "/api/v1/directory/posts",
        query=PostSearchSchema,
        responses={200: "A page of open offers and requests, newest first."},
    )
    def search_posts(self, request: Request) -> Response:
        """Open offers and requests: `?q=&kind=&category=&area=&tag=&page=`."""
        self.allow(request, "directory.posts.search")
        query = query_args(request, *POST_ARGS, *PAGING)
        return json_response(self._call(self.directory, "search_posts", query))

    @route(
        "POST",
        "/api/v1/directory/posts",
        body=PostSchema,
        responses={201: "Posted; `Location` says where."},
    )
    def create_post(self, request: Request) -> Response:
        """Offer or ask for time, skills, experience or resources."""
        identity = self.allow(request, "directory.posts.create")
        form = json_body(request)
        made = self._call(self.directory, "create_post", identity.member_id, form)
        return json_response(
            made, 201, {"Location": f"/api/v1/directory/posts/{made['id']}"}
        )

    @route("GET", POST, responses={200: "The offer or request."})
    def get_post(self, request: Request, post_id: str) -> Response:
        """One offer or request; the poster is named only if they are listed."""
        self.allow(request, "directory.posts.view")
        return json_response(self._call(self.directory, "get_post", post_id))

    @route("POST", POST + "/close", responses={200: "Closed."})
    def close_post(self, request: Request, post_id: str) -> Response:
        """The poster takes their offer or request down."""
        poster = self._call(self.directory, "post_poster", post_id)
        self.allow(request, "directory.posts.close", owner=poster)
        return json_response(self._call(self.directory, "close_post", post_id))

    @route(
        "POST",
        POST + "/responses",
        body=RespondSchema,
        responses={201: "Sent to the poster."},
    )
    def respond(self, request: Request, post_id: str) -> Response:
        """Answer an offer or request; the poster gets the message by e-mail.
        Limited per client address and per member (`gateway.limits`)."""
        identity = self.allow(request, "directory.posts.respond")
        self.limits.hit("respond", request, member=identity.member_id)
        form = json_body(request)
        sent = self._call(self.directory, "respond", identity.member_id, post_id, form)
        return json_response(sent, 201)

    @route("GET", POST + "/responses", responses={200: "The responses, oldest first."})
    def list_responses(self, request: Request, post_id: str) -> Response:
        """What members answered, for the poster."""
        poster = self._call(self.directory, "post_poster", post_id)
        self.allow(request, "directory.responses.view", owner=poster)
        return json_response(self._call(self.directory, "list_responses", post_id))

    @route(
        "POST",
        "/api/v1/directory/responses/<string:response_id>/agree",
        body=AgreeExchangeSchema,
        responses={200: "The response, with who has agreed."},
    )
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

    @route("GET", "/api/v1/directory/map", responses={200: "Counts by principal area."})
    def asset_map(self, request: Request) -> Response:
        """Counts by principal area, as JSON."""
        self.allow(request, "directory.map.view")
        return json_response(self._call(self.directory, "asset_map"))

    @route(
        "GET",
        "/api/v1/directory/map.svg",
        query=MapSchema,
        responses={200: ("image/svg+xml", "The map of the 22 principal areas.")},
    )
    def asset_map_svg(self, request: Request) -> Response:
        """The asset map as a picture: `?lang=cy|en` (both when absent)."""
        self.allow(request, "directory.map.view")
        svg = self._call(self.directory, "asset_map_svg", query_args(request, "lang"))
        return Response(svg, mimetype="image/svg+xml")

    @route(
        "GET",
        "/api/v1/directory/map.csv",
        responses={200: ("text/csv", "The counts as a table.")},
    )
    def asset_map_csv(self, request: Request) -> Response:
        """The same counts as a table."""
        self.allow(request, "directory.map.view")
        table = self._call(self.directory, "asset_map_csv")
        return Response(table, mimetype="text/csv")

    @route("GET", HSDS, responses={200: "The HSDS version and profile followed."})
    def hsds_about(self, request: Request) -> Response:
        """About the open data: HSDS 3.0, Open Referral UK profile."""
        self.allow(request, "directory.hsds.view")
        return json_response(self._call(self.directory, "hsds_about"))

    @route(
        "GET",
        HSDS + "/services",
        query=HsdsPageSchema,
        responses={200: "A page of HSDS services."},
    )
    def hsds_services(self, request: Request) -> Response:
        """Public listings as HSDS services: `?page=&per_page=&search=
        &taxonomy_term_id=`, paged as Open Referral UK does."""
        self.allow(request, "directory.hsds.view")
        query = query_args(request, *HSDS_ARGS)
        return json_response(self._call(self.directory, "hsds_services", query))

    @route(
        "GET",
        HSDS + "/services/<string:service_id>",
        responses={200: "A fully nested HSDS service."},
    )
    def hsds_service(self, request: Request, service_id: str) -> Response:
        """One public listing as an HSDS service."""
        self.allow(request, "directory.hsds.view")
        return json_response(self._call(self.directory, "hsds_service", service_id))

    @route("GET", HSDS + "/taxonomies", responses={200: "A page of taxonomies."})
    def hsds_taxonomies(self, request: Request) -> Response:
        """The directory's vocabulary, as an HSDS taxonomy."""
        self.allow(request, "directory.hsds.view")
        query = query_args(request, *PAGING)
        return json_response(self._call(self.directory, "hsds_taxonomies", query))

    @route(
        "GET",
        HSDS + "/taxonomies/<string:taxonomy_id>",
        responses={200: "The taxonomy."},
    )
    def hsds_taxonomy(self, request: Request, taxonomy_id: str) -> Response:
        """One taxonomy."""
        self.allow(request, "directory.hsds.view")
        return json_response(self._call(self.directory, "hsds_taxonomy", taxonomy_id))

    @route(
        "GET", HSDS + "/taxonomy_terms", responses={200: "A page of taxonomy terms."}
    )
    def hsds_taxonomy_terms(self, request: Request) -> Response:
        """The terms of the vocabulary, with their Welsh names."""
        self.allow(request, "directory.hsds.view")
        query = query_args(request, *PAGING)
        return json_response(self._call(self.directory, "hsds_taxonomy_terms", query))

    @route(
        "GET",
        HSDS + "/taxonomy_terms/<string:term_id>",
        responses={200: "The taxonomy term."},
    )
    def hsds_taxonomy_term(self, request: Request, term_id: str) -> Response:
        """One taxonomy term."""
        self.allow(request, "directory.hsds.view")
        return json_response(self._call(self.directory, "hsds_taxonomy_term", term_id))
