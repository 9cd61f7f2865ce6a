"""`python -m bench`'s options: a name it does not know is a clear error, given
before anything of an earlier run is cleared."""

import argparse
import os
import subprocess
import sys

import pytest

from bench.__main__ import WORKLOADS, names_from


def test_a_comma_separated_list_of_known_names_is_taken():
    assert names_from(WORKLOADS)("join, search") == ["join", "search"]


@pytest.mark.parametrize("text", ["joins", "join,memroy", "", ","])
def test_an_unknown_or_missing_name_is_refused_with_the_choices(text):
    with pytest.raises(argparse.ArgumentTypeError, match="choose from join, search"):
        names_from(WORKLOADS)(text)


def test_a_mistyped_workload_leaves_the_last_run_s_figures(tmp_path):
    kept = tmp_path / "join.json"
    kept.write_text("{}")

    done = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "joins"],
        env={**os.environ, "BENCH_RESULTS": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 2
    assert "unknown: joins" in done.stderr
    assert kept.exists()
