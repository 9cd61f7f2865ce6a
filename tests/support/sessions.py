"""Session cookies as the gateway signs them, for tests that need someone signed in."""

from itsdangerous import URLSafeTimedSerializer

from gateway.auth import COOKIE

TEST_SECRET = "a-secret-for-tests-only"


def signed_in(member_id: str, role: str = "member") -> dict[str, str]:
    """Cookies for `requests` of a member (or coordinator) signed in to a gateway
    whose SECRET_KEY is TEST_SECRET."""
    serializer = URLSafeTimedSerializer(TEST_SECRET, salt="session")
    return {COOKIE: serializer.dumps({"member_id": member_id, "role": role})}
