"""The coordinators' pages: members, the drive, composing and sending the
newsletter, parked messages, and partner systems' API keys. Each form posts
back and is answered with a redirect (303) to the page that shows the result."""

from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from contracts.errors import Conflict, InvalidInput
from contracts.scopes import SCOPES
from gateway import pages
from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.routes.network_pages import paging
from gateway.routes.parked import ParkedRoutes
from gateway.web import filled_args
from services.membership.exceptions import CampaignNotFound

HOME = "/coordinators"
NEWSLETTER = HOME + "/newsletter"
ISSUE = NEWSLETTER + "/<string:issue_id>"
TEXTS = ("title_cy", "title_en", "intro_cy", "intro_en")


def edits_from(form) -> dict:
    """The newsletter form's fields as `IssueEditSchema` takes them."""
    changes = {name: form[name] for name in TEXTS if form.get(name, "").strip()}
    return {**changes, "drop": form.getlist("drop")}


def problem_of(error: InvalidInput | Conflict) -> dict[str, list[str]]:
    if isinstance(error, InvalidInput):
        return pages.flat_errors(error.errors)
    return {"_": [str(error)]}


class CoordinatorPages(ParkedRoutes, GatewayBase):
    @route("GET", HOME)
    def coordinators_home(self, request: Request) -> Response:
        self.allow(request, "members.list")
        return pages.page("coordinators.html", request=request)

    @route("GET", HOME + "/members")
    def members_page(self, request: Request) -> Response:
        """Members page by page, by status."""
        self.allow(request, "members.list")
        args = filled_args(request, "status", "page")
        found = self._call(self.membership, "list_members", args)
        return pages.page(
            "coordinator_members.html", request=request, found=found, args=args,
            pager=paging(found, args),
        )  # fmt: skip

    @route("GET", HOME + "/members/<string:member_id>")
    def member_page(self, request: Request, member_id: str) -> Response:
        """One member's record, their promises and badge."""
        self.allow(request, "members.view", owner=member_id)
        member = self._call(self.membership, "get_member", member_id)
        promises = self._call(self.membership, "list_promises", member_id, {})
        badge = self._call(self.membership, "member_badge", member_id)
        return pages.page(
            "coordinator_member.html", request=request, member=member,
            promises=promises["items"], badge=badge,
        )  # fmt: skip

    @route("GET", HOME + "/drive")
    def drive_page(self, request: Request) -> Response:
        """The drive toward its target: now, by area, by week, and the pace
        (members may see it too; only coordinators start one)."""
        self.allow(request, "drive.view")
        return self._drive_page(request, {}, {})

    @route("POST", HOME + "/drive")
    def set_drive(self, request: Request) -> Response:
        self.allow(request, "drive.set")
        form = {
            k: request.form.get(k, "")
            for k in ("name", "target", "starts_on", "deadline")
        }
        try:
            made = self._call(self.membership, "set_campaign", form)
        except InvalidInput as error:
            return self._drive_page(request, form, pages.flat_errors(error.errors), 400)
        return redirect(f"{HOME}/drive?campaign={made['id']}", code=303)

    def _drive_page(self, request, form, errors, status=200) -> Response:
        chosen = request.args.get("campaign", "current")
        try:
            progress = self._call(self.membership, "drive_progress", chosen)
        except (CampaignNotFound, InvalidInput):
            progress = None
        drives = self._call(self.membership, "list_campaigns", {"per_page": 50})
        can_set = self.identity(request).role == "coordinator"
        return pages.page(
            "coordinator_drive.html", status, request, progress=progress,
            form=form, errors=errors, can_set=can_set, drives=drives["items"],
        )  # fmt: skip

    @route("GET", NEWSLETTER)
    def newsletter_page(self, request: Request) -> Response:
        """Drafts and sent issues, and a button to make a new draft."""
        self.allow(request, "notifications.manage_newsletter")
        found = self._call(self.notifications, "newsletter_issues", {})
        return pages.page("coordinator_newsletter.html", request=request, found=found)

    @route("POST", NEWSLETTER)
    def newsletter_draft(self, request: Request) -> Response:
        who = self.allow(request, "notifications.manage_newsletter")
        issue = self._call(self.notifications, "draft_newsletter", who.member_id)
        return redirect(f"{NEWSLETTER}/{issue['id']}", code=303)

    @route("GET", ISSUE)
    def issue_page(self, request: Request, issue_id: str) -> Response:
        """A draft to edit and send, or how far sending has got."""
        self.allow(request, "notifications.manage_newsletter")
        return self._issue_page(request, issue_id, {})

    @route("POST", ISSUE)
    def issue_edit(self, request: Request, issue_id: str) -> Response:
        self.allow(request, "notifications.manage_newsletter")
        try:
            self._call(
                self.notifications,
                "edit_newsletter",
                issue_id,
                edits_from(request.form),
            )
        except (InvalidInput, Conflict) as error:
            return self._issue_page(request, issue_id, problem_of(error), 400)
        return redirect(f"{NEWSLETTER}/{issue_id}#saved", code=303)

    @route("POST", ISSUE + "/send")
    def issue_send(self, request: Request, issue_id: str) -> Response:
        self.allow(request, "notifications.manage_newsletter")
        if request.form.get("confirm") != "yes":
            errors = {"confirm": ["Tick the box to say the issue is ready."]}
            return self._issue_page(request, issue_id, errors, 400)
        try:
            self._call(self.notifications, "send_newsletter", issue_id)
        except Conflict as error:
            return self._issue_page(request, issue_id, problem_of(error), 409)
        return redirect(f"{NEWSLETTER}/{issue_id}", code=303)

    @route("GET", ISSUE + "/preview")
    def issue_preview(self, request: Request, issue_id: str) -> Response:
        """The issue as a subscriber gets it (rendered, and escaped, by the
        notifications service): `?language=cy|en|both`."""
        self.allow(request, "notifications.manage_newsletter")
        query = filled_args(request, "language")
        shown = self._call(self.notifications, "preview_newsletter", issue_id, query)
        return Response(shown["html"], mimetype="text/html")

    def _issue_page(self, request, issue_id: str, errors, status=200) -> Response:
        issue = self._call(self.notifications, "newsletter_issue", issue_id)
        progress = None
        if issue["status"] != "draft":
            progress = self._call(self.notifications, "newsletter_progress", issue_id)
        return pages.page(
            "coordinator_issue.html", status, request, issue=issue,
            progress=progress, errors=errors,
        )  # fmt: skip

    @route("GET", HOME + "/parked")
    def parked_page(self, request: Request) -> Response:
        """Messages each service could not take, to send back once mended."""
        self.allow(request, "parked.view")
        parked = self.parked_by_service()
        return pages.page("coordinator_parked.html", request=request, parked=parked)

    @route("POST", HOME + "/parked/replay")
    def parked_replay(self, request: Request) -> Response:
        self.allow(request, "parked.replay")
        form = request.form
        sent = self.replay(
            form.get("service", ""), form.get("queue", ""), form.get("message_id")
        )
        return redirect(f"{HOME}/parked?replayed={sent}", code=303)

    @route("GET", HOME + "/api-keys")
    def keys_page(self, request: Request) -> Response:
        """Partner systems' keys: make one (shown once), revoke one."""
        self.allow(request, "apikeys.manage")
        return self._keys_page(request, None, {}, {})

    @route("POST", HOME + "/api-keys")
    def keys_make(self, request: Request) -> Response:
        who = self.allow(request, "apikeys.manage")
        form = {
            "partner": request.form.get("partner", "").strip(),
            "label": request.form.get("label", ""),
            "scopes": request.form.getlist("scopes"),
        }
        try:
            made = self._call(self.membership, "create_api_key", form, who.member_id)
        except InvalidInput as error:
            return self._keys_page(
                request, None, form, pages.flat_errors(error.errors), 400
            )
        response = self._keys_page(request, made, {}, {}, 201)
        response.headers["Cache-Control"] = "no-store"
        return response

    @route("POST", HOME + "/api-keys/<string:key_id>/revoke")
    def keys_revoke(self, request: Request, key_id: str) -> Response:
        self.allow(request, "apikeys.manage")
        self._call(self.membership, "revoke_api_key", key_id)
        return redirect(HOME + "/api-keys", code=303)

    def _keys_page(self, request, made, form, errors, status=200) -> Response:
        found = self._call(self.membership, "list_api_keys", {"per_page": 100})
        return pages.page(
            "coordinator_keys.html", status, request, found=found, made=made,
            form=form, errors=errors, scopes=SCOPES,
        )  # fmt: skip
