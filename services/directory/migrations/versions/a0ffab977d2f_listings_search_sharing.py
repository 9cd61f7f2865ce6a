"""Members copy, listings with full-text search, offers and requests, outbox.

The skeleton's `listings` table is replaced: its rows were derived from events
and are rebuilt as members change (a development database can simply be
recreated). On SQLite the text is indexed by FTS5 tables kept in step by
triggers; on PostgreSQL by `tsvector`s with GIN indexes (for listings in the
narrow `listing_words`, so that a search matching many reads little).

A later migration that rebuilds `listings` or `posts` in SQLite batch mode
(copy and rename) must recreate their triggers and rebuild the FTS tables:
`INSERT INTO listings_fts(listings_fts) VALUES ('rebuild')`.

Revision ID: a0ffab977d2f
Revises: 690974aab732
Create Date: 2026-12-04 00:01:28.950520

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "a0ffab977d2f"
down_revision: str | Sequence[str] | None = "690974aab732"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)
VECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")
SEARCH_FIELDS = ("search_name", "search_org", "search_tags", "search_body")
SEARCH_FIELDS += ("search_place",)


def search_columns() -> list[sa.Column]:
    return [sa.Column(name, sa.Text(), nullable=False) for name in SEARCH_FIELDS]


def upgrade() -> None:
    op.drop_table("listings")
    op.create_table(
        "members",
        sa.Column("member_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("area", sa.String(9), nullable=True, index=True),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
    )
    create_listings()
    op.create_table(
        "listing_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("listing_seq", sa.Integer(), nullable=False),
        sa.Column("changed_at", MOMENT, nullable=False, index=True),
    )
    create_posts()
    create_sharing()
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("event_type", sa.String(80), nullable=False),
        sa.Column("envelope", sa.JSON(), nullable=False),
        sa.Column("correlation_id", sa.String(80), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("published_at", MOMENT, nullable=True, index=True),
    )
    if op.get_bind().dialect.name == "sqlite":
        full_text_sqlite("listings")
        full_text_sqlite("posts")
    else:
        op.create_index(
            "ix_listing_words", "listing_words", ["words"], postgresql_using="gin"
        )
        op.create_index(
            "ix_posts_search", "posts", ["search_vector"], postgresql_using="gin"
        )


def create_listings() -> None:
    op.create_table(
        "listings",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("member_id", sa.String(36), nullable=False, unique=True),
        sa.Column("public", sa.Boolean(), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sort_name", sa.String(200), nullable=False, index=True),
        sa.Column("home_area", sa.String(9), nullable=False),
        sa.Column("profile_skills", sa.JSON(), nullable=False),
        sa.Column("profile_interests", sa.JSON(), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("own_skills", sa.JSON(), nullable=True),
        sa.Column("own_interests", sa.JSON(), nullable=True),
        sa.Column("assets", sa.JSON(), nullable=False),
        sa.Column("own_areas", sa.JSON(), nullable=True),
        sa.Column("all_wales", sa.Boolean(), nullable=False),
        sa.Column("place_name", sa.String(200), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("published_at", MOMENT, nullable=True),
        sa.Column("last_reviewed_at", MOMENT, nullable=False),
        sa.Column("review_due_at", MOMENT, nullable=False, index=True),
        *search_columns(),
    )
    op.create_index("ix_listings_place", "listings", ["latitude", "longitude", "seq"])
    op.create_table(
        "listing_words",
        sa.Column(
            "listing_seq",
            sa.Integer(),
            sa.ForeignKey("listings.seq", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("words", VECTOR, nullable=True),
    )
    for table, column, kind in (
        ("listing_areas", "area", sa.String(9)),
        ("listing_tags", "key", sa.String(80)),
    ):
        extra = [sa.Column("label", sa.String(80), nullable=False)] * (column == "key")
        op.create_table(
            table,
            sa.Column(
                "listing_seq",
                sa.Integer(),
                sa.ForeignKey("listings.seq", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column(column, kind, primary_key=True, index=True),
            *extra,
        )


def create_posts() -> None:
    op.create_table(
        "posts",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("member_id", sa.String(36), nullable=False, index=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("area", sa.String(9), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("tag_keys", sa.Text(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("posted_at", MOMENT, nullable=False),
        sa.Column("closed_at", MOMENT, nullable=True),
        *search_columns(),
        sa.Column("search_vector", VECTOR, nullable=True),
    )
    op.create_index("ix_posts_open", "posts", ["status", "ends_on"])


def create_sharing() -> None:
    op.create_table(
        "responses",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "post_id",
            sa.String(36),
            sa.ForeignKey("posts.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("responder_id", sa.String(36), nullable=False, index=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("sent_at", MOMENT, nullable=False),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("poster_agreed_at", MOMENT, nullable=True),
        sa.Column("responder_agreed_at", MOMENT, nullable=True),
        sa.Column("exchange_id", sa.String(36), nullable=True),
    )
    op.create_table(
        "exchanges",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("post_id", sa.String(36), nullable=True),
        sa.Column("giver_id", sa.String(36), nullable=True, index=True),
        sa.Column("receiver_id", sa.String(36), nullable=True, index=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("area", sa.String(9), nullable=True, index=True),
        sa.Column("agreed_at", MOMENT, nullable=False),
    )


def full_text_sqlite(table: str) -> None:
    """An external-content FTS5 table over `table`'s search columns, and the
    triggers that keep it in step."""
    fields = ", ".join(SEARCH_FIELDS)
    new = ", ".join(f"new.{f}" for f in SEARCH_FIELDS)
    old = ", ".join(f"old.{f}" for f in SEARCH_FIELDS)
    fts = f"{table}_fts"
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({fields}, content='{table}', "
        f"content_rowid='seq', tokenize='ascii')"
    )
    add = f"INSERT INTO {fts}(rowid, {fields}) VALUES (new.seq, {new});"
    remove = (
        f"INSERT INTO {fts}({fts}, rowid, {fields}) VALUES ('delete', old.seq, {old});"
    )
    op.execute(f"CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN {add} END")
    op.execute(
        f"CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN {remove} END"
    )
    op.execute(
        f"CREATE TRIGGER {table}_fts_au AFTER UPDATE OF {fields} ON {table} "
        f"BEGIN {remove} {add} END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in ("listings", "posts"):
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
    for table in ("outbox", "exchanges", "responses", "posts"):
        op.drop_table(table)
    tables = ("listing_changes", "listing_words", "listing_tags", "listing_areas")
    for table in (*tables, "listings"):
        op.drop_table(table)
    for table in ("members",):
        op.drop_table(table)
    op.create_table(
        "listings",
        sa.Column("member_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, index=True),
        sa.Column("area", sa.String(9), nullable=False, index=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("member_version", sa.Integer(), nullable=False),
        sa.Column("listed_at", MOMENT, nullable=False),
    )
