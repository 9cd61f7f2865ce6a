"""The API's published descriptions are valid documents and cover every route."""

import json
import os
import warnings
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate

from gateway import asyncapi, openapi
from gateway.service import GatewayService

ROOT = Path(__file__).parents[2]
ASYNCAPI_SCHEMA = Path(
    os.environ.get(
        "ASYNCAPI_SCHEMA",
        ROOT / "tests/node/node_modules/@asyncapi/specs/schemas/3.0.0-without-$id.json",
    )
)


def test_the_openapi_document_is_valid_openapi_3_1():
    document = openapi.document(GatewayService)

    validate(document)
    assert document["openapi"] == "3.1.0"


def test_no_two_schemas_in_the_openapi_document_share_a_name():
    """apispec renames the second of two schemas with one name (Agree1) and
    warns; a partner's generated client would get the unhelpful name."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        openapi.document(GatewayService)


def test_every_api_route_says_what_it_answers():
    for found in openapi.api_routes(GatewayService):
        assert found.route.doc.get("responses"), found.name


def test_every_api_route_has_a_docstring():
    undocumented = [
        f.name for f in openapi.api_routes(GatewayService) if not f.function.__doc__
    ]

    assert undocumented == []


@pytest.mark.parametrize("found", openapi.routes(GatewayService), ids=lambda f: f.name)
def test_every_route_asks_the_access_table_first(found):
    import inspect

    assert "self.allow(request" in inspect.getsource(found.function)


def test_the_asyncapi_document_is_valid_asyncapi_3():
    if not ASYNCAPI_SCHEMA.exists():
        pytest.fail(f"No AsyncAPI schema at {ASYNCAPI_SCHEMA}; `make test` fetches it.")
    schema = json.loads(ASYNCAPI_SCHEMA.read_text())

    errors = list(jsonschema.Draft7Validator(schema).iter_errors(asyncapi.document()))

    assert [error.message for error in errors] == []


def test_partners_are_never_told_of_internal_events():
    channels = asyncapi.document()["channels"]

    assert "membership.LinkRequested" not in channels
    assert "membership.MemberJoined" in channels
    assert all(not event.internal for event in asyncapi.public_events())


@pytest.mark.parametrize(
    ("path", "method"), [("/api/v1/stories", "post"), ("/api/v1/members", "post")]
)
def test_the_routes_that_take_an_idempotency_key_say_so(path, method):
    document = openapi.document(GatewayService)

    parameters = document["paths"][path][method]["parameters"]

    assert {"in": "header", "name": "Idempotency-Key"}.items() <= next(
        p for p in parameters if p.get("name") == "Idempotency-Key"
    ).items()
