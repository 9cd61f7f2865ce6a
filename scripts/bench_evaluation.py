"""How fast is the evaluation over many stories? `make bench-evaluation`

Fills a fresh database (SQLite file, then PostgreSQL when it answers) with
seeded, realistic stories answered against the current framework, then times
the evaluation as the service runs it, next to the same SQL run directly as
the floor. Not part of `make test`: it measures, it does not judge.

    python scripts/bench_evaluation.py --stories 100000 --repeat 3
"""

import argparse
import csv
import io
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import insert
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.databases import LABELS  # noqa: E402
from bench.results import Results, Row  # noqa: E402
from contracts import areas  # noqa: E402
from infra.db import make_engine  # noqa: E402
from infra.migrate import upgrade  # noqa: E402
from services.stories import charts, compare, evaluation, framework  # noqa: E402
from services.stories.answers import read_answers  # noqa: E402
from services.stories.groups import condition  # noqa: E402
from services.stories.models import Story, StoryAnswer, story_facts  # noqa: E402
from services.stories.rows import facts, to_rows  # noqa: E402
from services.stories.schemas import GroupSchema  # noqa: E402
from tests.support.databases import database, postgres_answers  # noqa: E402

MIGRATIONS = "services/stories/migrations"
COORDINATOR = {"audience": "coordinators", "member_id": None}
PUBLIC = {"audience": "public", "member_id": None}


class StoryMaker:
    """Stories whose answers lean the way real ones would: corners and poles
    favoured unevenly, some questions skipped or marked not applicable."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.current = framework.current()
        self.codes = [area.code for area in areas.all_areas()]
        self.start = datetime(2025, 1, 1, tzinfo=UTC)

    def members(self, count: int) -> list[tuple[str, str, str]]:
        pick = self.random
        return [
            (
                str(uuid.uuid4()),
                pick.choice(self.codes),
                "organisation" if pick.random() < 0.2 else "individual",
            )
            for _ in range(count)
        ]

    def story(self, member) -> tuple[dict, list[dict], dict]:
        pick = self.random
        occasion = pick.choices(["baseline", "feedback", "other"], [3, 6, 1])[0]
        story = {
            "id": str(uuid.uuid4()),
            "member_id": member[0],
            "occasion": occasion,
            "round": pick.randint(1, 4) if occasion == "feedback" else None,
            "framework_version": self.current.version,
            "prompt": None,
            "title": "Stori",
            "text": "Testun y stori.",
            "sharing": pick.choices(["coordinators", "members", "public"], [2, 3, 5])[
                0
            ],
            "language": pick.choice(["cy", "en"]),
            "area": member[1],
            "member_kind": member[2],
            "anonymised": False,
            "submitted_at": self.start + timedelta(minutes=pick.randint(0, 10**6)),
        }
        given = {q.id: self._answer(q) for q in self.current.questions}
        answers = read_answers(self.current, {k: v for k, v in given.items() if v})
        rows = [_as_dict(row) for row in to_rows(story["id"], answers)]
        return story, rows, facts(SimpleNamespace(**story), answers)

    def _answer(self, question):
        """An answer in the shape a form sends, or None (not answered)."""
        pick = self.random
        if question.type == "story":
            return None
        if not question.required and pick.random() < 0.15:
            return None
        if question.not_applicable and pick.random() < 0.05:
            return "not_applicable"
        if question.type == "triad":
            shares = [pick.gammavariate(alpha, 1) for alpha in (2.0, 1.2, 0.7)]
            return [share / sum(shares) for share in shares]
        if question.type == "dyad":
            return pick.betavariate(2.5, 1.6)
        weights = [len(question.options) - i for i in range(len(question.options))]
        if question.type == "prompt":
            return pick.choices(question.option_ids, weights)[0]
        if question.type == "single":
            return {"choice": pick.choices(question.option_ids, weights)[0]}
        if question.type == "multiple":
            return {"choices": pick.sample(question.option_ids, pick.randint(1, 3))}
        placed = pick.sample(question.option_ids, pick.randint(1, 4))
        return {item: [pick.random(), pick.random()] for item in placed}


def _as_dict(row: StoryAnswer) -> dict:
    columns = StoryAnswer.__table__.columns.keys()
    values = {name: getattr(row, name) for name in columns}
    values.setdefault("item", "")
    return {**values, "not_applicable": bool(values["not_applicable"])}


BATCH = 5000


def generate(count: int, seed: int) -> list[tuple[list, list, list]]:
    """The seeded stories in batches of rows for `stories`, `story_answers` and
    `story_facts`; made once, then stored in each database. The batches are
    made in one process per core, each batch from a seed of its own."""
    members = StoryMaker(seed).members(max(count // 3, 1))
    jobs = [
        (seed + 1 + n, members, min(BATCH, count - start))
        for n, start in enumerate(range(0, count, BATCH))
    ]
    with multiprocessing.Pool(min(os.cpu_count() or 1, len(jobs))) as pool:
        return pool.starmap(_batch, jobs)


def _batch(seed: int, members: list, size: int) -> tuple[list, list, list]:
    maker = StoryMaker(seed)
    stories, answers, counted = [], [], []
    for _ in range(size):
        story, rows, row = maker.story(maker.random.choice(members))
        stories.append(story)
        answers.extend(rows)
        counted.append(row)
    return stories, answers, counted


def fill(engine, batches: list[tuple[list, list, list]]) -> None:
    tables = (Story.__table__, StoryAnswer.__table__, story_facts)
    store = _copy if engine.dialect.name == "postgresql" else _insert
    with engine.begin() as connection:
        for batch in batches:
            for table, rows in zip(tables, batch, strict=True):
                store(connection, table, rows)
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def _insert(connection, table, rows: list[dict]) -> None:
    connection.execute(insert(table), rows)


def _copy(connection, table, rows: list[dict]) -> None:
    """PostgreSQL's COPY, many times faster than INSERT for a million rows.
    `\\N` stands for NULL, so that an empty field is an empty string; the rest
    is written as Python prints it (True, 2025-01-01 00:00:00+00:00), which
    PostgreSQL reads as the column's type."""
    columns = list(rows[0])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["\\N" if row[name] is None else row[name] for name in columns])
    buffer.seek(0)
    names = ", ".join(f'"{name}"' for name in columns)
    command = f"COPY {table.name} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    connection.connection.cursor().copy_expert(command, buffer)


