"""A separate process that does membership work, for tests of what many copies
of the service do at once. It waits until the file GO exists, then:

    python -m tests.support.membership_worker URL GO confirm SIZE TOKEN…
    python -m tests.support.membership_worker URL GO join EMAIL [KEY]
"""

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from services.membership import joining, links
from services.membership.schemas import JoinSchema
from services.membership.settings import Settings
from tests.support.membership import form

ROOT = Path(__file__).parents[2]


def start(db_url: str, go: Path, *work: str) -> subprocess.Popen:
    """Another process that does `work` on the database once `go` exists."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.membership_worker", db_url, str(go)]
        + list(work),
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def confirm(sessions, size: str, *tokens: str) -> None:
    settings = Settings(badge_edition_size=int(size))
    for token in tokens:
        with sessions() as session:
            links.redeem(session, settings, token, "confirm")


def join(sessions, email: str, key: str | None = None) -> None:
    with sessions() as session:
        joining.join(session, Settings(), JoinSchema().load(form(email=email)), key)


def main(url: str, go: str, work: str, *args: str) -> None:
    engine = make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    while not Path(go).exists():
        time.sleep(0.01)
    {"confirm": confirm, "join": join}[work](sessions, *args)
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
