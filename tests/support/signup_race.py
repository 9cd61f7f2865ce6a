"""One process of the sign-up race: `python -m tests.support.signup_race URL
EVENT_ID FOLDER MEMBER_ID...`. It says it is ready, waits for the word to go,
then signs each member up as fast as it can, as a copy of the service would."""

import sys
import time
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from services.directory import places


def main(url: str, event_id: str, folder: str, *member_ids: str) -> None:
    engine = make_engine(url)
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        session.connection().close()  # connect before the start, not during
    (Path(folder) / f"ready-{member_ids[0]}").touch()
    while not (Path(folder) / "go").exists():
        time.sleep(0.005)
    for member_id in member_ids:
        with factory() as session:
            places.sign_up(session, event_id, member_id)
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
