"""suggestions to improve forms

Revision ID: 8162210f9a2c
Revises: b32cdcb34aea
Create Date: 2026-12-04 02:59:14.700599

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "8162210f9a2c"
down_revision: str | Sequence[str] | None = "b32cdcb34aea"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "suggestions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("form", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=36), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suggestions_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_suggestions_form"), ["form"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_suggestions_member_id"), ["member_id"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestions_member_id"))
        batch_op.drop_index(batch_op.f("ix_suggestions_form"))
        batch_op.drop_index(batch_op.f("ix_suggestions_created_at"))

    op.drop_table("suggestions")
