"""The operators' commands of the membership service, on a real database."""

import pytest

from services.membership import apikeys
from services.membership.admin import main
from services.membership.exceptions import ApiKeyNotValid


@pytest.fixture
def config_file(tmp_path, db_url):
    path = tmp_path / "config.yml"
    path.write_text(f"DATABASE_URL: {db_url}\n")
    return str(path)


def test_a_key_made_by_command_is_printed_once_and_works_until_revoked(
    config_file, membership_db, capsys
):
    made = main(
        ["make-api-key", "cyngor-mon", "--label", "Map", "--scope", "directory:read"]
        + ["--config", config_file]
    )
    key_id, key, _ = capsys.readouterr().out.splitlines()
    partner = apikeys.authenticate(membership_db(), key)

    revoked = main(["revoke-api-key", key_id, "--config", config_file])

    assert made == 0 and revoked == 0
    assert (partner.partner, partner.scopes) == ("cyngor-mon", ["directory:read"])
    with pytest.raises(ApiKeyNotValid):
        apikeys.authenticate(membership_db(), key)


def test_revoking_a_key_that_is_not_there_says_so(config_file, membership_db, capsys):
    code = main(
        ["revoke-api-key", "00000000-0000-4000-8000-000000000000"]
        + ["--config", config_file]
    )

    assert code == 1
    assert "No API key" in capsys.readouterr().err


def test_a_coordinator_is_still_made_from_an_address(config_file, capsys):
    assert (
        main(["make-coordinator", "nobody@example.cymru", "--config", config_file]) == 1
    )
