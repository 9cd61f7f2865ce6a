"""`make bench-evaluation` on a few stories: it writes the figures the report
folds into docs/benchmarks.md' table, each query beside its floor."""

import os
import subprocess
import sys

from bench.results import load


def test_the_evaluation_bench_writes_a_row_per_query_with_its_floor(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "scripts/bench_evaluation.py",
            "--stories",
            "40",
            "--repeat",
            "1",
            "--backend",
            "sqlite",
        ],
        env={**os.environ, "BENCH_RESULTS": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr
    assert "Eventlet is deprecated" not in done.stderr
    results = load(tmp_path / "evaluation.json")
    assert results.title == "Evaluation over 40 stories"
    cases = {row.case: row for row in results.rows}
    every = cases["every story (coordinators), SQLite"]
    assert every.unit == "ms" and every.value > 0 and every.floor > 0
    assert every.target == {"at_most": 1000}
    assert cases["ternary plot SVG, SQLite"].floor is None
    assert len(cases) == 6
    assert "40 stories" in results.notes[0]
