"""The only HTTP door: JSON API under /api/v1 and the web pages. It holds no
business rules; it parses HTTP, checks who is asking, calls a service, and shapes
the answer. Each area's routes live in `gateway/routes/`."""

from gateway.routes.directory import DirectoryRoutes
from gateway.routes.members import MembersRoutes
from gateway.routes.stories import StoriesRoutes
from gateway.routes.system import SystemRoutes


class GatewayService(SystemRoutes, MembersRoutes, DirectoryRoutes, StoriesRoutes):
    name = "gateway"
