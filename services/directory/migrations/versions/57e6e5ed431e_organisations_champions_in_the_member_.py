"""Organisations' champions in the directory's copy of members, so that a
champion may organise events for their organisation. Copies made before this
have none (null) until the organisation's next snapshot.

Revision ID: 57e6e5ed431e
Revises: 9d68956de779
Create Date: 2026-12-04 03:15:27.568541

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "57e6e5ed431e"
down_revision: str | Sequence[str] | None = "9d68956de779"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("members", sa.Column("champions", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("champions")
