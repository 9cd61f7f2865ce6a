"""The only HTTP door: JSON API under /api/v1 and the web pages. It holds no
business rules; it parses HTTP, checks who is asking, calls a service, and shapes
the answer. Each area's routes live in `gateway/routes/`."""

from gateway.routes.directory import DirectoryRoutes
from gateway.routes.docs import DocsRoutes
from gateway.routes.eventpages import EventPagesRoutes
from gateway.routes.events import EventsRoutes
from gateway.routes.members import MembersRoutes
from gateway.routes.notifications import NotificationsRoutes
from gateway.routes.stories import StoriesRoutes
from gateway.routes.system import SystemRoutes


class GatewayService(
    SystemRoutes,
    DocsRoutes,
    MembersRoutes,
    DirectoryRoutes,
    EventsRoutes,
    EventPagesRoutes,
    StoriesRoutes,
    NotificationsRoutes,
):
    """The platform's HTTP API: members, stories, the directory and notifications,
    under /api/v1. Sign in with a link by e-mail (a session cookie) or, for
    partner systems, an API key in `X-API-Key`."""

    name = "gateway"
