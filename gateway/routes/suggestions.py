"""Routes of suggestions to improve the site's forms: the "suggest an
improvement" page behind each form, and the coordinators' list to answer them."""

from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from contracts.errors import InvalidInput
from gateway import i18n, pages
from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.routes.system import local_path
from gateway.web import json_body, json_response, query_args
from services.membership.replies import SuggestionOut, SuggestionPage
from services.membership.schemas import (
    FORMS,
    AnswerSchema,
    SuggestionListSchema,
    SuggestionSchema,
)

LIST_ARGS = ("status", "form", "page", "per_page")
COORDINATOR_PAGE = "/coordinators/suggestions"


def suggestion_form(form, language: str) -> dict:
    chosen = form.get("form", "other")
    return {
        "form": chosen if chosen in FORMS else "other",
        "text": form.get("text", ""),
        "email": form.get("email", "").strip() or None,
        "language": language,
    }


class SuggestionRoutes(GatewayBase):
    @route(
        "POST",
        "/api/v1/suggestions",
        body=SuggestionSchema,
        responses={201: (SuggestionOut, "Kept for the coordinators.")},
    )
    def make_suggestion(self, request: Request) -> Response:
        """Suggest an improvement to one of the forms; anyone may. Limited per
        client address."""
        who = self.allow(request, "suggestions.make")
        self.limits.hit("suggest", request)
        form = json_body(request)
        made = self._call(self.membership, "suggest", form, who.member_id)
        return json_response(made, 201)

    @route(
        "GET",
        "/api/v1/suggestions",
        query=SuggestionListSchema,
        responses={200: SuggestionPage},
    )
    def list_suggestions(self, request: Request) -> Response:
        """Suggestions newest first: `?status=open|answered|all&form=join`."""
        self.allow(request, "suggestions.read")
        query = query_args(request, *LIST_ARGS)
        return json_response(self._call(self.membership, "list_suggestions", query))

    @route(
        "POST",
        "/api/v1/suggestions/<string:suggestion_id>/answer",
        body=AnswerSchema,
        responses={200: SuggestionOut},
    )
    def answer_suggestion(self, request: Request, suggestion_id: str) -> Response:
        """Answer a suggestion: `{"answer": "…"}`."""
        who = self.allow(request, "suggestions.answer")
        form = json_body(request)
        answered = self._call(
            self.membership, "answer_suggestion", suggestion_id, form, who.member_id
        )
        return json_response(answered)

    # --- pages ---

    @route("GET", "/suggest")
    def suggestion_page(self, request: Request) -> Response:
        """The form to suggest an improvement to another form (`?form=join`)."""
        who = self.allow(request, "suggestions.make")
        form = suggestion_form(request.args, i18n.negotiate(request))
        return self._suggestion_page(request, who, form, {})

    @route("POST", "/suggest")
    def suggestion_sent(self, request: Request) -> Response:
        who = self.allow(request, "suggestions.make")
        self.limits.hit("suggest", request)
        form = suggestion_form(request.form, i18n.negotiate(request))
        if who.is_person:
            form["email"] = None
        try:
            self._call(self.membership, "suggest", form, who.member_id)
        except InvalidInput as error:
            errors = pages.flat_errors(error.errors)
            return self._suggestion_page(request, who, form, errors, 400)
        back = local_path(request.form.get("back", "/"))
        return pages.page("suggested.html", request=request, back=back)

    def _suggestion_page(self, request, who, form, errors, status=200) -> Response:
        mine = []
        if who.is_person:
            query = {"status": "all", "member_id": who.member_id, "per_page": 10}
            mine = self._call(self.membership, "list_suggestions", query)["items"]
        back = local_path(request.values.get("back", "/"))
        return pages.page(
            "suggest.html", status, request, form=form, errors=errors,
            mine=mine, back=back, signed_in_person=who.is_person,
        )  # fmt: skip

    @route("GET", COORDINATOR_PAGE)
    def coordinator_suggestions(self, request: Request) -> Response:
        """Suggestions for coordinators to read and answer (`?status=`)."""
        self.allow(request, "suggestions.read")
        query = {"status": "open", **query_args(request, *LIST_ARGS)}
        found = self._call(self.membership, "list_suggestions", query)
        return pages.page(
            "coordinator_suggestions.html", request=request, found=found,
            showing=query["status"], forms=FORMS,
        )  # fmt: skip

    @route("POST", COORDINATOR_PAGE + "/<string:suggestion_id>/answer")
    def coordinator_answer(self, request: Request, suggestion_id: str) -> Response:
        who = self.allow(request, "suggestions.answer")
        form = {"answer": request.form.get("answer", "")}
        self._call(
            self.membership, "answer_suggestion", suggestion_id, form, who.member_id
        )
        status = request.form.get("status", "open")
        status = status if status in ("open", "answered", "all") else "open"
        return redirect(f"{COORDINATOR_PAGE}?status={status}#answered", code=303)
