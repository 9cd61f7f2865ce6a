"""Membership drives on both databases: the first one is seeded and announced,
new ones are set, and progress counts active members."""

from datetime import date

import pytest

from contracts.errors import InvalidInput
from services.membership import drive, joining, leaving, links
from services.membership.exceptions import CampaignNotFound
from services.membership.schemas import CampaignSchema, JoinSchema
from services.membership.settings import Settings
from tests.support.membership import events, form, last_token

SETTINGS = Settings()


def confirmed(session, email: str, area: str) -> str:
    joining.join(session, SETTINGS, JoinSchema().load(form(email=email, area=area)))
    return links.redeem(session, SETTINGS, last_token(session), "confirm").id


def test_the_first_drive_is_there_from_the_start_and_announced(membership_db):
    with membership_db() as session:
        (announced,) = events(session, "CampaignSet")
        progress = drive.progress(session, "current")

    assert (announced["target"], announced["deadline"]) == (120, "2027-07-31")
    assert progress["campaign"].id == announced["campaign_id"]
    assert (progress["active_now"], progress["target"]) == (0, 120)


def test_progress_counts_active_members_by_area(membership_db):
    with membership_db() as session:
        confirmed(session, "a@example.cymru", "Caerdydd")
        confirmed(session, "b@example.cymru", "cardiff")
        gone = confirmed(session, "c@example.cymru", "Gwynedd")
        joining.join(session, SETTINGS, JoinSchema().load(form(email="d@x.cymru")))
        leaving.leave(session, gone, {"erase": False, "stories": "anonymise"})

        progress = drive.progress(session, "current")

    by_area = {row["code"]: row["active"] for row in progress["by_area"]}
    assert progress["active_now"] == 2
    assert by_area["W06000015"] == 2
    assert by_area["W06000002"] == 0
    assert len(by_area) == 22
    assert progress["by_week"][-1]["active_at_end"] == 2
    assert sum(week["became_active"] for week in progress["by_week"]) == 3


def test_a_new_drive_is_announced(membership_db):
    campaign = CampaignSchema().load(
        {
            "name": "Ymgyrch yr hydref",
            "target": 40,
            "starts_on": "2027-09-01",
            "deadline": "2027-11-30",
        }
    )
    with membership_db() as session:
        made = drive.set_campaign(session, campaign)
        changed = drive.change_campaign(session, made.id, {"target": 50})

        announced = events(session, "CampaignSet")[-2:]
    assert [a["target"] for a in announced] == [40, 50]
    assert changed.deadline == date(2027, 11, 30)


def test_a_drive_cannot_end_before_it_starts(membership_db):
    with membership_db() as session:
        (first,) = events(session, "CampaignSet")
        with pytest.raises(InvalidInput) as refused:
            drive.change_campaign(
                session, first["campaign_id"], {"deadline": date(2026, 1, 1)}
            )
        assert "deadline" in refused.value.errors
        with pytest.raises(CampaignNotFound):
            drive.progress(session, "00000000-0000-0000-0000-000000000000")
