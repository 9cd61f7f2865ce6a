"""Webhook signatures as the Standard Webhooks specification gives them."""

import base64

import pytest

from services.notifications import signing


def test_the_specifications_example_signs_to_its_published_signature():
    # The example the specification publishes: secret, id, timestamp and body.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = '{"test": 2432232314}'

    signed = signing.signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)

    assert signed == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_a_new_secret_is_whsec_and_the_base64_of_32_random_bytes():
    secret = signing.new_secret()

    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret[6:])) == 32
    assert secret != signing.new_secret()


@pytest.mark.parametrize(
    "secret",
    [
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",  # no prefix
        "whsec_not base64!",
        "whsec_" + base64.b64encode(b"short").decode(),
        "whsec_" + base64.b64encode(b"x" * 65).decode(),
    ],
)
def test_a_secret_that_is_not_a_standard_one_is_refused(secret):
    with pytest.raises(ValueError):
        signing.key_of(secret)


def test_the_headers_carry_id_timestamp_and_signature():
    secret = signing.new_secret()

    headers = signing.headers(secret, "msg_1", 1700000000, "{}")

    assert headers["webhook-id"] == "msg_1"
    assert headers["webhook-timestamp"] == "1700000000"
    assert headers["webhook-signature"] == signing.signature(
        secret, "msg_1", 1700000000, "{}"
    )
