from infra.migrate import run_env
from services.directory.models import Base

# Full-text objects are made by hand in the migrations, not from the models:
# FTS5 tables on SQLite, GIN indexes on PostgreSQL.
FULL_TEXT_TABLES = ("listings_fts", "posts_fts")
FULL_TEXT_INDEXES = ("ix_listing_words", "ix_posts_search")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "table":
        return not str(name).startswith(FULL_TEXT_TABLES)
    return not (type_ == "index" and name in FULL_TEXT_INDEXES)


run_env(Base.metadata, include_object)
