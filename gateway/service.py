"""The only HTTP door: JSON API under /api/v1 and the web pages. It holds no
business rules; it parses HTTP, checks who is asking, calls a service, and shapes
the answer. Each area's routes live in `gateway/routes/`."""

from gateway.routes.coordinator_pages import CoordinatorPages
from gateway.routes.directory import DirectoryRoutes
from gateway.routes.docs import DocsRoutes
from gateway.routes.eventpages import EventPagesRoutes
from gateway.routes.events import EventsRoutes
from gateway.routes.members import MembersRoutes
from gateway.routes.my_membership import MyMembershipRoutes
from gateway.routes.network_pages import NetworkPages
from gateway.routes.notifications import NotificationsRoutes
from gateway.routes.partners import PartnerKeyRoutes
from gateway.routes.site import SiteRoutes
from gateway.routes.stories import StoriesRoutes
from gateway.routes.suggestions import SuggestionRoutes
from gateway.routes.system import SystemRoutes
from infra.logs import Correlation


class GatewayService(
    SystemRoutes,
    SiteRoutes,
    MyMembershipRoutes,
    DocsRoutes,
    MembersRoutes,
    DirectoryRoutes,
    EventsRoutes,
    EventPagesRoutes,
    StoriesRoutes,
    NotificationsRoutes,
    PartnerKeyRoutes,
    SuggestionRoutes,
    NetworkPages,
    CoordinatorPages,
):
    """The platform's HTTP API: members, stories, the directory and notifications,
    under /api/v1. Sign in with a link by e-mail (a session cookie) or, for
    partner systems, an API key (`Authorization: Bearer <key>` or `X-API-Key`)."""

    name = "gateway"

    correlation = Correlation()
