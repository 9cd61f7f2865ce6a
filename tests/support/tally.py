"""What the platform holds after the fault test, counted from each service's own
database, the SMTP server's mailbox and an outside subscriber, and set against
what the gateway accepted: per line, what is missing, what is doubled, and
what is there that nobody asked for."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import create_engine, text

from tests.support.signups import recipient, welcomes


@dataclass
class Line:
    what: str
    expected: set[str]
    found: Counter

    @property
    def missing(self) -> set[str]:
        return self.expected - set(self.found)

    @property
    def doubled(self) -> set[str]:
        return {key for key, count in self.found.items() if count > 1}

    @property
    def unasked(self) -> set[str]:
        return set(self.found) - self.expected

    @property
    def exact(self) -> bool:
        return not (self.missing or self.doubled or self.unasked)


def rows(url: str, query: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def members(url: str) -> list[tuple[str, str, str]]:
    """(e-mail, member id, status) of every member membership holds."""
    found = rows(url, "SELECT email, id, status FROM members")
    return [
        (email.strip().casefold(), str(id_), status) for email, id_, status in found
    ]


def counter(url: str, query: str) -> Counter:
    return Counter(str(row[0]) for row in rows(url, query))


def listings(url: str) -> Counter:
    return counter(url, "SELECT member_id FROM listings WHERE public")


def stories(url: str) -> Counter:
    return counter(url, "SELECT member_id FROM stories WHERE occasion = 'other'")


def feedback(url: str) -> Counter:
    return counter(url, "SELECT member_id FROM feedback")


def welcome_recipients(sink) -> Counter:
    return Counter(recipient(message) for message in welcomes(sink))


def joined_events(tap) -> Counter:
    """Each member's MemberJoined, counted once per event id: a message the
    broker delivered again is the same event, not a second join."""
    distinct = {(e["data"]["member_id"], e["id"]) for e in tap.seen}
    return Counter(member_id for member_id, _ in distinct)


def table(lines: list[Line], extra: dict[str, object]) -> str:
    header = f"{'':28} {'expected':>8} {'found':>8} {'missing':>8} {'doubled':>8} "
    header += f"{'unasked':>8}"
    body = [
        f"{line.what:28} {len(line.expected):8} {sum(line.found.values()):8} "
        f"{len(line.missing):8} {len(line.doubled):8} {len(line.unasked):8}"
        for line in lines
    ]
    notes = [f"{name:28} {value}" for name, value in extra.items()]
    return "\n".join([header, *body, "", *notes])
