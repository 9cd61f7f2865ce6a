"""Routes of the stories service: the framework, stories, feedback, shared
progress and the evaluation (JSON, SVG pictures, CSV and JSON exports).

What a person may see of the evaluation and of stories follows their role:
coordinators every story, members those shared with members or the public,
everyone else the public ones; each teller always sees their own."""

from typing import Any

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from gateway.auth import Identity
from gateway.exceptions import Forbidden
from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response, query_args
from services.stories.schemas import (
    FeedbackSchema,
    GroupSchema,
    ProgressQuerySchema,
    StoryFilterSchema,
    StoryFormSchema,
)

GROUP_ARGS = ("area", "kind", "occasion", "round", "since", "until")
AUDIENCES = {"coordinator": "coordinators", "member": "members"}
IDEMPOTENCY_KEY = (
    "Any printable ASCII up to 200 characters, new for each story (a UUID "
    "will do). Sent again with the same story, it answers as the first time "
    "and keeps nothing new; with a different story, 409."
)


def viewer(identity: Identity) -> dict[str, Any]:
    return {
        "audience": AUDIENCES.get(identity.role, "public"),
        "member_id": identity.member_id,
    }


def group_args(args: MultiDict, prefix: str = "") -> dict[str, Any]:
    """A group's filters from the query string: `area=Caerdydd&occasion=baseline
    &choice.about=community,group` (with `a.` or `b.` before each when two
    groups are compared)."""
    group = {name: args[prefix + name] for name in GROUP_ARGS if prefix + name in args}
    start = f"{prefix}choice."
    choices = {
        key[len(start) :]: [o for value in args.getlist(key) for o in value.split(",")]
        for key in args
        if key.startswith(start)
    }
    return {**group, "choices": choices} if choices else group


def own_body(request: Request, identity: Identity):
    """The JSON body of a signed-in person acting for themselves: a `member_id`
    in it must be their own."""
    body = json_body(request)
    if isinstance(body, dict) and body.get("member_id") not in (
        None,
        identity.member_id,
    ):
        raise Forbidden("You can only do this for yourself.")
    return body


