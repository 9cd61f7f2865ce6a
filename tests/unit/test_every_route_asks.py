"""No route of the gateway answers without first asking the access table."""

import inspect
import re

from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from gateway.access import RULES
from gateway.http import Route
from gateway.service import GatewayService

_ASKS = re.compile(r'self\.allow\(\s*request,\s*"([\w.]+)"')


def routes():
    for name, function in inspect.getmembers(GatewayService, inspect.isfunction):
        for entrypoint in getattr(function, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, Route):
                yield f"{entrypoint.method} {entrypoint.url} ({name})", function


def test_every_route_asks_the_access_table_about_an_action_it_has():
    found = list(routes())
    asked = {label: _ASKS.findall(inspect.getsource(fn)) for label, fn in found}

    assert len(found) > 50
    assert [label for label, actions in asked.items() if not actions] == []
    assert {a for actions in asked.values() for a in actions} - set(RULES) == set()


def test_no_two_parts_of_the_gateway_name_a_method_alike():
    # A route whose method name another mixin also uses is silently lost.
    owners: dict[str, list[str]] = {}
    for part in GatewayService.__mro__:
        for name, value in vars(part).items():
            if inspect.isfunction(value) and not name.startswith("__"):
                owners.setdefault(name, []).append(part.__name__)

    assert {name: o for name, o in owners.items() if len(o) > 1} == {}
