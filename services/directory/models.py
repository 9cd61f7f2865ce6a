from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from infra.inbox import InboxMixin
from infra.types import UtcDateTime


class Base(DeclarativeBase):
    pass


class Listing(Base):
    __tablename__ = "listings"

    member_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), index=True)
    area: Mapped[str] = mapped_column(String(9), index=True)
    search_text: Mapped[str] = mapped_column(Text)
    member_version: Mapped[int] = mapped_column(Integer)
    listed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class InboxEvent(InboxMixin, Base):
    __tablename__ = "inbox"
