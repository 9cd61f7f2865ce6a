"""Events and training sessions, the places members take on them (and the
waiting lists), and the reminders sent.

Revision ID: 9d68956de779
Revises: a0ffab977d2f
Create Date: 2026-12-04 02:53:35.193994

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d68956de779"
down_revision: str | Sequence[str] | None = "a0ffab977d2f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organiser_id", sa.String(length=36), nullable=False),
        sa.Column("proposed_by", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("title_cy", sa.String(length=200), nullable=True),
        sa.Column("title_en", sa.String(length=200), nullable=True),
        sa.Column("description_cy", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("starts_at", MOMENT, nullable=False),
        sa.Column("ends_at", MOMENT, nullable=False),
        sa.Column("area", sa.String(length=9), nullable=True),
        sa.Column("place_name", sa.String(length=200), nullable=True),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("online_link", sa.String(length=500), nullable=True),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.Column("audience", sa.Text(), nullable=True),
        sa.Column("accessibility", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=4), nullable=False),
        sa.Column("principles", sa.JSON(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("published_at", MOMENT, nullable=True),
        sa.Column("cancelled_at", MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_area"), ["area"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_events_organiser_id"), ["organiser_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_events_starts_at"), ["starts_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_events_status"), ["status"], unique=False)

    op.create_table(
        "event_places",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("signed_up_at", MOMENT, nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("event_id", "member_id"),
    )
    with op.batch_alter_table("event_places", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_places_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_places_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "event_reminders",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("sent_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("event_reminders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_reminders_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_reminders_member_id"), ["member_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("event_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_reminders_member_id"))
        batch_op.drop_index(batch_op.f("ix_event_reminders_event_id"))

    op.drop_table("event_reminders")
    with op.batch_alter_table("event_places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_places_member_id"))
        batch_op.drop_index(batch_op.f("ix_event_places_event_id"))

    op.drop_table("event_places")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_status"))
        batch_op.drop_index(batch_op.f("ix_events_starts_at"))
        batch_op.drop_index(batch_op.f("ix_events_organiser_id"))
        batch_op.drop_index(batch_op.f("ix_events_area"))

    op.drop_table("events")
