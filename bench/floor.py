"""The floor every HTTP figure is compared with: the least nameko does for one
request that reaches a service. `FloorGateway` takes the request with nameko's
own `@http` and makes one RPC to `EchoService`, which sends back what it got.
Each runs as its own process, as the platform's services do."""

import json

from nameko.rpc import RpcProxy, rpc
from nameko.web.handlers import http

JSON = {"Content-Type": "application/json"}


class EchoService:
    name = "bench_echo"

    @rpc
    def echo(self, value):
        """Answer with `value`, unchanged."""
        return value

    @rpc
    def ping(self) -> str:
        return "pong"


class FloorGateway:
    name = "bench_floor"

    echo = RpcProxy("bench_echo")

    @http("POST", "/floor")
    def post(self, request):
        """Echo the JSON body through one RPC; 201, as a join answers."""
        answer = self.echo.echo(json.loads(request.get_data(as_text=True)))
        return 201, JSON, json.dumps(answer)

    @http("GET", "/floor")
    def get(self, request):
        """Echo the query arguments through one RPC."""
        answer = self.echo.echo(request.args.to_dict())
        return 200, JSON, json.dumps(answer)
