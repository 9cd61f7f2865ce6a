"""One running copy of the calendar, as a process of its own: it ticks until no
item is due, and each item it runs appends the item's key to a file (a side
effect outside the database, so a second run could not hide).
`python -m tests.support.calendar_copy DATABASE_URL RUN_LOG`"""

import sys
from datetime import UTC, datetime

from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from services.notifications import calendar
from services.notifications.settings import Settings


def main(database_url: str, run_log: str) -> None:
    session = sessionmaker(make_engine(database_url), expire_on_commit=False)()

    def note(session, settings, job, now) -> None:
        with open(run_log, "a", encoding="utf-8") as handle:
            handle.write(f"{job.key}\n")

    runners = {"test_item": note}
    while calendar.tick(session, Settings(), datetime.now(UTC), runners, {}, limit=5):
        pass


if __name__ == "__main__":
    main(*sys.argv[1:])