def timed(action, repeat: int) -> float:
    """The median of `repeat` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def cases(engine):
    group = GroupSchema().load
    everyone = group({})
    filtered = group(
        {
            "area": "W06000015",
            "occasion": "feedback",
            "choices": {"about": ["community", "group"]},
        }
    )

    def run(action):
        def go():
            with Session(engine) as session:
                action(session)

        return go

    def service(query):
        return run(lambda session: evaluation.evaluate(session, query))

    def floor(group_filters, viewer):
        sql = evaluation.statement(condition(group_filters, viewer))
        return run(lambda session: session.connection().execute(sql).all())

    comparison = {
        "audience": "coordinators",
        "member_id": None,
        "same_members": True,
        "a": group({"occasion": "baseline"}),
        "b": group({"round": "latest"}),
    }
    # (what, how the service does it, the same SQL run directly or None)
    return [
        (
            "every story (coordinators)",
            service({**COORDINATOR, "group": everyone}),
            floor(everyone, COORDINATOR),
        ),
        (
            "public stories",
            service({**PUBLIC, "group": everyone}),
            floor(everyone, PUBLIC),
        ),
        (
            "area + occasion + choice filter",
            service({**COORDINATOR, "group": filtered}),
            floor(filtered, COORDINATOR),
        ),
        (
            "baseline vs latest round, same members, tests",
            run(lambda s: compare.compare(s, comparison)),
            None,
        ),
        (
            "ternary plot SVG",
            run(
                lambda s: charts.chart(
                    s,
                    {
                        **COORDINATOR,
                        "group": everyone,
                        "question": "difference",
                        "language": "cy",
                    },
                )
            ),
            None,
        ),
        (
            "dyad histogram SVG",
            run(
                lambda s: charts.chart(
                    s,
                    {
                        **COORDINATOR,
                        "group": everyone,
                        "question": "power",
                        "language": "en",
                    },
                )
            ),
            None,
        ),
    ]


TARGET_MS = 1000  # the target: under a second a query


def bench(backend: str, url: str, batches: list, repeat: int, results: Results) -> None:
    engine = make_engine(url)
    upgrade(engine, MIGRATIONS)
    began = time.perf_counter()
    fill(engine, batches)
    count = sum(len(stories) for stories, _, _ in batches)
    stored = time.perf_counter() - began
    print(f"\n{backend}: {count} stories stored in {stored:.0f} s")
    with Session(engine) as session:
        rows = session.query(StoryAnswer).count()
    print(f"{backend}: {rows} answer rows; median of {repeat} runs:")
    for name, action, direct in cases(engine):
        action()  # warm the cache, as a running service would be
        took = timed(action, repeat)
        print(f"  {name:<48} {took:8.1f} ms")
        floor = None
        if direct is not None:
            direct()
            floor = timed(direct, repeat)
            print(f"    {'same SQL run directly':<46} {floor:8.1f} ms")
        results.add(
            Row(
                case=f"{name}, {LABELS[backend]}",
                measure="time per query",
                value=round(took, 1),
                unit="ms",
                floor=None if floor is None else round(floor, 1),
                target={"at_most": TARGET_MS},
            )
        )
    results.note(
        f"Evaluation, {LABELS[backend]}: {count:,} stories ({rows:,} answer rows), "
        f"stored in {stored:.0f} s; each figure the median of "
        f"{repeat} runs after one to warm up. Floor: the evaluation's own SQL "
        "run directly, without the service's reading of rows into answers."
    )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--backend", choices=["sqlite", "postgresql", "both"], default="both"
    )
    args = parser.parse_args()
    if args.stories < 1 or args.repeat < 1:
        parser.error("--stories and --repeat take a number of at least 1")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    began = time.perf_counter()
    batches = generate(args.stories, args.seed)
    print(f"{args.stories} stories made in {time.perf_counter() - began:.0f} s")
    results = Results("evaluation", f"Evaluation over {args.stories:,} stories")
    results.settings = {"stories": args.stories, "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            if backend == "postgresql" and not postgres_answers():
                print("\npostgresql: does not answer at 127.0.0.1:5432, skipped")
                results.note("Evaluation, PostgreSQL: skipped, it did not answer.")
                continue
            with database(backend, Path(folder), "bench") as url:
                bench(backend, url, batches, args.repeat, results)
    print(f"wrote {results.write()}")


if __name__ == "__main__":
    main()
