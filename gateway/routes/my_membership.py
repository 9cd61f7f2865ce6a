"""The member's own pages: signing in by e-mail link, and "My membership" with
its status, promise, feedback due, badge, consents, their data, and leaving.
Each form posts to its own address and comes back to the page; an error shows
the page again with what was typed."""

import json
from typing import Any

from eventlet.greenpool import GreenPool
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from contracts.errors import Conflict, InvalidInput
from gateway import my_page, pages
from gateway.http import route
from gateway.routes.base import SERVICES, GatewayBase

PAGE = "/me"


class MyMembershipRoutes(GatewayBase):
    @route("GET", "/sign-in")
    def sign_in_form(self, request: Request) -> Response:
        """The page that asks for an address to send a sign-in link to."""
        self.allow(request, "session.request")
        return pages.page("sign_in.html", request=request, form={}, errors={})

    @route("POST", "/sign-in")
    def send_sign_in_link(self, request: Request) -> Response:
        """Send a link; the same answer whether or not the address is a member's."""
        self.allow(request, "session.request")
        form = {"email": request.form.get("email", "")}
        self.limits.hit("sign_in", request, email=form["email"])
        try:
            self._call(self.membership, "request_sign_in", form)
        except InvalidInput as error:
            errors = pages.flat_errors(error.errors)
            return pages.page("sign_in.html", 400, request, form=form, errors=errors)
        return pages.page("sign_in_sent.html", request=request)

    @route("POST", "/sign-out")
    def sign_out_page(self, request: Request) -> Response:
        """The page's sign-out button."""
        self.allow(request, "session.end")
        response = redirect("/", code=303)
        self.sessions.end(response)
        return response

    @route("GET", "/me")
    def my_membership(self, request: Request) -> Response:
        """Status, promise, feedback due, badge, consents, data and leaving."""
        member_id = self.identity(request).member_id
        if member_id is None:
            return redirect("/sign-in", code=303)
        self.allow(request, "members.view", owner=member_id)
        return self._page(request, member_id)

    @route("POST", "/me/promise")
    def change_promise(self, request: Request) -> Response:
        """A new version of the promise."""
        member_id = self._me(request)
        self.allow(request, "members.promise", owner=member_id)
        form = my_page.promise_form(request.form)
        return self._change(
            request, "promise", self.membership, "update_promise", member_id, form
        )

    @route("POST", "/me/feedback")
    def give_feedback(self, request: Request) -> Response:
        """Feedback on the round that is due."""
        member_id = self._me(request)
        self.allow(request, "feedback.submit", owner=member_id)
        form = {**my_page.feedback_form(request.form), "member_id": member_id}
        return self._change(request, "feedback", self.stories, "submit_feedback", form)

    @route("POST", "/me/consents")
    def change_consents(self, request: Request) -> Response:
        """The consents a member may change while a member."""
        member_id = self._me(request)
        self.allow(request, "members.update", owner=member_id)
        changes = {"consents": my_page.consents_form(request.form)}
        return self._change(
            request, "consents", self.membership, "update_member", member_id, changes
        )

    @route("GET", "/me/data")
    def download_my_data(self, request: Request) -> Response:
        """Everything the platform holds about the member, as a JSON file."""
        member_id = self._me(request)
        self.allow(request, "members.export", owner=member_id)
        parts = dict(GreenPool().imap(lambda n: self._part(n, member_id), SERVICES))
        body = json.dumps({"member_id": member_id, "services": parts}, indent=2)
        disposition = 'attachment; filename="my-membership-data.json"'
        return Response(
            body,
            mimetype="application/json",
            headers={"Content-Disposition": disposition},
        )

    @route("POST", "/me/leave")
    def leave_page(self, request: Request) -> Response:
        """Leave the network, once the member has ticked that they mean it."""
        member_id = self._me(request)
        self.allow(request, "members.leave", owner=member_id)
        if request.form.get("confirm") != "yes":
            errors = {"confirm": ["Tick the box to say you want to leave."]}
            return self._page(request, member_id, errors, "leave", 400)
        form = my_page.leave_form(request.form)
        self._call(self.membership, "leave", member_id, form, "left")
        response = pages.page("left.html", request=request)
        self.sessions.end(response)
        return response

    def _me(self, request: Request) -> str:
        """The signed-in member's id (empty for anyone else)."""
        return str(self.identity(request).member_id or "")

    def _change(
        self, request: Request, part: str, service, method: str, *args: Any
    ) -> Response:
        try:
            self._call(service, method, *args)
        except (InvalidInput, Conflict) as error:
            errors = pages.flat_errors(getattr(error, "errors", None) or {})
            errors = errors or {part: [str(error)]}
            member_id = self.identity(request).member_id
            return self._page(request, member_id, errors, part, 400)
        return redirect(f"{PAGE}?saved={part}#{part}", code=303)

    def _page(
        self,
        request: Request,
        member_id: str,
        errors: dict | None = None,
        part: str = "",
        status: int = 200,
    ) -> Response:
        found = dict(GreenPool().imap(lambda task: task(member_id), self._readers()))
        return pages.page(
            "me.html",
            status,
            request,
            **my_page.view(found, request.args.get("saved", "")),
            errors=errors or {},
            part=part,
            form=request.form,
        )

    def _readers(self) -> list:
        def member(member_id: str) -> tuple[str, Any]:
            return "member", self._call(self.membership, "get_member", member_id)

        def promises(member_id: str) -> tuple[str, Any]:
            query = {"per_page": 1}
            found = self._call(self.membership, "list_promises", member_id, query)
            return "promises", found

        def badge(member_id: str) -> tuple[str, Any]:
            return "badge", self._call(self.membership, "member_badge", member_id)

        def stories(member_id: str) -> tuple[str, Any]:
            return "stories", self._call(self.stories, "export_member", member_id)

        return [member, promises, badge, stories]

    def _part(self, name: str, member_id: str) -> tuple[str, Any]:
        return name, self._call(getattr(self, name), "export_member", member_id)
