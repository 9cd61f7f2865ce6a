import hashlib
from datetime import UTC, datetime

from services.membership import badge_documents, badges
from services.membership.models import Badge
from services.membership.settings import Settings

SETTINGS = Settings(
    public_url="https://rhwydwaith.example.cymru", badge_edition_size=120
)


def badge(**overrides) -> Badge:
    values = {
        "id": "3f1b2c4d-0000-4000-8000-000000000007",
        "member_id": "m-1",
        "edition": "2027",
        "number": 7,
        "salt": "halen",
        "identity_hash": badges.identity_hash("Siân@Example.Cymru", "halen"),
        "awarded_at": datetime(2027, 1, 5, 10, tzinfo=UTC),
    }
    return Badge(**{**values, **overrides})


def test_the_assertion_has_the_open_badges_2_fields():
    document = badge_documents.assertion(SETTINGS, badge())

    assert document["@context"] == "https://w3id.org/openbadges/v2"
    assert document["type"] == "Assertion"
    assert document["id"] == f"{SETTINGS.public_url}/badges/{badge().id}"
    assert document["verification"] == {"type": "hosted"}
    assert document["badge"] == f"{SETTINGS.public_url}/badges/editions/2027"
    assert document["issuedOn"] == "2027-01-05T10:00:00+00:00"
    assert document["image"].endswith("/image.svg")


def test_the_recipient_is_a_salted_hash_of_the_address():
    recipient = badge_documents.assertion(SETTINGS, badge())["recipient"]

    expected = hashlib.sha256("siân@example.cymruhalen".encode()).hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": "halen",
        "identity": f"sha256${expected}",
    }


def test_the_badge_class_points_to_its_issuer():
    badge_class = badge_documents.badge_class(SETTINGS, "2027")
    issuer = badge_documents.issuer(SETTINGS)

    assert badge_class["type"] == "BadgeClass"
    assert badge_class["issuer"] == issuer["id"]
    assert set(badge_class) >= {"name", "description", "image", "criteria"}
    assert issuer["type"] == "Issuer"
    assert set(issuer) >= {"@context", "id", "name", "url", "email"}


def test_a_revoked_badge_says_why():
    revoked = badge(revocation_reason="Camgymeriad")

    document = badge_documents.revocation(SETTINGS, revoked)

    assert (document["revoked"], document["revocationReason"]) == (True, "Camgymeriad")


def test_the_image_shows_the_number_of_the_edition():
    svg = badge_documents.image(SETTINGS, "2027", 7)

    assert svg.startswith("<svg")
    assert "№ 7" in svg
    assert "120" in svg


def test_what_is_put_into_the_image_is_escaped():
    svg = badge_documents.image(SETTINGS, '<script>alert("x")</script>&', 1)

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
