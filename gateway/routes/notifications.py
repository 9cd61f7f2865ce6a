"""Routes of the notifications service: the delivery log and the newsletter for
coordinators, the newsletter archive and unsubscribe pages for everyone, and
webhook subscriptions for partners (API keys with scope `webhooks:manage`)."""

from werkzeug.wrappers import Request, Response

from gateway import pages
from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response, query_args
from services.notifications.exceptions import UnsubscribeLinkInvalid
from services.notifications.schemas import (
    ArchivedSchema,
    DeliveryPageSchema,
    DeliveryQuerySchema,
    DeliverySchema,
    IssueEditSchema,
    IssuePageSchema,
    IssueQuerySchema,
    IssueSchema,
    PageSchema,
    PreviewSchema,
    ProgressSchema,
    RegisteredWebhookSchema,
    RenderedSchema,
    WebhookChangeSchema,
    WebhookFormSchema,
    WebhookLogSchema,
    WebhookPageSchema,
    WebhookSchema,
)

PAGING = ("page", "per_page")
DELIVERY_ARGS = ("status", "template", "member_id", *PAGING)


class NotificationsRoutes(GatewayBase):
    # --- the delivery log (coordinators) ---

    @route(
        "GET",
        "/api/v1/notifications/deliveries",
        query=DeliveryQuerySchema,
        responses={200: (DeliveryPageSchema, "A page of the delivery log.")},
    )
    def list_deliveries(self, request: Request) -> Response:
        """The delivery log, newest first: what went, to whom, when, and how it
        went (never a message's body): `?status=&template=&member_id=`."""
        self.allow(request, "notifications.view_deliveries")
        query = query_args(request, *DELIVERY_ARGS)
        return json_response(self._call(self.notifications, "deliveries", query))

    @route(
        "GET",
        "/api/v1/notifications/deliveries/failed",
        query=PageSchema,
        responses={200: (DeliveryPageSchema, "Failed and uncertain messages.")},
    )
    def list_failed_deliveries(self, request: Request) -> Response:
        """Messages that failed after every try, or may not have gone."""
        self.allow(request, "notifications.view_deliveries")
        query = query_args(request, *PAGING)
        return json_response(self._call(self.notifications, "failed_deliveries", query))

    @route(
        "POST",
        "/api/v1/notifications/deliveries/<string:delivery_id>/resend",
        responses={200: (DeliverySchema, "Queued to go once more.")},
    )
    def resend_delivery(self, request: Request, delivery_id: str) -> Response:
        """Send a failed or uncertain message once more (not a single-use link)."""
        self.allow(request, "notifications.resend")
        return json_response(self._call(self.notifications, "send_again", delivery_id))

    # --- the newsletter (coordinators) ---

    @route(
        "POST",
        "/api/v1/newsletter/issues",
        responses={201: (IssueSchema, "The draft; `Location` says where.")},
    )
    def create_newsletter_draft(self, request: Request) -> Response:
        """Generate a draft issue from what happened since the last one: new
        members by area, shared progress, public stories, open offers and
        requests, the drive."""
        who = self.allow(request, "notifications.manage_newsletter")
        issue = self._call(self.notifications, "draft_newsletter", who.member_id)
        location = f"/api/v1/newsletter/issues/{issue['id']}"
        return json_response(issue, 201, {"Location": location})

    @route(
        "GET",
        "/api/v1/newsletter/issues",
        query=IssueQuerySchema,
        responses={200: (IssuePageSchema, "Issues, newest first.")},
    )
    def list_newsletter_issues(self, request: Request) -> Response:
        """Drafts and sent issues: `?status=draft|sending|sent`."""
        self.allow(request, "notifications.manage_newsletter")
        query = query_args(request, "status", *PAGING)
        return json_response(self._call(self.notifications, "newsletter_issues", query))

    @route(
        "GET",
        "/api/v1/newsletter/issues/<string:issue_id>",
        responses={200: (IssueSchema, "The issue and its content.")},
    )
    def get_newsletter_issue(self, request: Request, issue_id: str) -> Response:
        """One issue with its sections and items."""
        self.allow(request, "notifications.manage_newsletter")
        return json_response(
            self._call(self.notifications, "newsletter_issue", issue_id)
        )

    @route(
        "PATCH",
        "/api/v1/newsletter/issues/<string:issue_id>",
        body=IssueEditSchema,
        responses={200: (IssueSchema, "The edited draft.")},
    )
    def edit_newsletter_issue(self, request: Request, issue_id: str) -> Response:
        """Change a draft's titles and introductions, or leave items out."""
        self.allow(request, "notifications.manage_newsletter")
        changes = json_body(request)
        edited = self._call(self.notifications, "edit_newsletter", issue_id, changes)
        return json_response(edited)

    @route(
        "GET",
        "/api/v1/newsletter/issues/<string:issue_id>/preview",
        query=PreviewSchema,
        responses={200: (RenderedSchema, "Subject, text and HTML.")},
    )
    def preview_newsletter_issue(self, request: Request, issue_id: str) -> Response:
        """The issue as a subscriber gets it: `?language=cy|en|both`."""
        self.allow(request, "notifications.manage_newsletter")
        query = query_args(request, "language")
        preview = self._call(self.notifications, "preview_newsletter", issue_id, query)
        return json_response(preview)

    @route(
        "POST",
        "/api/v1/newsletter/issues/<string:issue_id>/send",
        responses={202: (ProgressSchema, "Sending; `Location` shows progress.")},
    )
    def send_newsletter_issue(self, request: Request, issue_id: str) -> Response:
        """Start sending a draft to every subscriber who consented."""
        self.allow(request, "notifications.manage_newsletter")
        progress = self._call(self.notifications, "send_newsletter", issue_id)
        location = f"/api/v1/newsletter/issues/{issue_id}/progress"
        return json_response(progress, 202, {"Location": location})

    @route(
        "GET",
        "/api/v1/newsletter/issues/<string:issue_id>/progress",
        responses={200: (ProgressSchema, "How far sending has got.")},
    )
    def newsletter_issue_progress(self, request: Request, issue_id: str) -> Response:
        """Recipients, sent, failed and still to go."""
        self.allow(request, "notifications.manage_newsletter")
        progress = self._call(self.notifications, "newsletter_progress", issue_id)
        return json_response(progress)

    # --- the archive (everyone) ---

    @route(
        "GET",
        "/api/v1/newsletter/archive",
        query=PageSchema,
        responses={200: (IssuePageSchema, "Published issues, newest first.")},
    )
    def list_newsletter_archive(self, request: Request) -> Response:
        """Past issues of the newsletter."""
        self.allow(request, "notifications.read_archive")
        query = query_args(request, *PAGING)
        return json_response(
            self._call(self.notifications, "newsletter_archive", query)
        )

    @route(
        "GET",
        "/api/v1/newsletter/archive/<int:number>",
        responses={200: (ArchivedSchema, "The issue, Welsh then English.")},
    )
    def get_archived_newsletter(self, request: Request, number: int) -> Response:
        """A past issue; progress members shared only with members is shown to
        people signed in."""
        who = self.allow(request, "notifications.read_archive")
        return json_response(self._archived(who, number))

    @route("GET", "/newsletter")
    def newsletter_archive_page(self, request: Request) -> Response:
        self.allow(request, "notifications.read_archive")
        query = query_args(request, *PAGING)
        found = self._call(self.notifications, "newsletter_archive", query)
        return pages.page(
            "newsletter_archive.html", request=request, issues=found["items"]
        )

    @route("GET", "/newsletter/<int:number>")
    def newsletter_issue_page(self, request: Request, number: int) -> Response:
        """The issue as the service renders it (autoescaped there), Welsh first."""
        who = self.allow(request, "notifications.read_archive")
        return Response(self._archived(who, number)["html"], mimetype="text/html")

    def _archived(self, who, number: int) -> dict:
        query = {"number": number, "audience": "members" if who.is_person else "public"}
        return self._call(self.notifications, "archived_newsletter", query)

    # --- unsubscribing: GET asks, only POST (also RFC 8058 one-click) acts ---

    @route("GET", "/unsubscribe/<string:token>")
    def unsubscribe_page(self, request: Request, token: str) -> Response:
        self.allow(request, "notifications.unsubscribe")
        try:
            state = self._call(self.notifications, "check_unsubscribe", token)
        except UnsubscribeLinkInvalid:
            return pages.page("unsubscribe_invalid.html", 404, request=request)
        return pages.page("unsubscribe.html", request=request, token=token, **state)

    @route("POST", "/unsubscribe/<string:token>", csrf=False)
    def unsubscribe(self, request: Request, token: str) -> Response:
        """The signed token in the URL is the only authority, so mail providers'
        one-click POSTs (no form token, no cookie) work."""
        self.allow(request, "notifications.unsubscribe")
        try:
            self._call(self.notifications, "unsubscribe", token)
        except UnsubscribeLinkInvalid:
            return pages.page("unsubscribe_invalid.html", 404, request=request)
        return pages.page("unsubscribed.html", request=request)

    # --- partner webhooks ---

    @route(
        "GET",
        "/api/v1/partner/webhook-event-types",
        responses={200: '`{"items": [event type, ...]}`: the public types.'},
    )
    def list_webhook_event_types(self, request: Request) -> Response:
        """The event types a subscription may choose (never internal ones)."""
        self.allow(request, "notifications.manage_webhooks")
        types = self._call(self.notifications, "webhook_event_types")
        return json_response({"items": types})

    @route(
        "POST",
        "/api/v1/partner/webhooks",
        body=WebhookFormSchema,
        responses={201: (RegisteredWebhookSchema, "Registered; the secret once.")},
    )
    def register_webhook(self, request: Request) -> Response:
        """Register an HTTPS endpoint for chosen event types, with a `whsec_`
        secret (made for you when not given). Deliveries are signed as the
        Standard Webhooks specification says."""
        partner = self.allow(request, "notifications.manage_webhooks").partner_id
        form = json_body(request)
        hook = self._call(self.notifications, "register_webhook", partner, form)
        location = f"/api/v1/partner/webhooks/{hook['id']}"
        return json_response(hook, 201, {"Location": location})

    @route(
        "GET",
        "/api/v1/partner/webhooks",
        query=PageSchema,
        responses={200: (WebhookPageSchema, "Your subscriptions.")},
    )
    def list_webhooks(self, request: Request) -> Response:
        """The asking partner's subscriptions."""
        partner = self.allow(request, "notifications.manage_webhooks").partner_id
        query = query_args(request, *PAGING)
        return json_response(self._call(self.notifications, "webhooks", partner, query))

    @route(
        "GET",
        "/api/v1/partner/webhooks/<string:hook_id>",
        responses={200: (WebhookSchema, "The subscription.")},
    )
    def get_webhook(self, request: Request, hook_id: str) -> Response:
        """One of your subscriptions; `paused_at` is set when it was paused."""
        partner = self.allow(request, "notifications.manage_webhooks").partner_id
        return json_response(
            self._call(self.notifications, "webhook", partner, hook_id)
        )

    @route(
        "PATCH",
        "/api/v1/partner/webhooks/<string:hook_id>",
        body=WebhookChangeSchema,
        responses={200: (WebhookSchema, "The changed subscription.")},
    )
    def change_webhook(self, request: Request, hook_id: str) -> Response:
        """Change url, event_types or description; `status: active` resumes a
        paused subscription, `paused` stops it."""
        partner = self.allow(request, "notifications.manage_webhooks").partner_id
        form = json_body(request)
        changed = self._call(
            self.notifications, "change_webhook", partner, hook_id, form
        )
        return json_response(changed)

    @route(
        "DELETE",
        "/api/v1/partner/webhooks/<string:hook_id>",
        responses={204: "Deleted; what was still to go is cancelled."},
    )
    def remove_webhook(self, request: Request, hook_id: str) -> Response:
        """Delete one of your subscriptions."""
        partner = self.allow(request, "notifications.manage_webhooks").partner_id
        self._call(self.notifications, "remove_webhook", partner, hook_id)
        return Response(status=204)

    @route(
        "GET",
        "/api/v1/partner/webhooks/<string:hook_id>/deliveries",
        query=PageSchema,
        responses={200: (WebhookLogSchema, "Deliveries, newest first.")},
    )
    def list_webhook_deliveries(self, request: Request, hook_id: str) -> Response:
        """What was sent to the endpoint (the exact body) and every answer that
        came back."""
        partner = self.allow(request, "notifications.manage_webhooks").partner_id
        query = query_args(request, *PAGING)
        log = self._call(
            self.notifications, "webhook_deliveries", partner, hook_id, query
        )
        return json_response(log)
