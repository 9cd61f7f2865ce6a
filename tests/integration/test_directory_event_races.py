"""Sign-ups racing for the last places: never more people with a place than
places, whether the racers are green threads of one process (PostgreSQL's row
lock; SQLite's one connection per process) or separate processes, as copies
of the service are (on SQLite, the database's write lock)."""

import os
import subprocess
import sys

import eventlet
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from services.directory import places
from services.directory.models import Event, EventPlace
from tests.support.directory import deliver, events
from tests.support.directory import member as a_member
from tests.support.events import published
from tests.support.waiting import eventually

PLACES = 5
RACERS = 12


def members(directory_db, count: int) -> list[str]:
    found = []
    for number in range(count):
        person = a_member(f"Aelod {number}")
        deliver(directory_db, "MemberJoined", person)
        found.append(person["member_id"])
    return found


def standing(directory_db, event_id: str) -> tuple[int, int, int]:
    with directory_db.begin():
        taken = directory_db.scalar(select(Event.taken).where(Event.id == event_id))
        counted = {
            status: directory_db.scalar(
                select(func.count()).where(
                    EventPlace.event_id == event_id, EventPlace.status == status
                )
            )
            for status in ("place", "waiting")
        }
    return taken, counted["place"], counted["waiting"]


def test_green_threads_racing_never_take_more_places_than_there_are(
    directory_db, db_url
):
    organiser, *racers = members(directory_db, RACERS + 1)
    event_id = published(directory_db, organiser, places=PLACES).id
    engine = make_engine(db_url)
    factory = sessionmaker(engine, expire_on_commit=False)
    go = eventlet.event.Event()

    def sign_up(member_id: str) -> str:
        go.wait()
        with factory() as own:
            return places.sign_up(own, event_id, member_id).status

    racing = [eventlet.spawn(sign_up, member_id) for member_id in racers]
    go.send()
    answers = [green.wait() for green in racing]
    engine.dispose()

    assert sorted(answers).count("place") == PLACES
    assert standing(directory_db, event_id) == (PLACES, PLACES, RACERS - PLACES)
    assert len(events(directory_db, "PlaceTaken")) == PLACES


def test_processes_racing_never_take_more_places_than_there_are(
    directory_db, db_url, tmp_path
):
    organiser, *racers = members(directory_db, RACERS + 1)
    event_id = published(directory_db, organiser, places=PLACES).id
    groups = [racers[i::4] for i in range(4)]
    environment = {**os.environ, "PYTHONPATH": os.getcwd()}
    running = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.signup_race",
                db_url,
                event_id,
                str(tmp_path),
                *group,
            ],
            env=environment,
        )  # fmt: skip
        for group in groups
    ]
    eventually(lambda: len(list(tmp_path.glob("ready-*"))) == len(groups), 60)
    (tmp_path / "go").touch()

    assert [process.wait(timeout=120) for process in running] == [0, 0, 0, 0]
    assert standing(directory_db, event_id) == (PLACES, PLACES, RACERS - PLACES)
    assert len(events(directory_db, "PlaceTaken")) == PLACES


def test_giving_up_places_while_others_sign_up_keeps_the_count_right(
    directory_db, db_url
):
    organiser, *racers = members(directory_db, RACERS + 1)
    event_id = published(directory_db, organiser, places=PLACES).id
    early = racers[:PLACES]
    for member_id in early:
        places.sign_up(directory_db, event_id, member_id)
    engine = make_engine(db_url)
    factory = sessionmaker(engine, expire_on_commit=False)
    go = eventlet.event.Event()

    def act(member_id: str) -> None:
        go.wait()
        with factory() as own:
            if member_id in early[:2]:
                places.cancel(own, event_id, member_id)
            else:
                places.sign_up(own, event_id, member_id)

    racing = [
        eventlet.spawn(act, member_id) for member_id in early[:2] + racers[PLACES:]
    ]
    go.send()
    [green.wait() for green in racing]
    engine.dispose()

    late = RACERS - PLACES
    assert standing(directory_db, event_id) == (PLACES, PLACES, late - 2)
