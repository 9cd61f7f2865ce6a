"""The OpenAPI document against the live gateway: requests generated from it,
valid ones and invalid ones, never get a server error, and every answer is one
the document describes (status, content type, headers and body)."""

import schemathesis
from hypothesis import HealthCheck, given, settings, strategies
from schemathesis import GenerationMode, checks
from schemathesis.core.failures import Failure, FailureGroup

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
