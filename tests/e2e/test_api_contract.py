"""The gateway as a partner or an attacker meets it. Requests generated from the
OpenAPI document, valid ones and invalid ones, never get a server error, and
every answer is one the document describes (status, content type, headers and
body). A request's id is on every log line of the work it started, in every
service, and what the person typed is on none."""

import uuid

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies
from schemathesis import GenerationMode, checks
from schemathesis.core.failures import Failure, FailureGroup

from tests.support.signups import SIGNUPS, join_body
from tests.support.waiting import eventually

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def describe(operation, case, error: Exception) -> str:
    title = getattr(error, "title", type(error).__name__)
    return f"{operation.label} {title}: {case.as_curl_command()}"


def failures_of(operation) -> list[str]:
    """Every example that breaks a check, in a line each (the check's message)."""
    found: list[str] = []

    @EXAMPLES
    @given(
        case=strategies.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )
    )
    def exercise(case) -> None:
        try:
            case.call_and_validate(checks=CHECKS)
        except FailureGroup as group:
            found.extend(describe(operation, case, error) for error in group.exceptions)
        except (Failure, AssertionError) as error:
            found.append(describe(operation, case, error))

    exercise()
    return found


def test_every_answer_is_in_the_document_and_none_is_a_server_error(stack):
    document = schemathesis.openapi.from_url(f"{stack.url}/api/openapi.json")
    operations = [result.ok() for result in document.get_all_operations()]

    found = [line for operation in operations for line in failures_of(operation)]

    assert len(operations) > 40
    assert found == [], "\n".join(sorted(set(found)))


def test_a_joins_request_id_is_on_its_log_lines_in_every_service(stack):
    rid, mailbox = f"cais-{uuid.uuid4().hex[:12]}", uuid.uuid4().hex[:12]
    body = {**join_body(SIGNUPS[0]), "email": f"{mailbox}@example.cymru"}

    answer = requests.post(
        f"{stack.url}/api/v1/members",
        json=body,
        headers={"X-Request-ID": rid},
        timeout=30,
    )

    assert answer.headers["X-Request-ID"] == rid
    for name in ("gateway", "membership", "directory", "stories", "notifications"):
        lines = eventually(lambda n=name: _lines_with(stack.log(n), rid), timeout=60)
        assert [line for line in lines if not line.endswith(f"={rid}")] == []
        assert mailbox not in stack.log(name)


def _lines_with(log: str, text: str) -> list[str]:
    return [line for line in log.splitlines() if text in line]
