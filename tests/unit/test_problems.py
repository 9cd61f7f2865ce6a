import json

from contracts.errors import InvalidInput
from gateway.exceptions import ServiceUnavailable
from gateway.problems import from_exception
from services.membership.exceptions import MemberHasLeft


def body(response) -> dict:
    return json.loads(response.get_data())


def test_invalid_input_becomes_400_with_each_field():
    response = from_exception(InvalidInput({"email": ["Not valid."]}))

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert body(response)["errors"] == {"email": ["Not valid."]}


def test_service_errors_map_to_their_statuses():
    assert from_exception(MemberHasLeft("left")).status_code == 409
    assert from_exception(ServiceUnavailable("down")).status_code == 503


def test_an_unexpected_error_says_nothing_about_its_insides():
    response = from_exception(KeyError("secret_column"))

    assert response.status_code == 500
    assert "secret_column" not in response.get_data(as_text=True)
