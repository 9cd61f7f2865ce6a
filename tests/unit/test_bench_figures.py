"""The bench harness's own logic: reading wrk's line, judging targets, and
writing the report. Nothing here measures anything."""

import time

import pytest

from bench import wrk
from bench.flow import FIRST_WINDOW, Produced, next_batch
from bench.pipeline import paced_rate
from bench.report import BEGIN, END, merge, ratio_text, render, target_text
from bench.results import Results, Row, load
from bench.stats import median, percentile

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:8000/api/v1/members
  2 threads and 16 connections
Requests/sec:    412.50
BENCH-RESULT {"requests": 825, "seconds": 2.000, "ok": 820, "bad": 5, \
"last_bad_status": 409, "socket_errors": 0, "timeouts": 0, "p50_ms": 30.125, \
"p95_ms": 61.000, "p99_ms": 88.250, "max_ms": 120.000, "mean_ms": 35.500}
"""


def test_wrk_figures_are_read_from_the_line_the_lua_hook_prints():
    outcome = wrk.parse(WRK_OUTPUT)

    assert outcome.requests == 825
    assert outcome.p99_ms == 88.25
    assert outcome.last_bad_status == 409


def test_only_good_answers_count_toward_requests_per_second():
    assert wrk.parse(WRK_OUTPUT).per_second == 410.0


def test_wrk_output_without_the_line_is_a_failure_that_shows_the_output():
    with pytest.raises(wrk.WrkFailed, match="unable to connect"):
        wrk.parse("unable to connect to 127.0.0.1:9 Connection refused\n")


def test_wrk_is_told_no_more_threads_than_connections():
    arguments = wrk.Load(connections=1, seconds=8).arguments()

    assert "--threads=1" in arguments
    assert "--duration=8s" in arguments


def test_a_ratio_target_compares_the_figure_with_the_floor():
    assert Row("c", "requests/s", 60, "req/s", 100, {"ratio_at_least": 0.5}).met
    assert not Row("c", "requests/s", 40, "req/s", 100, {"ratio_at_least": 0.5}).met


def test_bounds_and_counts_are_judged_by_the_figure_alone():
    assert Row("c", "p95", 49.0, "ms", 10.0, {"at_most": 50}).met
    assert not Row("c", "events/s", 999.0, "ev/s", None, {"at_least": 1000}).met
    assert Row("c", "lost", 0, "", None, {"equals": 0}).met


def test_a_missing_figure_or_floor_judges_nothing():
    assert Row("c", "rss", None, "MiB", 50.0, {"at_most": 150}).met is None
    assert Row("c", "req/s", 10, "req/s", None, {"ratio_at_least": 0.5}).met is None
    assert Row("c", "p50", 10, "ms", 5).met is None


def test_results_come_back_from_their_file_as_written(tmp_path):
    written = Results("join", "Join", [Row("c", "p50", 3.5, "ms", 1.5)], ["note"])
    written.write(tmp_path)

    read = load(tmp_path / "join.json")

    assert read.rows[0].ratio == pytest.approx(3.5 / 1.5)
    assert read.notes == ["note"]


def test_targets_and_ratios_read_as_people_write_them():
    rate = Row("c", "requests/s", 35, "req/s", 100, {"ratio_at_least": 0.5})
    time = Row("c", "p95", 30, "ms", 10, {"at_most": 50})

    assert (target_text(rate), ratio_text(rate)) == ("≥ 50% of floor", "35%")
    assert (target_text(time), ratio_text(time)) == ("≤ 50 ms", "×3.0")


def test_the_report_has_one_line_per_figure_with_its_verdict():
    results = Results("join", "Join", [Row("c=16", "requests/s", 40, "req/s", 100,
                                           {"ratio_at_least": 0.5})])  # fmt: skip

    text = render([results], {}, [])

    assert "| Join | c=16 | requests/s | 40 req/s | 100 req/s | 40% |" in text
    assert "| **no** |" in text


def test_rewriting_the_report_keeps_what_people_wrote_around_it():
    existing = f"# Benchmarks\n\nIntro.\n\n{BEGIN}\nold table\n{END}\n\n## Findings\n"
    generated = f"{BEGIN}\nnew table\n{END}\n"

    merged = merge(existing, generated)

    assert "Intro." in merged and "## Findings" in merged
    assert "new table" in merged and "old table" not in merged


def test_percentiles_take_the_nearest_rank():
    values = list(range(1, 101))

    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([], 99) == 0.0
    assert median([3.0, None, 1.0, 2.0]) == 2.0


def test_the_paced_run_offers_the_target_only_when_flat_out_sustained_it():
    assert paced_rate(1000, 1450.0) == 1000
    assert paced_rate(1000, 380.0) == 190
    assert paced_rate(1000, 12.0) == 10


def produced(count: int) -> Produced:
    return Produced(committed={str(n): 0.0 for n in range(count)})


def test_flat_out_writes_a_batch_while_there_is_room_in_the_window():
    began = time.monotonic() - 1.0

    assert next_batch(produced(0), 10_000, 0.0, began, lambda: 0) == FIRST_WINDOW
    assert next_batch(produced(50), 10_000, 0.0, began, lambda: 0) == 0


def test_the_window_grows_with_what_comes_through():
    began = time.monotonic() - 1.0  # 400 members through in a second

    assert next_batch(produced(500), 10_000, 0.0, began, lambda: 400) > 0
    assert next_batch(produced(1300), 10_000, 0.0, began, lambda: 400) == 0


def test_flat_out_stops_at_the_number_of_members_asked_for():
    assert next_batch(produced(90), 100, 0.0, time.monotonic(), None) == 10
