"""A separate process that confirms members, for tests of what many copies of
the service do at once: `python -m tests.support.confirm_worker URL GO SIZE T…`.
It waits until the file GO exists, then redeems each token in turn."""

import sys
import time
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from services.membership import links
from services.membership.settings import Settings


def main(url: str, go: str, size: str, *tokens: str) -> None:
    engine = make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    settings = Settings(badge_edition_size=int(size))
    while not Path(go).exists():
        time.sleep(0.01)
    for token in tokens:
        with sessions() as session:
            links.redeem(session, settings, token, "confirm")
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
