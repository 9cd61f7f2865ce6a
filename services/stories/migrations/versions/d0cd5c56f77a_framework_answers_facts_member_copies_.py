"""framework answers, facts, member copies, rounds, feedback

Revision ID: d0cd5c56f77a
Revises: 56d5951ee543
Create Date: 2026-12-04 00:03:16.474545

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "d0cd5c56f77a"
down_revision: str | Sequence[str] | None = "56d5951ee543"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Stories told against a framework version, their answers as said and
    in typed columns for counting, members kept from events, feedback rounds
    and feedback. Stories of the skeleton keep their rows (occasion `other`,
    framework version 0) and lose the free-form signifiers, which no framework
    defined."""
    op.create_table(
        "feedback",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Text(), nullable=True),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("area", sa.String(length=9), nullable=True),
        sa.Column("story_id", sa.String(length=36), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "round"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_area"), ["area"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_feedback_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_submitted_at"), ["submitted_at"], unique=False
        )

    op.create_table(
        "feedback_rounds",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("member_id", "round"),
    )
    op.create_table(
        "inbox",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=80), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "members",
        sa.Column("area", sa.String(length=9), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("share_progress", sa.Boolean(), nullable=False),
        sa.Column("anchor_on", sa.Date(), nullable=True),
        sa.Column("next_round", sa.Integer(), nullable=False),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("member_id"),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_members_next_due_on"), ["next_due_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_members_status"), ["status"], unique=False)

    op.create_table(
        "feedback_principles",
        sa.Column("feedback_id", sa.String(length=36), nullable=False),
        sa.Column("principle", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(["feedback_id"], ["feedback.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("feedback_id", "principle"),
    )
    with op.batch_alter_table("feedback_principles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_principles_principle"), ["principle"], unique=False
        )

    op.create_table(
        "story_answers",
        sa.Column("story_id", sa.String(length=36), nullable=False),
        sa.Column("question", sa.String(length=50), nullable=False),
        sa.Column("item", sa.String(length=50), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("a", sa.Float(), nullable=True),
        sa.Column("b", sa.Float(), nullable=True),
        sa.Column("c", sa.Float(), nullable=True),
        sa.Column("zone", sa.String(length=6), nullable=True),
        sa.Column("cell", sa.Integer(), nullable=True),
        sa.Column("band", sa.Integer(), nullable=True),
        sa.Column("other_text", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("story_id", "question", "item"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "story_facts",
        sa.Column("story_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("sharing", sa.String(length=20), nullable=False),
        sa.Column("occasion", sa.String(length=20), nullable=False),
        sa.Column("round", sa.Integer(), nullable=True),
        sa.Column("area", sa.String(length=9), nullable=True),
        sa.Column("member_kind", sa.String(length=20), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("t1_zone", sa.SmallInteger(), nullable=True),
        sa.Column("t1_cell", sa.SmallInteger(), nullable=True),
        sa.Column("t1_a", sa.Float(), nullable=True),
        sa.Column("t1_b", sa.Float(), nullable=True),
        sa.Column("t1_c", sa.Float(), nullable=True),
        sa.Column("t2_zone", sa.SmallInteger(), nullable=True),
        sa.Column("t2_cell", sa.SmallInteger(), nullable=True),
        sa.Column("t2_a", sa.Float(), nullable=True),
        sa.Column("t2_b", sa.Float(), nullable=True),
        sa.Column("t2_c", sa.Float(), nullable=True),
        sa.Column("t3_zone", sa.SmallInteger(), nullable=True),
        sa.Column("t3_cell", sa.SmallInteger(), nullable=True),
        sa.Column("t3_a", sa.Float(), nullable=True),
        sa.Column("t3_b", sa.Float(), nullable=True),
        sa.Column("t3_c", sa.Float(), nullable=True),
        sa.Column("t4_zone", sa.SmallInteger(), nullable=True),
        sa.Column("t4_cell", sa.SmallInteger(), nullable=True),
        sa.Column("t4_a", sa.Float(), nullable=True),
        sa.Column("t4_b", sa.Float(), nullable=True),
        sa.Column("t4_c", sa.Float(), nullable=True),
        sa.Column("t5_zone", sa.SmallInteger(), nullable=True),
        sa.Column("t5_cell", sa.SmallInteger(), nullable=True),
        sa.Column("t5_a", sa.Float(), nullable=True),
        sa.Column("t5_b", sa.Float(), nullable=True),
        sa.Column("t5_c", sa.Float(), nullable=True),
        sa.Column("t6_zone", sa.SmallInteger(), nullable=True),
        sa.Column("t6_cell", sa.SmallInteger(), nullable=True),
        sa.Column("t6_a", sa.Float(), nullable=True),
        sa.Column("t6_b", sa.Float(), nullable=True),
        sa.Column("t6_c", sa.Float(), nullable=True),
        sa.Column("d1", sa.Float(), nullable=True),
        sa.Column("d1_band", sa.SmallInteger(), nullable=True),
        sa.Column("d2", sa.Float(), nullable=True),
        sa.Column("d2_band", sa.SmallInteger(), nullable=True),
        sa.Column("d3", sa.Float(), nullable=True),
        sa.Column("d3_band", sa.SmallInteger(), nullable=True),
        sa.Column("d4", sa.Float(), nullable=True),
        sa.Column("d4_band", sa.SmallInteger(), nullable=True),
        sa.Column("d5", sa.Float(), nullable=True),
        sa.Column("d5_band", sa.SmallInteger(), nullable=True),
        sa.Column("d6", sa.Float(), nullable=True),
        sa.Column("d6_band", sa.SmallInteger(), nullable=True),
        sa.Column("d7", sa.Float(), nullable=True),
        sa.Column("d7_band", sa.SmallInteger(), nullable=True),
        sa.Column("d8", sa.Float(), nullable=True),
        sa.Column("d8_band", sa.SmallInteger(), nullable=True),
        sa.Column("d9", sa.Float(), nullable=True),
        sa.Column("d9_band", sa.SmallInteger(), nullable=True),
        sa.Column("d10", sa.Float(), nullable=True),
        sa.Column("d10_band", sa.SmallInteger(), nullable=True),
        sa.Column("s1", sa.SmallInteger(), nullable=True),
        sa.Column("s2", sa.SmallInteger(), nullable=True),
        sa.Column("s3", sa.SmallInteger(), nullable=True),
        sa.Column("s4", sa.SmallInteger(), nullable=True),
        sa.Column("s5", sa.SmallInteger(), nullable=True),
        sa.Column("s6", sa.SmallInteger(), nullable=True),
        sa.Column("s7", sa.SmallInteger(), nullable=True),
        sa.Column("s8", sa.SmallInteger(), nullable=True),
        sa.Column("s9", sa.SmallInteger(), nullable=True),
        sa.Column("s10", sa.SmallInteger(), nullable=True),
        sa.Column("m1", sa.Integer(), nullable=True),
        sa.Column("m2", sa.Integer(), nullable=True),
        sa.Column("m3", sa.Integer(), nullable=True),
        sa.Column("m4", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("story_id"),
        comment="One row per story with its answers in typed columns, for counting.",
    )
    with op.batch_alter_table("story_facts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_story_facts_member_round",
            ["member_id", "occasion", "round"],
            unique=False,
        )

    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "occasion",
                sa.String(length=20),
                nullable=False,
                server_default="other",
            )
        )
        batch_op.add_column(sa.Column("round", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prompt", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("area", sa.String(length=9), nullable=True))
        batch_op.add_column(
            sa.Column("member_kind", sa.String(length=20), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "anonymised", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.alter_column(
            "member_id", existing_type=sa.VARCHAR(length=36), nullable=True
        )
        batch_op.alter_column(
            "title", existing_type=sa.VARCHAR(length=200), nullable=True
        )
        batch_op.alter_column("text", existing_type=sa.TEXT(), nullable=True)
        batch_op.create_index(
            "ix_stories_sharing_submitted", ["sharing", "submitted_at"], unique=False
        )
        batch_op.drop_column("signifiers")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("signifiers", sa.JSON(), nullable=False, server_default="{}")
        )
        batch_op.drop_index("ix_stories_sharing_submitted")
        batch_op.alter_column("text", existing_type=sa.TEXT(), nullable=False)
        batch_op.alter_column(
            "title", existing_type=sa.VARCHAR(length=200), nullable=False
        )
        batch_op.alter_column(
            "member_id", existing_type=sa.VARCHAR(length=36), nullable=False
        )
        batch_op.drop_column("anonymised")
        batch_op.drop_column("member_kind")
        batch_op.drop_column("area")
        batch_op.drop_column("prompt")
        batch_op.drop_column("round")
        batch_op.drop_column("occasion")

    with op.batch_alter_table("story_facts", schema=None) as batch_op:
        batch_op.drop_index("ix_story_facts_member_round")

    op.drop_table("story_facts")
    op.drop_table("story_answers")
    with op.batch_alter_table("feedback_principles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_principles_principle"))

    op.drop_table("feedback_principles")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_status"))
        batch_op.drop_index(batch_op.f("ix_members_next_due_on"))

    op.drop_table("members")
    op.drop_table("inbox")
    op.drop_table("feedback_rounds")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_feedback_member_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_area"))

    op.drop_table("feedback")