class StoriesRoutes(GatewayBase):
    @route(
        "GET",
        "/api/v1/stories/framework",
        responses={200: "The framework, as published."},
    )
    def get_framework(self, request: Request) -> Response:
        """The signification framework for forms: `?version=1` (default current)."""
        self.allow(request, "stories.framework")
        version = request.args.get("version")
        return json_response(self._call(self.stories, "get_framework", version))

    @route(
        "POST",
        "/api/v1/stories/check",
        body=StoryFormSchema,
        responses={200: "It fits."},
    )
    def check_story(self, request: Request) -> Response:
        """Check a story form against its framework, writing nothing."""
        self.allow(request, "stories.check")
        return json_response(
            self._call(self.stories, "check_story", json_body(request))
        )

    @route(
        "POST",
        "/api/v1/stories",
        body=StoryFormSchema,
        headers={"Idempotency-Key": IDEMPOTENCY_KEY},
        responses={201: "Kept; `Location` says where."},
    )
    def submit_story(self, request: Request) -> Response:
        """Tell a story as the signed-in member; `member_id`, if given, must be
        their own. An `Idempotency-Key` header makes a repeat of the same
        request answer as the first did and keep nothing new, so a client
        whose answer was lost may send it again."""
        me = self.identity(request).member_id
        identity = self.allow(request, "stories.submit", owner=me)
        body = own_body(request, identity)
        form = (
            {**body, "member_id": identity.member_id}
            if isinstance(body, dict)
            else body
        )
        key = request.headers.get("Idempotency-Key")
        story = self._call(self.stories, "submit_story", form, key)
        return json_response(story, 201, {"Location": f"/api/v1/stories/{story['id']}"})

    @route(
        "GET",
        "/api/v1/stories",
        query=StoryFilterSchema,
        responses={200: "A page of stories."},
    )
    def list_stories(self, request: Request) -> Response:
        """Stories the asker may read, newest first: `?area=&principle=&page=
        &per_page=`."""
        identity = self.allow(request, "stories.list")
        wanted = query_args(request, "area", "principle", "page", "per_page")
        query = {**wanted, **viewer(identity)}
        return json_response(self._call(self.stories, "list_stories", query))

    @route("GET", "/api/v1/stories/<string:story_id>", responses={200: "The story."})
    def get_story(self, request: Request, story_id: str) -> Response:
        """One story, if the asker may read it."""
        identity = self.allow(request, "stories.view")
        return json_response(
            self._call(self.stories, "get_story", story_id, viewer(identity))
        )

    @route(
        "POST",
        "/api/v1/feedback",
        body=FeedbackSchema,
        responses={201: "Feedback kept."},
    )
    def submit_feedback(self, request: Request) -> Response:
        """Feedback on the signed-in member's open round: rating, progress,
        principles, and optionally a story."""
        me = self.identity(request).member_id
        identity = self.allow(request, "feedback.submit", owner=me)
        body = own_body(request, identity)
        form = (
            {**body, "member_id": identity.member_id}
            if isinstance(body, dict)
            else body
        )
        return json_response(self._call(self.stories, "submit_feedback", form), 201)

    @route(
        "GET",
        "/api/v1/progress",
        query=ProgressQuerySchema,
        responses={200: "A page of shared progress."},
    )
    def list_progress(self, request: Request) -> Response:
        """Progress members agreed to share: `?area=&principle=&page=&per_page=`."""
        self.allow(request, "progress.view")
        query = query_args(request, "area", "principle", "page", "per_page")
        return json_response(self._call(self.stories, "list_progress", query))

    @route(
        "GET",
        "/api/v1/evaluation",
        query=GroupSchema,
        responses={200: "Counts, none under five."},
    )
    def evaluate(self, request: Request) -> Response:
        """Counts of a group of stories; filters as in `group_args`."""
        identity = self.allow(request, "evaluation.view")
        query = {**viewer(identity), "group": group_args(request.args)}
        return json_response(self._call(self.stories, "evaluate", query))

    @route(
        "GET",
        "/api/v1/evaluation/summary",
        query=GroupSchema,
        responses={200: "Strengths, gaps and priorities."},
    )
    def summarise(self, request: Request) -> Response:
        """Strengths, gaps and priorities of a group, each with its rule."""
        identity = self.allow(request, "evaluation.view")
        query = {**viewer(identity), "group": group_args(request.args)}
        return json_response(self._call(self.stories, "summarise", query))

    @route(
        "GET",
        "/api/v1/evaluation/compare",
        responses={200: "Two groups and their tests."},
    )
    def compare(self, request: Request) -> Response:
        """Two groups: `?a.occasion=baseline&b.round=latest&same_members=true`."""
        identity = self.allow(request, "evaluation.view")
        query = {
            **viewer(identity),
            "a": group_args(request.args, "a."),
            "b": group_args(request.args, "b."),
            **query_args(request, "same_members"),
        }
        return json_response(self._call(self.stories, "compare", query))

    @route(
        "GET",
        "/api/v1/evaluation/charts/<string:question>.svg",
        query=GroupSchema,
        responses={200: ("image/svg+xml", "The picture.")},
    )
    def chart(self, request: Request, question: str) -> Response:
        """A ternary plot (triad) or histogram (dyad): `?language=cy` + filters."""
        identity = self.allow(request, "evaluation.view")
        query = {
            **viewer(identity),
            "group": group_args(request.args),
            "question": question,
            **query_args(request, "language"),
        }
        svg = self._call(self.stories, "chart", query)
        return Response(svg, mimetype="image/svg+xml")

    @route(
        "GET",
        "/api/v1/evaluation/export.<string:kind>",
        query=GroupSchema,
        responses={200: ("text/csv", "One row per story (or JSON).")},
    )
    def export_evaluation(self, request: Request, kind: str) -> Response:
        """Every story of a group, one row each: `export.csv` or `export.json`."""
        identity = self.allow(request, "evaluation.export")
        query = {**viewer(identity), "group": group_args(request.args), "format": kind}
        found = self._call(self.stories, "export_stories", query)
        if found["format"] != "csv":
            return json_response(found)
        return Response(
            found["body"],
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="stories.csv"'},
        )
