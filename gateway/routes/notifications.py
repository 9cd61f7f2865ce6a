"""Routes of the notifications service: the delivery log and the newsletter for
coordinators, the newsletter archive and unsubscribe pages for everyone, and
webhook subscriptions for partners (API keys with scope `webhooks:manage`)."""

from werkzeug.wrappers import Request, Response

from gateway import pages
from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response, query_args
from services.notifications.exceptions import UnsubscribeLinkInvalid

PAGING = ("page", "per_page")


class NotificationsRoutes(GatewayBase):
    # --- the delivery log (coordinators) ---

    @route("GET", "/api/v1/notifications/deliveries")
    def list_deliveries(self, request: Request) -> Response:
        """The delivery log: `?status=&template=&member_id=&page=&per_page=`."""
        self.allow(request, "notifications.view_deliveries")
        query = query_args(request, "status", "template", "member_id", *PAGING)
        return json_response(self._call(self.notifications, "deliveries", query))

    @route("GET", "/api/v1/notifications/deliveries/failed")
    def list_failed_deliveries(self, request: Request) -> Response:
        """Messages that failed after every try, or may not have gone."""
        self.allow(request, "notifications.view_deliveries")
        query = query_args(request, *PAGING)
        return json_response(self._call(self.notifications, "failed_deliveries", query))

    @route("POST", "/api/v1/notifications/deliveries/<string:delivery_id>/resend")
    def resend_delivery(self, request: Request, delivery_id: str) -> Response:
        self.allow(request, "notifications.resend")
        return json_response(self._call(self.notifications, "send_again", delivery_id))

    # --- the newsletter (coordinators) ---

    @route("POST", "/api/v1/newsletter/issues")
    def create_newsletter_draft(self, request: Request) -> Response:
        """Generate a draft issue from what happened since the last one."""
        who = self.allow(request, "notifications.manage_newsletter")
        issue = self._call(self.notifications, "draft_newsletter", who.member_id)
        location = f"/api/v1/newsletter/issues/{issue['id']}"
        return json_response(issue, 201, {"Location": location})

    @route("GET", "/api/v1/newsletter/issues")
    def list_newsletter_issues(self, request: Request) -> Response:
        self.allow(request, "notifications.manage_newsletter")
        query = query_args(request, "status", *PAGING)
        return json_response(self._call(self.notifications, "newsletter_issues", query))

    @route("GET", "/api/v1/newsletter/issues/<string:issue_id>")
    def get_newsletter_issue(self, request: Request, issue_id: str) -> Response:
        self.allow(request, "notifications.manage_newsletter")
        return json_response(
            self._call(self.notifications, "newsletter_issue", issue_id)
        )

    @route("PATCH", "/api/v1/newsletter/issues/<string:issue_id>")
    def edit_newsletter_issue(self, request: Request, issue_id: str) -> Response:
        """Body: title_cy, title_en, intro_cy, intro_en, drop (item ids)."""
        self.allow(request, "notifications.manage_newsletter")
        changes = json_body(request)
        edited = self._call(self.notifications, "edit_newsletter", issue_id, changes)
        return json_response(edited)

    @route("GET", "/api/v1/newsletter/issues/<string:issue_id>/preview")
    def preview_newsletter_issue(self, request: Request, issue_id: str) -> Response:
        """`?language=cy|en|both`: subject, text and HTML as a subscriber gets it."""
        self.allow(request, "notifications.manage_newsletter")
        query = query_args(request, "language")
        preview = self._call(self.notifications, "preview_newsletter", issue_id, query)
        return json_response(preview)

    @route("POST", "/api/v1/newsletter/issues/<string:issue_id>/send")
    def send_newsletter_issue(self, request: Request, issue_id: str) -> Response:
        """Start sending; answers 202 with the progress to watch."""
        self.allow(request, "notifications.manage_newsletter")
        progress = self._call(self.notifications, "send_newsletter", issue_id)
        location = f"/api/v1/newsletter/issues/{issue_id}/progress"
        return json_response(progress, 202, {"Location": location})

    @route("GET", "/api/v1/newsletter/issues/<string:issue_id>/progress")
    def newsletter_issue_progress(self, request: Request, issue_id: str) -> Response:
        self.allow(request, "notifications.manage_newsletter")
        progress = self._call(self.notifications, "newsletter_progress", issue_id)
        return json_response(progress)

    # --- the archive (everyone) ---

    @route("GET", "/api/v1/newsletter/archive")
    def list_newsletter_archive(self, request: Request) -> Response:
        self.allow(request, "notifications.read_archive")
        query = query_args(request, *PAGING)
        return json_response(
            self._call(self.notifications, "newsletter_archive", query)
        )

    @route("GET", "/api/v1/newsletter/archive/<int:number>")
    def get_archived_newsletter(self, request: Request, number: int) -> Response:
        return json_response(self._archived(request, number))

    @route("GET", "/newsletter")
    def newsletter_archive_page(self, request: Request) -> Response:
        self.allow(request, "notifications.read_archive")
        query = query_args(request, *PAGING)
        found = self._call(self.notifications, "newsletter_archive", query)
        return pages.page("newsletter_archive.html", issues=found["items"])

    @route("GET", "/newsletter/<int:number>")
    def newsletter_issue_page(self, request: Request, number: int) -> Response:
        """The issue as the service renders it (autoescaped there), Welsh first."""
        return Response(self._archived(request, number)["html"], mimetype="text/html")

    def _archived(self, request: Request, number: int) -> dict:
        who = self.allow(request, "notifications.read_archive")
        audience = "members" if who.is_person else "public"
        query = {"number": number, "audience": audience}
        return self._call(self.notifications, "archived_newsletter", query)

    # --- unsubscribing: GET asks, only POST (also RFC 8058 one-click) acts ---

    @route("GET", "/unsubscribe/<string:token>")
    def unsubscribe_page(self, request: Request, token: str) -> Response:
        self.allow(request, "notifications.unsubscribe")
        try:
            state = self._call(self.notifications, "check_unsubscribe", token)
        except UnsubscribeLinkInvalid:
            return pages.page("unsubscribe_invalid.html", 404)
        return pages.page("unsubscribe.html", token=token, **state)

    @route("POST", "/unsubscribe/<string:token>")
    def unsubscribe(self, request: Request, token: str) -> Response:
        self.allow(request, "notifications.unsubscribe")
        try:
            self._call(self.notifications, "unsubscribe", token)
        except UnsubscribeLinkInvalid:
            return pages.page("unsubscribe_invalid.html", 404)
        return pages.page("unsubscribed.html")

    # --- partner webhooks ---

    @route("GET", "/api/v1/partner/webhook-event-types")
    def list_webhook_event_types(self, request: Request) -> Response:
        self.allow(request, "notifications.manage_webhooks")
        types = self._call(self.notifications, "webhook_event_types")
        return json_response({"items": types})

    @route("POST", "/api/v1/partner/webhooks")
    def register_webhook(self, request: Request) -> Response:
        """Body: url (https), event_types, optional secret (whsec_…), description.
        The answer shows the secret this once."""
        partner = self._partner(request)
        form = json_body(request)
        hook = self._call(self.notifications, "register_webhook", partner, form)
        location = f"/api/v1/partner/webhooks/{hook['id']}"
        return json_response(hook, 201, {"Location": location})

    @route("GET", "/api/v1/partner/webhooks")
    def list_webhooks(self, request: Request) -> Response:
        partner, query = self._partner(request), query_args(request, *PAGING)
        return json_response(self._call(self.notifications, "webhooks", partner, query))

    @route("GET", "/api/v1/partner/webhooks/<string:hook_id>")
    def get_webhook(self, request: Request, hook_id: str) -> Response:
        partner = self._partner(request)
        return json_response(
            self._call(self.notifications, "webhook", partner, hook_id)
        )

    @route("PATCH", "/api/v1/partner/webhooks/<string:hook_id>")
    def change_webhook(self, request: Request, hook_id: str) -> Response:
        """Body: any of url, event_types, description, status (active resumes)."""
        partner, form = self._partner(request), json_body(request)
        changed = self._call(
            self.notifications, "change_webhook", partner, hook_id, form
        )
        return json_response(changed)

    @route("DELETE", "/api/v1/partner/webhooks/<string:hook_id>")
    def remove_webhook(self, request: Request, hook_id: str) -> Response:
        partner = self._partner(request)
        self._call(self.notifications, "remove_webhook", partner, hook_id)
        return Response(status=204)

    @route("GET", "/api/v1/partner/webhooks/<string:hook_id>/deliveries")
    def list_webhook_deliveries(self, request: Request, hook_id: str) -> Response:
        """What was sent to the endpoint and what came back, newest first."""
        partner, query = self._partner(request), query_args(request, *PAGING)
        log = self._call(
            self.notifications, "webhook_deliveries", partner, hook_id, query
        )
        return json_response(log)

    def _partner(self, request: Request) -> str:
        return self.allow(request, "notifications.manage_webhooks").partner_id
