"""The network's public pages, rendered on the server without scripts: the
directory with its map, offers and requests, the progress and stories members
chose to share, and the evaluation (in full for coordinators)."""

from typing import Any

from werkzeug.wrappers import Request, Response

from contracts.errors import InvalidInput
from gateway import pages
from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.routes.stories import group_args, viewer
from gateway.web import filled_args
from services.stories import framework

SEARCH_ARGS = ("q", "area", "kind", "tag", "page")
POST_ARGS = ("q", "kind", "category", "area", "tag", "page")
PROGRESS_ARGS = ("area", "principle", "page")
PER_PAGE = 20
CHARTED = ("triad", "dyad")


def found_or_errors(call, *args) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A search's answer, or nothing and what to fix in the filters."""
    try:
        return call(*args), {}
    except InvalidInput as error:
        return {"items": [], "total": 0, "page": 1}, pages.flat_errors(error.errors)


def paging(found: dict[str, Any], args: dict[str, str]) -> dict[str, Any]:
    """Query strings of the pages before and after this one, filters kept."""
    page = int(found.get("page") or 1)
    per_page = int(found.get("per_page") or PER_PAGE)
    kept = {key: value for key, value in args.items() if key != "page" and value}
    last = max(1, -(-int(found.get("total") or 0) // per_page))
    return {
        "page": page,
        "last": last,
        "before": {**kept, "page": min(page - 1, last)} if page > 1 else None,
        "after": {**kept, "page": page + 1} if page < last else None,
    }


def charted_questions() -> list[framework.Question]:
    return [q for q in framework.current().questions if q.type in CHARTED]


class NetworkPages(GatewayBase):
    @route("GET", "/directory")
    def directory_page(self, request: Request) -> Response:
        """Search the directory: words, area, kind and tag; the asset map."""
        self.allow(request, "directory.search")
        args = filled_args(request, *SEARCH_ARGS)
        query = {**args, "per_page": PER_PAGE}
        found, errors = found_or_errors(self._search, "search", query)
        return pages.page(
            "directory.html", 400 if errors else 200, request, args=args,
            found=found, errors=errors, pager=paging(found, args),
        )  # fmt: skip

    @route("GET", "/directory/offers-and-requests")
    def posts_page(self, request: Request) -> Response:
        """Open offers and requests of time, skills, experience and resources."""
        self.allow(request, "directory.posts.search")
        args = filled_args(request, *POST_ARGS)
        query = {**args, "per_page": PER_PAGE}
        found, errors = found_or_errors(self._search, "search_posts", query)
        return pages.page(
            "posts.html", 400 if errors else 200, request, args=args,
            found=found, errors=errors, pager=paging(found, args),
        )  # fmt: skip

    @route("GET", "/progress")
    def progress_page(self, request: Request) -> Response:
        """Progress on their promises that members shared, newest first, by
        area and principle; and the stories the reader may see."""
        who = self.allow(request, "progress.view")
        args = filled_args(request, *PROGRESS_ARGS)
        query = {**args, "per_page": PER_PAGE}
        found, errors = found_or_errors(self._progress, query)
        wanted = {**(args if not errors else {}), "page": 1, "per_page": 10}
        stories = self._call(self.stories, "list_stories", {**wanted, **viewer(who)})
        return pages.page(
            "progress.html", 400 if errors else 200, request, args=args,
            found=found, errors=errors, pager=paging(found, args),
            stories=stories["items"],
        )  # fmt: skip

    @route("GET", "/evaluation")
    def evaluation_page(self, request: Request) -> Response:
        """The patterns in the stories shared with the reader's audience: the
        public ones for everyone, all of them for coordinators."""
        who = self.allow(request, "evaluation.view")
        group = group_args(request.args)
        query = {**viewer(who), "group": group}
        try:
            summary = self._call(self.stories, "summarise", query)
            counts = self._call(self.stories, "evaluate", query)
            errors = {}
        except InvalidInput as error:
            summary, counts = {"lines": [], "suppressed": True}, {"stories": None}
            errors = pages.flat_errors(error.errors)
        full = who.role == "coordinator"
        change = self._change_since(who, group) if full and not errors else None
        return pages.page(
            "evaluation.html", 400 if errors else 200, request,
            summary=summary, counts=counts, errors=errors, group=group,
            questions=charted_questions(), full=full, change=change,
            labels={q.id: q.label for q in framework.current().questions},
            chart_query=filled_args(request, "area", "occasion", "round"),
        )  # fmt: skip

    def _change_since(self, who, group: dict) -> dict:
        """The same tellers' stories on joining against their newest round."""
        within = {k: v for k, v in group.items() if k not in ("occasion", "round")}
        compared = {
            **viewer(who),
            "a": {**within, "occasion": "baseline"},
            "b": {**within, "round": "latest"},
            "same_members": True,
        }
        return self._call(self.stories, "compare", compared)

    def _search(self, method: str, query: dict) -> dict:
        return self._call(self.directory, method, query)

    def _progress(self, query: dict) -> dict:
        return self._call(self.stories, "list_progress", query)
